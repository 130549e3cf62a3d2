"""Deterministic text checks that programs use at run time and judges build on: originality (copied
from the samples or the task), fidelity (does the task: offline embeddings), sanity (degenerate
output). No LM; every function is pure and thread-safe."""

from hyperalign.programs.checks.fidelity import Fidelity, embed, fidelity, similarity
from hyperalign.programs.checks.originality import Originality, originality
from hyperalign.programs.checks.sanity import Sanity, sanity

__all__ = ["Fidelity", "Originality", "Sanity", "embed", "fidelity", "originality", "sanity", "similarity"]
