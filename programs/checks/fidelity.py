"""Task fidelity: does a text do the task? Semantic similarity of the text to the task (and to a
reference answer when one exists) from WordLlama, a static embedding model whose weights ship inside
its PyPI wheel (256 dimensions, 16 MB): no download at run time, about a millisecond per text.

A similarity means little on its own (news tasks quote the article's first sentence, e-mail tasks
are one question), so it is judged against the user's own texts: they answer other tasks, and the
text must be clearly closer to this task than they are.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from hyperalign.core.embedded import encodable

# z = (similarity - the user's texts' mean similarity) / their spread (at least MIN_SPREAD).
# The score is a logistic in z: 0.5 at ON_TASK_Z, steepness SLOPE. Measured on CMCC e-mails and essays
# and CCAT50 news: real texts reach z 1.8-6 (news 0.6-4.7), the user's texts for other tasks stay near 0.
ON_TASK_Z, SLOPE, MIN_SPREAD = 1.5, 2.0, 0.05
# Without the user's texts: typical similarity of an off-task text, and its spread.
DEFAULT_BASELINE = (0.10, 0.10)

_LOCK = threading.Lock()
_MODEL = None


def embedder():
    """The WordLlama model, loaded once per process from the weights inside the installed package."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            import wordllama

            _MODEL = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
        return _MODEL


@lru_cache(maxsize=8192)
def _embedding(text: str) -> np.ndarray:
    # The tokenizer (Rust) refuses a lone surrogate (a JSON "\ud800" in a sample) with a TypeError.
    vector = embedder().embed([encodable(text)], norm=True)[0].astype(np.float64)
    vector.flags.writeable = False
    return vector


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text (cached by text)."""
    return np.array([_embedding(t) for t in texts]) if texts else np.zeros((0, 256))


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two texts' embeddings, in [-1, 1] (about 0.4-0.6 for a text and its task)."""
    return float(_embedding(a) @ _embedding(b))


@dataclass(frozen=True)
class Fidelity:
    """How well a text matches its task. `score` in [0, 1]: 1 = on task; `task_similarity` the
    cosine to the task; `typical` the mean cosine of the user's own texts (answers to other tasks) to
    it; `reference_similarity` the cosine to the reference answer (None without one)."""
    score: float
    task_similarity: float
    typical: float
    z: float
    reference_similarity: float | None
    problem: str

    def as_dict(self) -> dict:
        return asdict(self)


def fidelity(text: str, task: str, samples: Sequence[str] = (), reference: str | None = None) -> Fidelity:
    """Does `text` do `task`? Judged against the user's `samples` (texts for other tasks); with a
    `reference` (the user's own answer to this task) its content counts too.

    >>> fidelity("Pot should be legal: it harms less than alcohol.", "Should marijuana be legal?").score > 0.5
    True
    """
    z, sim, typical = _z(text, task, samples)
    ref_sim = None
    if reference is not None:
        # The reference's content: the text must be closer to it than the user's other texts are.
        z_ref, ref_sim, _ = _z(text, reference, samples)
        z = (z + z_ref) / 2
    score = 1.0 / (1.0 + math.exp(-SLOPE * (z - ON_TASK_Z)))
    problem = "" if score >= 0.5 else (
        f"off task: similarity to the task {sim:.2f}, the user's texts for other tasks {typical:.2f}"
        + (f", to the reference {ref_sim:.2f}" if ref_sim is not None else "")
    )
    return Fidelity(score=score, task_similarity=sim, typical=typical, z=z, reference_similarity=ref_sim, problem=problem)


def _z(text: str, anchor: str, samples: Sequence[str]) -> tuple[float, float, float]:
    sim = similarity(text, anchor)
    if samples:
        base = embed(samples) @ _embedding(anchor)
        mean, spread = float(base.mean()), max(float(base.std()), MIN_SPREAD)
    else:
        mean, spread = DEFAULT_BASELINE
    return (sim - mean) / spread, sim, mean
