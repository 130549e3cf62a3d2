"""Interpretable style features of one text: each has a name and a phrase that says its value in words.

Rates are per 100 words (or per 100 characters for digits) so texts of any length compare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hyperalign.optimize.stylometry.function_words import (
    FIRST_PLURAL,
    FIRST_SINGULAR,
    FUNCTION_WORDS,
    HEDGES,
    INTENSIFIERS,
    SECOND_PERSON,
)
from hyperalign.optimize.stylometry.text import (
    lines,
    normalize,
    paragraphs,
    sentences,
    words,
)


@dataclass(frozen=True)
class Feature:
    """One measurable habit: `phrase` says a value in words, e.g. "sentences average {} words"."""

    name: str
    phrase: str
    decimals: int = 1

    def format(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"

    def describe(self, value: float) -> str:
        return self.phrase.format(self.format(value))


@dataclass
class _Units:
    """The counted units of one text, computed once and shared by every feature."""

    text: str
    words: list[str]
    lower: list[str]
    sentence_lengths: list[int]
    sentences: list[str]
    paragraph_lengths: list[int]
    lines_per_paragraph: list[int]
    lines: list[str]

    @property
    def n_words(self) -> int:
        return max(len(self.words), 1)

    def per_100_words(self, count: float) -> float:
        return 100.0 * count / self.n_words

    def rate_of(self, vocabulary: frozenset[str]) -> float:
        return self.per_100_words(sum(w in vocabulary for w in self.lower))


def _units(text: str) -> _Units:
    text = normalize(text)
    sents = sentences(text)
    paras = paragraphs(text)
    ws = words(text)
    return _Units(
        text=text,
        words=ws,
        lower=[w.lower() for w in ws],
        sentence_lengths=[len(words(s)) for s in sents] or [0],
        sentences=sents,
        paragraph_lengths=[len(words(p)) for p in paras] or [0],
        lines_per_paragraph=[len(lines(p)) for p in paras] or [0],
        lines=lines(text),
    )


_DASH = re.compile(r"(?<=\w) [-\u2013] (?=\w)|--|\u2014")
_ELLIPSIS = re.compile(r"\.\.\.|\u2026")
_QUOTE = re.compile(r"[\"\u201c\u201d]")
_CONTRACTION = re.compile(r"(?i)[a-z](?:n['\u2019]t|['\u2019](?:m|re|ve|ll|d))\b|\b(?:it|that|there|he|she|what|who|let)['\u2019]s\b")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25e6>]|\d{1,2}[.)])\s+")
_ALL_CAPS = re.compile(r"\b[A-Z]{2,}\b")
_EMOTICON = re.compile(r"[:;]-?[)(DPp]|[\U0001F300-\U0001FAFF\u2600-\u27bf]")
_FUNCTION = frozenset(FUNCTION_WORDS)


def _mattr(lower: list[str], window: int = 50) -> float:
    """Moving-average type-token ratio: vocabulary richness that does not fall with text length."""
    if len(lower) <= window:
        return 100.0 * len(set(lower)) / max(len(lower), 1)
    ratios = [len(set(lower[i : i + window])) / window for i in range(0, len(lower) - window + 1, 5)]
    return 100.0 * float(np.mean(ratios))


def _share_lowercase_starts(u: _Units) -> float:
    starts = [s.lstrip("\"'(\u201c[")[:1] for s in u.sentences]
    letters = [c for c in starts if c.isalpha()]
    return 100.0 * sum(c.islower() for c in letters) / max(len(letters), 1)


_UPPER = re.compile(r"[^\W\d_a-z]", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _capital_share(text: str) -> float:
    upper = sum(1 for c in _UPPER.findall(text) if c.isupper())
    return 100.0 * upper / max(len(_LETTER.findall(text)), 1)


def _punct(mark: str) -> Callable[[_Units], float]:
    return lambda u: u.per_100_words(u.text.count(mark))


def _pattern(regex: re.Pattern[str]) -> Callable[[_Units], float]:
    return lambda u: u.per_100_words(len(regex.findall(u.text)))


# (feature, how to measure it). The order is the order of a style vector.
_MEASURES: tuple[tuple[Feature, Callable[[_Units], float]], ...] = (
    (Feature("length", "the text has {} words", 0), lambda u: float(len(u.words))),
    (Feature("sentence_length", "sentences average {} words"), lambda u: float(np.mean(u.sentence_lengths))),
    (Feature("sentence_length_sd", "sentence length varies by {} words (sd)"), lambda u: float(np.std(u.sentence_lengths))),
    (Feature("paragraph_length", "paragraphs average {} words"), lambda u: float(np.mean(u.paragraph_lengths))),
    (Feature("lines_per_paragraph", "paragraphs average {} lines"), lambda u: float(np.mean(u.lines_per_paragraph))),
    (Feature("word_length", "words average {} letters", 2), lambda u: float(np.mean([len(w) for w in u.words])) if u.words else 0.0),
    (Feature("vocabulary_richness", "{} distinct words per 100 (moving type-token ratio)"), lambda u: _mattr(u.lower)),
    (Feature("function_words", "{}% of words are function words"), lambda u: u.rate_of(_FUNCTION)),
    (Feature("commas", "{} commas per 100 words"), _punct(",")),
    (Feature("semicolons", "{} semicolons per 100 words"), _punct(";")),
    (Feature("colons", "{} colons per 100 words"), _punct(":")),
    (Feature("exclamations", "{} exclamation marks per 100 words"), _punct("!")),
    (Feature("questions", "{} question marks per 100 words"), _punct("?")),
    (Feature("dashes", "{} dashes per 100 words"), _pattern(_DASH)),
    (Feature("parentheses", "{} parentheses per 100 words"), _punct("(")),
    (Feature("quotes", "{} quotation marks per 100 words"), _pattern(_QUOTE)),
    (Feature("ellipses", "{} ellipses per 100 words"), _pattern(_ELLIPSIS)),
    (Feature("capitals", "{}% of letters are capitals"), lambda u: _capital_share(u.text)),
    (Feature("all_caps_words", "{} all-capital words per 100 words"), _pattern(_ALL_CAPS)),
    (Feature("lowercase_starts", "{}% of sentences start lower-case", 0), _share_lowercase_starts),
    (Feature("contractions", "{} contractions per 100 words"), _pattern(_CONTRACTION)),
    (Feature("digits", "{} digits per 100 characters"), lambda u: 100.0 * len(_DIGIT.findall(u.text)) / max(len(u.text), 1)),
    (Feature("bullets", "{}% of lines are bullets or numbered items", 0),
     lambda u: 100.0 * sum(bool(_BULLET.match(line)) for line in u.lines) / max(len(u.lines), 1)),
    (Feature("first_person_singular", "{} uses of I/me/my per 100 words"), lambda u: u.rate_of(FIRST_SINGULAR)),
    (Feature("first_person_plural", "{} uses of we/us/our per 100 words"), lambda u: u.rate_of(FIRST_PLURAL)),
    (Feature("second_person", "{} uses of you/your per 100 words"), lambda u: u.rate_of(SECOND_PERSON)),
    (Feature("hedges", "{} hedges (perhaps, maybe, probably...) per 100 words"), lambda u: u.rate_of(HEDGES)),
    (Feature("intensifiers", "{} intensifiers (very, really, so...) per 100 words"), lambda u: u.rate_of(INTENSIFIERS)),
    (Feature("emoticons", "{} emoticons or emoji per 100 words"), _pattern(_EMOTICON)),
)

FEATURES: tuple[Feature, ...] = tuple(feature for feature, _ in _MEASURES)
FEATURE_INDEX: dict[str, int] = {feature.name: i for i, feature in enumerate(FEATURES)}


def style_vector(text: str) -> np.ndarray:
    """The value of every feature in FEATURES for one text."""
    units = _units(text)
    return np.array([measure(units) for _, measure in _MEASURES], dtype=np.float64)


def function_word_rates(text: str) -> np.ndarray:
    """How often each of FUNCTION_WORDS occurs, per 100 words."""
    lower = [w.lower() for w in words(normalize(text))]
    index = {w: i for i, w in enumerate(FUNCTION_WORDS)}
    rates = np.zeros(len(FUNCTION_WORDS))
    for w in lower:
        i = index.get(w)
        if i is not None:
            rates[i] += 1
    return 100.0 * rates / max(len(lower), 1)
