"""What the judge looks at in a text: hashed n-gram views plus the interpretable style vector,
computed once per distinct text (cached by content hash)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from hyperalign.core.hashing import cache_key
from hyperalign.optimize.stylometry.cache import LRUCache
from hyperalign.optimize.stylometry.features import style_vector
from hyperalign.optimize.stylometry.function_words import FUNCTION_WORDS
from hyperalign.optimize.stylometry.hashing import char_ngrams, counts, word_ngrams
from hyperalign.optimize.stylometry.text import normalize


@dataclass(frozen=True)
class NgramView:
    """A bag of n-grams: `kind` char or word, n-gram `sizes`, and how counts become term weights."""

    name: str
    kind: Literal["char", "word"]
    sizes: tuple[int, ...]
    tf: Literal["log", "binary"] = "log"
    lowercase: bool = False
    # Mask the letters of every word that is not a function word (text distortion): what is left is
    # punctuation, word shapes and function words, which carry style across topics.
    distort: bool = False

    def bucket_counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        text = text.lower() if self.lowercase else text
        text = distorted(text) if self.distort else text
        ids = char_ngrams(text, self.sizes) if self.kind == "char" else word_ngrams(text, self.sizes)
        return counts(ids)

    def term_weights(self, n: np.ndarray) -> np.ndarray:
        return np.ones_like(n) if self.tf == "binary" else 1.0 + np.log(n)


_WORD = re.compile(r"[^\W\d_]+")
_KEEP = frozenset(FUNCTION_WORDS)


def distorted(text: str) -> str:
    """`text` with each letter of non-function words replaced by `*` and each digit by `#`."""
    masked = _WORD.sub(lambda m: m.group() if m.group().lower() in _KEEP else "*" * len(m.group()), text)
    return re.sub(r"\d", "#", masked)


@dataclass(frozen=True)
class TextFeatures:
    """One text as the judge sees it: per view, bucket ids and counts; and its style vector."""

    ngrams: dict[str, tuple[np.ndarray, np.ndarray]]
    style: np.ndarray
    n_chars: int


_CACHE: LRUCache[TextFeatures] = LRUCache(size=2048)


def text_features(text: str, views: tuple[NgramView, ...]) -> TextFeatures:
    key = cache_key(text, [f"{v}" for v in views])

    def compute() -> TextFeatures:
        clean = normalize(text)
        grams = {}
        for view in views:
            idx, n = view.bucket_counts(clean)
            grams[view.name] = (idx.astype(np.int32), n.astype(np.float32))
        return TextFeatures(ngrams=grams, style=style_vector(clean), n_chars=len(clean))

    return _CACHE.get_or_compute(key, compute)
