"""Habits a hypothesis states that an edit can keep for certain: no greeting, no sign-off, no
exclamation marks. A small LM told "You write without a greeting" still opens with "Dear Sir/Madam,"
(measured on CMCC e-mail writers); when a valid hypothesis says the writer does not do it (a habit
measured in their texts), the line is taken out. Each edit is reported with the hypothesis behind it,
so a reader sees what was changed and why.

    text, edits = keep_habits(text, ["The writer writes without a greeting."])
    edits  # ["removed the greeting 'Dear Sir/Madam,' (The writer writes without a greeting.)"]
"""

from __future__ import annotations

import re

from hyperalign.programs.checks.habits import GREETING, SIGN_OFF
from hyperalign.programs.checks.tokens import words

_NO_GREETING = re.compile(r"\bwithout (?:a )?greetings?\b", re.I)
_NO_SIGN_OFF = re.compile(r"\bwithout (?:a )?sign[- ]?offs?\b", re.I)
_NO_EXCLAMATION = re.compile(r"\bwithout exclamation marks\b", re.I)
GREETING_WORDS = 6  # a line this short that opens with a greeting is only the greeting
SIGN_OFF_WORDS = 4
NAME_WORDS = 3  # a short line after a sign-off ("Jane Smith") is the signature


def keep_habits(text: str, statements: list[str]) -> tuple[str, list[str]]:
    """`text` with the stated habits kept, and what was edited (empty when nothing was)."""
    edits: list[str] = []
    for statement in statements:
        for rule, what, edit in _EDITS:
            if rule.search(statement):
                text, removed = edit(text)
                if removed:
                    edits.append(f"removed {what} {removed[:60]!r} ({statement})")
                break
    return text, edits


def _drop_exclamations(text: str) -> tuple[str, str]:
    removed = "!" * text.count("!")
    return re.sub(r"!+", ".", re.sub(r"\?!+|!+\?", "?", text)), removed


def _drop_greeting(text: str) -> tuple[str, str]:
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not GREETING.match(lines[first]) or len(words(lines[first])) > GREETING_WORDS:
        return text, ""
    return "\n".join(lines[first + 1:]).strip(), lines[first].strip()


def _drop_sign_off(text: str) -> tuple[str, str]:
    lines = text.rstrip().split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for i in filled[-3:]:
        if i == filled[0]:  # nothing before it: the sign-off would be the whole text
            continue
        after = [lines[j] for j in filled if j > i]
        if SIGN_OFF.match(lines[i]) and len(words(lines[i])) <= SIGN_OFF_WORDS and all(
                len(words(line)) <= NAME_WORDS for line in after):
            return "\n".join(lines[:i]).strip(), " / ".join(line.strip() for line in lines[i:] if line.strip())
    return text, ""


# (what a statement says the writer never does, what the edit takes out, the edit)
_EDITS = (
    (_NO_GREETING, "the greeting", _drop_greeting),
    (_NO_SIGN_OFF, "the sign-off", _drop_sign_off),
    (_NO_EXCLAMATION, "exclamation marks", _drop_exclamations),
)
