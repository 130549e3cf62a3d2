"""A per-user cache of inferred hypotheses, safe under concurrent use.

Personalizing many tasks for one user should infer their hypotheses once. Concurrent callers asking
for the same user wait for the first inference instead of repeating it (single flight).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any


class HypothesisCache:
    """LRU map from a content key to a computed value, computing each key at most once at a time."""

    def __init__(self, max_entries: int = 1024):
        self.max_entries = max_entries
        self._values: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[str, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: str, compute: Callable[[], Any]) -> tuple[Any, bool]:
        """Return (value, was_cached). Exceptions from `compute` propagate and cache nothing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self.hits += 1
                return self._values[key], True
            key_lock = self._inflight.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:  # another thread may have finished while we waited
                if key in self._values:
                    self.hits += 1
                    return self._values[key], True
                self.misses += 1
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
                self._inflight.pop(key, None)
            return value, False

    # Copies (optimizers deep-copy programs) and pickles start empty: locks cannot be copied, and
    # hypotheses inferred under one program state must not leak into another.
    def __deepcopy__(self, memo) -> HypothesisCache:
        return HypothesisCache(self.max_entries)

    def __reduce__(self):
        return (HypothesisCache, (self.max_entries,))

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)
