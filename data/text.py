"""Small text helpers shared by the loaders."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (maybe followed by a closing quote or bracket) before a capital
# letter or an opening quote, unless the word before is a common abbreviation or an initial.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]?(?=\s+[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs",
    "gen", "gov", "sen", "rep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e",
}


def normalise(text: str) -> str:
    """Unix line ends (CCAT50 files use CRLF), no surrounding whitespace."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def first_sentence(text: str) -> str:
    """The first sentence of the first non-empty paragraph."""
    paragraph = next((p.strip() for p in normalise(text).split("\n") if p.strip()), "")
    for match in _SENTENCE_END.finditer(paragraph):
        words = paragraph[: match.start()].split()
        last = words[-1].rstrip(".!?\"')]").lower() if words else ""
        if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
            continue
        return paragraph[: match.end()].strip()
    return paragraph
