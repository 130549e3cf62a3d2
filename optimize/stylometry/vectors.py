"""Sparse vectors over the hashed n-gram buckets, and dot products of one vector with many."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SparseVector:
    idx: np.ndarray  # sorted distinct bucket ids (int64)
    val: np.ndarray  # float64, same length

    @property
    def sq_norm(self) -> float:
        return float(self.val @ self.val)

    def normalized(self) -> SparseVector:
        norm = np.sqrt(self.sq_norm)
        return SparseVector(self.idx, self.val / norm if norm else self.val)

    def dot(self, other: SparseVector) -> float:
        if not len(other.idx):
            return 0.0
        pos = np.minimum(np.searchsorted(other.idx, self.idx), len(other.idx) - 1)
        hit = other.idx[pos] == self.idx
        return float(self.val[hit] @ other.val[pos[hit]])

    @staticmethod
    def mean(vectors: Sequence[SparseVector]) -> SparseVector:
        idx = np.concatenate([v.idx for v in vectors])
        val = np.concatenate([v.val for v in vectors])
        merged, inverse = np.unique(idx, return_inverse=True)
        return SparseVector(merged, np.bincount(inverse, weights=val, minlength=len(merged)) / len(vectors))


class SparseRows:
    """Many sparse vectors as one inverted index (entries sorted by bucket), so the dot products of a
    query with all of them cost time in proportion to the entries the query touches."""

    def __init__(self, vectors: Sequence[SparseVector]):
        self.n = len(vectors)
        idx = np.concatenate([v.idx for v in vectors]) if vectors else np.zeros(0, dtype=np.int64)
        val = np.concatenate([v.val for v in vectors]) if vectors else np.zeros(0)
        owner = np.repeat(np.arange(self.n), [len(v.idx) for v in vectors])
        order = np.argsort(idx, kind="stable")
        # Compact types: a space holds every writer's centroids in every view.
        self.idx, self.val, self.owner = idx[order].astype(np.int32), val[order].astype(np.float32), owner[order].astype(np.int32)

    def dots(self, query: SparseVector) -> np.ndarray:
        keys = query.idx.astype(np.int32)
        lo = np.searchsorted(self.idx, keys, side="left")
        lengths = np.searchsorted(self.idx, keys, side="right") - lo
        total = int(lengths.sum())
        if not total:
            return np.zeros(self.n)
        # Every matching entry: block j covers lo[j] .. lo[j] + lengths[j] - 1.
        pos = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        weights = np.repeat(query.val, lengths) * self.val[pos]
        return np.bincount(self.owner[pos], weights=weights, minlength=self.n)
