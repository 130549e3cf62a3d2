"""The one content hash of the project: cache keys, validation keys, profile keys.

Everything that determines a cached value goes into the key as JSON-serializable parts; the same
parts give the same key in every process (no salted `hash`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def cache_key(*parts: Any) -> str:
    """A stable SHA-256 hex digest of JSON-serializable parts (texts, lists, dicts, numbers).

    Dict keys are sorted; list order and list boundaries are part of the key; anything not
    JSON-serializable is keyed by its `str`.

        >>> cache_key("a", ["b", "c"]) == cache_key("a", ["b", "c"])
        True
    """
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def short_key(*parts: Any, length: int = 16) -> str:
    """The first `length` hex digits of `cache_key(*parts)`: for tags and names people read."""
    return cache_key(*parts)[:length]
