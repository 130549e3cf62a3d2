"""Percentile bootstrap confidence intervals, seeded so a report is reproducible."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def bootstrap_ci(
    values: Sequence[float],
    *,
    groups: Sequence[str] | None = None,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """(low, high) of the mean of `values` at `confidence`, by resampling with replacement.

    With `groups` (e.g. the user of each item) whole groups are resampled: items of one user are not
    independent, and resampling them one by one would make the interval too narrow.
    Win/tie/loss rates are means of 0/1 indicators, so the same function gives their intervals.
    One value or one group gives a degenerate interval: there is nothing to resample.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    if groups is not None:
        names = sorted(set(groups))
        index = np.array([names.index(g) for g in groups])
        sums, counts = np.bincount(index, weights=data), np.bincount(index).astype(float)
        picks = rng.integers(0, len(names), size=(resamples, len(names)))
        means = sums[picks].sum(axis=1) / counts[picks].sum(axis=1)
    elif data.size == 1:
        return (float(data[0]), float(data[0]))
    else:
        means = data[rng.integers(0, data.size, size=(resamples, data.size))].mean(axis=1)
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(means, [tail, 1.0 - tail])
    return (float(low), float(high))


def mean_with_ci(values: Sequence[float], **kwargs) -> dict[str, float]:
    """{"mean", "low", "high"} for a report."""
    low, high = bootstrap_ci(values, **kwargs)
    mean = float(np.mean(values)) if len(values) else float("nan")
    return {"mean": mean, "low": low, "high": high}
