"""DSPy Signatures: the prompts' contracts (instructions in docstrings, fields say what they hold)."""

from hyperalign.signatures.baselines import FewShotWrite, ZeroShotWrite
from hyperalign.signatures.generation import WriteAsUser
from hyperalign.signatures.hypotheses import Hypothesis, InferHypotheses

__all__ = ["FewShotWrite", "Hypothesis", "InferHypotheses", "WriteAsUser", "ZeroShotWrite"]
