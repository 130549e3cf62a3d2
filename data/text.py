"""Small text helpers shared by the loaders."""

from __future__ import annotations

import re

from hyperalign.core.text import unix_lines

# A candidate sentence end: . ! or ? (maybe with a closing quote or bracket) before a capital,
# digit or opening quote.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?=\s+[\"'(\[]?[A-Z0-9])")
_INITIALS = re.compile(r"^([a-z]\.)*[a-z]$")  # J, J.P, U.S
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "corp", "co", "cos", "ltd", "bros",
    "no", "vs", "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "e.g", "i.e",
}
# Words that continue a company name (Yahoo! Inc., Molson Cos. Ltd.), so what precedes is no end.
_COMPANY_SUFFIXES = {"inc", "corp", "co", "cos", "ltd", "plc", "llc", "ag", "sa", "nv"}


def normalise(text: str) -> str:
    """Unix line ends (CCAT50 files use CRLF), no surrounding whitespace."""
    return unix_lines(text).strip()


def first_sentence(text: str) -> str:
    """The first sentence of the first non-empty paragraph (the whole paragraph if it has one)."""
    paragraph = next((p.strip() for p in normalise(text).split("\n") if p.strip()), "")
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: match.start()].split()
        after = paragraph[match.end() :].split()
        last = before[-1].lower() if before else ""
        following = after[0].strip(".,").lower() if after else ""
        if last in _ABBREVIATIONS or _INITIALS.match(last) or following in _COMPANY_SUFFIXES:
            continue
        return paragraph[: match.end()].strip()
    return paragraph
