"""The stylometric judge: how close a text is to one user's style, relative to other writers of the
same domain, and the features where it is furthest from the user, in words. No LM, deterministic."""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import dspy
import numpy as np

from hyperalign.core.errors import InputError
from hyperalign.core.hashing import cache_key
from hyperalign.optimize.stylometry.cache import LRUCache
from hyperalign.optimize.stylometry.feedback import feedback_text, style_gaps
from hyperalign.optimize.stylometry.methods import method_for
from hyperalign.optimize.stylometry.space import Method, Space
from hyperalign.optimize.stylometry.views import text_features

# How sharply the score separates the user from a background writer: similarities are in units of
# their noise (see Space.similarities), and a lead of one unit counts as 0.73 of a win.
TEMPERATURE = 1.0
# The calibrated score (`calibrated`) of a text whose margin is the median of the writers' own texts:
# Phi(SHIFT). With SHIFT 1.47 a writer's own new texts average 0.85 in any domain (E[Phi(Z + c)] = Phi(c / sqrt 2)).
SHIFT = 1.47

# A space holds every writer's n-gram centroids (tens of MB for a news corpus): keep a few.
_SPACES: LRUCache[Space] = LRUCache(size=12)


class StylometricJudge(dspy.Module):
    """Scores a candidate text against a user's samples, relative to background writers.

    `forward(samples, candidate)` returns `dspy.Prediction(score, calibrated, rank, n_writers, feedback, gaps)`:
    `score` in [0, 1] (see `closeness`): about 0.9 for a text of the user's own, about 0.2 for
    another writer's; `calibrated` the domain-calibrated score (see `calibrated`); `rank` the user's
    place among all writers by similarity (1 = closest); `gaps` the style features furthest from the
    user (dicts); `feedback` all of it in words.

        judge = StylometricJudge(background=[u.samples for u in users], domain="email")
        judge(samples=user.samples, candidate=text).score
    """

    def __init__(self, background: Sequence[Sequence[str]], method: Method | None = None, n_gaps: int = 3, domain: str | None = None):
        super().__init__()
        self.background = [check_texts(texts, f"background writer {i + 1}") for i, texts in enumerate(_as_list(background))]
        if not self.background:
            raise InputError("the stylometric judge needs at least one background writer to compare the user with")
        self.method = method or method_for(domain)
        self.n_gaps = n_gaps

    def forward(self, samples: Sequence[str], candidate: str) -> dspy.Prediction:
        samples = check_texts(samples, "the user's samples")
        candidate = check_text(candidate, "the candidate")
        space, user = user_space(self.method, samples, self.background)
        similarities = space.similarities(candidate)
        rest = np.delete(similarities, user)
        score = closeness(similarities[user], rest, space.typicality(user))
        rank = 1 + int(np.sum(rest > similarities[user]))
        gaps = style_gaps(text_features(candidate, self.method.views).style, space.profiles[user], space, self.n_gaps)
        return dspy.Prediction(
            score=score,
            calibrated=calibrated(similarities[user] - rest.max(), space),
            rank=rank,
            n_writers=len(similarities),
            feedback=feedback_text(score, rank, len(similarities), gaps),
            gaps=[g.as_dict() for g in gaps],
        )


def closeness(user: float, others: np.ndarray, typicality: tuple[float, float] | None) -> float:
    """The score from the candidate's similarity to the user and to the other writers.

    The geometric mean of two parts: how many other writers the user beats (smoothed: a lead of one
    noise unit counts 0.73 of a win), and where the similarity to the user falls between the level
    of texts that are not theirs and that of the user's own texts. The second part keeps a text that
    resembles no one (a repeated word, a stray symbol) from scoring high just because the user
    happens to be its least distant writer.
    """
    beats = float(np.mean(_sigmoid((user - others) / TEMPERATURE)))
    if typicality is None or typicality[0] <= typicality[1]:
        return beats
    own, floor = typicality
    typical = float(_sigmoid(4.0 * (user - (own + floor) / 2) / (own - floor)))
    return float(np.sqrt(beats * typical))


def calibrated(margin: float, space: Space) -> float:
    """Phi(standardized margin + SHIFT): the candidate's lead over the closest other writer, in units
    of how the writers' own texts (each left out) lead in this space. Calibrated on own texts, so a
    user's real new text scores about 0.85 in every domain, whatever its separability."""
    mean, sd = space.calibration.margin
    return 0.5 * math.erfc(-((margin - mean) / sd + SHIFT) / math.sqrt(2))


def _sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-x))


def stylometric_score(samples: Sequence[str], candidate: str, background: Sequence[Sequence[str]], domain: str | None = None) -> dspy.Prediction:
    """The judge's verdict (score, calibrated, rank, feedback, gaps) for one candidate: the entry point
    for metrics. Repeated calls for the same writers reuse one cached space."""
    return StylometricJudge(background, domain=domain)(samples=samples, candidate=candidate)


def user_space(method: Method, samples: list[str], background: Sequence[Sequence[str]]) -> tuple[Space, int]:
    """The space of the user and the background writers other than the user, and the user's index.
    Writers are put in a canonical order, so every user of one background shares one space."""
    writers = {writer_key(tuple(texts)): list(texts) for texts in background}
    own = writer_key(tuple(samples))
    writers[own] = samples
    if len(writers) < 2:
        raise InputError("the background holds no writer other than the user")
    keys = sorted(writers)
    return space_for(method, [writers[k] for k in keys], keys), keys.index(own)


@lru_cache(maxsize=8192)
def writer_key(texts: tuple[str, ...]) -> str:
    """The content hash of one writer's texts (memoized: a metric sees the same writers thousands of times)."""
    return cache_key(list(texts))


def space_for(method: Method, writers: Sequence[Sequence[str]], keys: Sequence[str] | None = None) -> Space:
    """The space of these writers, built once per distinct set of texts (thread-safe cache)."""
    keys = keys if keys is not None else [writer_key(tuple(texts)) for texts in writers]
    return _SPACES.get_or_compute(cache_key(repr(method), list(keys)), lambda: Space(method, writers))


def check_text(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise InputError(f"{what} must be a text (str), not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{what} is empty")
    return text


def check_texts(texts: object, what: str) -> list[str]:
    texts = _as_list(texts, what)
    if not texts:
        raise InputError(f"{what}: no texts")
    return [check_text(t, f"{what}, text {i + 1}") for i, t in enumerate(texts)]


def _as_list(items: object, what: str = "the background") -> list:
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise InputError(f"{what} must be a list of texts, not {type(items).__name__}")
    return list(items)
