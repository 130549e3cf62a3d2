"""The text units the checks count: lower-cased words, sentences, word n-grams, paragraph breaks and list items."""

from __future__ import annotations

import re

# Words keep inner apostrophes ("don't"); numbers count as words; punctuation is dropped.
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# A sentence's end mark with any closing quote or bracket after it.
TERMINAL = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*")
# Paragraphs are separated by a blank line; a list item starts with a bullet or a number.
BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
LIST_ITEM = re.compile(r"^\s*(?:[-*\u2022]|\d{1,2}[.)])\s+\S")
# A sentence ends at . ! ? (or an ellipsis) before white space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\n+")


def words(text: str) -> list[str]:
    """Lower-cased words, apostrophes unified."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def sentences(text: str) -> list[str]:
    """Sentences (and lines) that hold at least one word."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and _WORD.search(s)]


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    """Every run of n consecutive tokens, in order (none for fewer than n tokens)."""
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
