"""The text normal forms of the project, one function each: line ends for storing and counting,
a folded form for matching what a model quoted or said against what was written."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Typographic quotes and dashes a model may substitute for the plain ones in the source.
_TYPOGRAPHIC = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def unix_lines(text: str) -> str:
    """CRLF and CR line ends as LF (CCAT50 files use CRLF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """Unicode forms (NFKC), typographic quotes and dashes, runs of whitespace and case folded, so
    two spellings of the same words compare equal.

        fold("  That\u2019s \\n GREAT ") == "that's great"
    """
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    return _SPACE.sub(" ", text).strip().casefold()
