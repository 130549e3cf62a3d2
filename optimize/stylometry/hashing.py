"""Stable hashed n-gram counts: character and word n-grams folded into 2**BITS buckets.

Hashing (not a vocabulary) lets profiles built at different times share one space, and a stable hash
(not Python's salted `hash`) keeps every score identical across processes.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

BITS = 20
_MULT = np.uint64(0x9E3779B97F4A7C15)  # golden-ratio multiplier: spreads nearby hashes over the buckets
_PRIME = np.uint64(1_000_003)
_SHIFT = np.uint64(64 - BITS)
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[^\w\s]")


def _bucket(h: np.ndarray, salt: int) -> np.ndarray:
    h = (h ^ np.uint64(salt)) * _MULT
    h ^= h >> np.uint64(31)
    return ((h * _MULT) >> _SHIFT).astype(np.int64)


def _rolling(codes: np.ndarray, n: int) -> np.ndarray:
    """Polynomial hash of every run of n consecutive codes (uint64 arithmetic wraps)."""
    m = len(codes) - n + 1
    h = np.zeros(m, dtype=np.uint64)
    for j in range(n):
        h = h * _PRIME + codes[j : j + m]
    return h


def char_ngrams(text: str, sizes: tuple[int, ...]) -> np.ndarray:
    """Bucket ids of every character n-gram of the given sizes (case and punctuation kept)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = [_bucket(_rolling(codes, n), n) for n in sizes if len(codes) >= n]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def word_ngrams(text: str, sizes: tuple[int, ...]) -> np.ndarray:
    """Bucket ids of every word n-gram (case kept; punctuation marks are tokens)."""
    tokens = _TOKEN.findall(text)
    codes = np.array([zlib.crc32(t.encode("utf-8")) for t in tokens], dtype=np.uint64)
    parts = [_bucket(_rolling(codes, n), 100 + n) for n in sizes if len(codes) >= n]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def counts(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted distinct bucket ids and how often each occurs."""
    idx, n = np.unique(ids, return_counts=True)
    return idx, n.astype(np.float64)
