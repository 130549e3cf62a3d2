"""ALOE's numbers from a score table (users × turns, each a 1–5 judge score).

- AL(k): the mean score at turn k over users.
- Improvement rate: the least-squares slope of AL(k) over k = 1..K, with its R².
- Normalised improvement rate: the slope divided by the headroom left at the start, 5 − AL(1), i.e.
  the share of the possible gain made per turn. A system that starts high has less room to rise, so
  this compares systems whose first replies differ. (This normalisation is ours; ALOE's paper
  reports a normalised rate too, but this module does not claim to reproduce its exact formula.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from hyperalign.core.errors import InputError

MAX_SCORE = 5.0


@dataclass(frozen=True)
class LineFit:
    """y ≈ intercept + slope · k over k = 1..K; r2 is None when AL(k) is flat (nothing to explain)."""

    slope: float | None
    intercept: float | None
    r2: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def check_table(scores: Sequence[Sequence[float]]) -> None:
    if not scores or not scores[0]:
        raise InputError("the score table is empty: need at least one user with one turn")
    turns = len(scores[0])
    for i, row in enumerate(scores, start=1):
        if len(row) != turns:
            raise InputError(f"score table row {i} has {len(row)} turns, expected {turns}")


def alignment_levels(scores: Sequence[Sequence[float]]) -> list[float]:
    """AL(k) for k = 1..K: the column means of a users × turns table."""
    check_table(scores)
    return [sum(row[k] for row in scores) / len(scores) for k in range(len(scores[0]))]


def fit_line(levels: Sequence[float]) -> LineFit:
    """Ordinary least squares of AL(k) on k = 1..K."""
    n = len(levels)
    if n < 2:
        return LineFit(None, None, None)
    ks = range(1, n + 1)
    mean_k, mean_y = sum(ks) / n, sum(levels) / n
    sxx = sum((k - mean_k) ** 2 for k in ks)
    sxy = sum((k - mean_k) * (y - mean_y) for k, y in zip(ks, levels))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_k
    ss_tot = sum((y - mean_y) ** 2 for y in levels)
    ss_res = sum((y - (intercept + slope * k)) ** 2 for k, y in zip(ks, levels))
    r2 = None if ss_tot == 0 else 1.0 - ss_res / ss_tot
    return LineFit(slope, intercept, r2)


def normalised_slope(levels: Sequence[float], max_score: float = MAX_SCORE) -> float | None:
    """The slope over the headroom at turn 1, (max − AL(1)); None with one turn or no headroom."""
    slope = fit_line(levels).slope
    headroom = max_score - levels[0] if levels else 0.0
    if slope is None or headroom <= 0:
        return None
    return slope / headroom


def improvement(scores: Sequence[Sequence[float]]) -> dict:
    """AL(k), slope, intercept, normalised slope and R² of one system's score table."""
    levels = alignment_levels(scores)
    fit = fit_line(levels)
    return {"levels": levels, **fit.as_dict(), "normalised_slope": normalised_slope(levels)}
