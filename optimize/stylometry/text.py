"""Text units the stylometric features count: normalized text, words, sentences, paragraphs, lines."""

from __future__ import annotations

import re

from hyperalign.core.text import unix_lines

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
# Words keep inner apostrophes and hyphens ("don't", "well-known"); numbers count as words.
_WORD = re.compile(r"[^\W_]+(?:['\u2019\-][^\W_]+)*")
# A sentence ends at . ! ? (or …) followed by space and an upper-case letter, digit, quote or bracket,
# or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+")


def normalize(text: str) -> str:
    """One form for every source: LF line ends, single spaces, no trailing blanks on lines."""
    text = _SPACES.sub(" ", unix_lines(text))
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and _WORD.search(s)]


def paragraphs(text: str) -> list[str]:
    """Blocks separated by a blank line; a text with single line breaks only counts each line."""
    blocks = [b.strip() for b in _BLANK_LINES.split(text) if b.strip()]
    if len(blocks) == 1 and "\n" in blocks[0]:
        blocks = [line for line in blocks[0].split("\n") if line.strip()]
    return blocks


def lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]
