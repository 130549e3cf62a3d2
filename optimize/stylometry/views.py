"""What the judge looks at in a text: hashed n-gram views (scikit-learn's `HashingVectorizer`: a
stable MurmurHash3 of each n-gram, the same bucket in every process) plus the interpretable style
vector, computed once per distinct text (cached by content hash)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from hyperalign.core.hashing import cache_key
from hyperalign.optimize.stylometry.cache import LRUCache
from hyperalign.optimize.stylometry.features import style_vector
from hyperalign.optimize.stylometry.function_words import FUNCTION_WORDS
from hyperalign.optimize.stylometry.text import normalize

N_FEATURES = 2**20
# Words with inner apostrophes; every punctuation mark is a token of its own.
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[^\w\s]")


@dataclass(frozen=True)
class NgramView:
    """A bag of n-grams: `kind` char or word, n-gram `sizes` (a contiguous range), and how counts become
    term weights (`binary`: present or not; `log`: 1 + log count, applied by the space's tf-idf)."""

    name: str
    kind: Literal["char", "word"]
    sizes: tuple[int, ...]
    tf: Literal["log", "binary"] = "log"
    lowercase: bool = False
    # Mask the letters of every word that is not a function word (text distortion): what is left is
    # punctuation, word shapes and function words, which carry style across topics.
    distort: bool = False

    @cached_property
    def vectorizer(self) -> HashingVectorizer:
        return HashingVectorizer(
            analyzer=self.kind,
            ngram_range=(min(self.sizes), max(self.sizes)),
            lowercase=self.lowercase,
            preprocessor=self._preprocessor,
            tokenizer=_TOKEN.findall if self.kind == "word" else None,
            token_pattern=None,
            n_features=N_FEATURES,
            binary=self.tf == "binary",
            norm=None,
            alternate_sign=False,
            dtype=np.float64,
        )

    @property
    def _preprocessor(self):
        # A preprocessor replaces scikit-learn's own (which lower-cases): case is ours to handle.
        if self.kind == "word":
            return str.lower if self.lowercase else None  # the tokenizer drops white space
        steps = [str.lower] if self.lowercase else []
        steps += [distorted] if self.distort else []
        return partial(_apply, (*steps, _mark_lines))

    def counts(self, text: str) -> sparse.csr_matrix:
        """One row: how often each hashed n-gram occurs (1 for any, for a binary view)."""
        return self.vectorizer.transform([text])


def _mark_lines(text: str) -> str:
    # scikit-learn's char analyzer folds every white-space run into one space: keep line breaks
    # (paragraphs are part of a writer's layout) as a visible mark.
    return text.replace("\n", "\u00b6")


def _apply(steps, text: str) -> str:
    for step in steps:
        text = step(text)
    return text


_WORD = re.compile(r"[^\W\d_]+")
_KEEP = frozenset(FUNCTION_WORDS)


def distorted(text: str) -> str:
    """`text` with each letter of non-function words replaced by `*` and each digit by `#`."""
    masked = _WORD.sub(lambda m: m.group() if m.group().lower() in _KEEP else "*" * len(m.group()), text)
    return re.sub(r"\d", "#", masked)


@dataclass(frozen=True)
class TextFeatures:
    """One text as the judge sees it: per view, a row of n-gram counts; and its style vector."""

    ngrams: dict[str, sparse.csr_matrix]
    style: np.ndarray
    n_chars: int


_CACHE: LRUCache[TextFeatures] = LRUCache(size=2048)


def text_features(text: str, views: tuple[NgramView, ...]) -> TextFeatures:
    key = cache_key(text, [repr(v) for v in views])

    def compute() -> TextFeatures:
        clean = normalize(text)
        return TextFeatures(ngrams={v.name: v.counts(clean) for v in views}, style=style_vector(clean), n_chars=len(clean))

    return _CACHE.get_or_compute(key, compute)
