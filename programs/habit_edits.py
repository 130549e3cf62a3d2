"""Habits a hypothesis states that an edit can keep for certain: no greeting, no sign-off, no
exclamation marks, contractions (or none), lower case, lines wrapped at the user's width. A small LM told "You write without a
greeting" still opens with "Dear Sir/Madam," and one told "You write in lower case" capitalizes every
sentence (measured on CMCC e-mail writers and the demo users); when a valid hypothesis names the
habit (measured in the user's texts), an edit keeps it, at the user's measured rate where the habit
is a rate (programs/habit_rates.py). Each edit is reported with the hypothesis behind it, so a reader
sees what was changed and why.

    text, edits = keep_habits(text, ["The writer writes without a greeting."])
    edits  # ["removed the greeting 'Dear Sir/Madam,' (The writer writes without a greeting.)"]
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from hyperalign.programs.checks.habits import GREETING, SIGN_OFF, HabitMeasures, habit_claim
from hyperalign.programs.checks.tokens import words
from hyperalign.programs.checks.wrapping import starts_own_line
from hyperalign.programs.habit_rates import contract_to_rate, expand_contractions, lower_case_like

# The e-mail formulas that follow a greeting ("I hope this message finds you well."): part of the
# greeting (measured: in the shared corpora only writers who greet write one).
PLEASANTRY = re.compile(
    r"\s*(?:I hope (?:this|my) (?:\w+ )?finds you well|I hope you(?:'re| are) (?:doing |keeping )?well|"
    r"I hope (?:all is|everything is|everyone is|you are all|you're all) (?:doing )?well)[^.!?\n]{0,20}[.!]\s*", re.I)
GREETING_WORDS = 6  # a line this short that opens with a greeting is only the greeting
SIGN_OFF_WORDS = 4
NAME_WORDS = 3  # a short line after a sign-off ("Jane Smith") is the signature


def keep_habits(text: str, statements: list[str], measures: HabitMeasures | None = None) -> tuple[str, list[str]]:
    """`text` with the stated habits kept, and what was edited (empty when nothing was). The habits
    kept at a rate (contractions, lower case) need the user's `measures`; without them they are not
    edited."""
    edits: list[str] = []
    # Edit by edit, in _EDITS order (lines removed before a rate is counted or a capital lowered), by
    # what each statement claims of the habit ("writes without a greeting", "rarely greets": less); a
    # statement may name several habits ("without a greeting or a sign-off").
    for habit, claim, edit in _EDITS:
        for statement in statements:
            if habit_claim(statement, habit) == claim:
                text, done = edit(text, measures)
                if done:
                    edits.append(f"{done} ({statement})")
                break
    return text, edits


def _removed(what: str, drop: Callable[[str], tuple[str, str]]) -> Callable[[str, HabitMeasures | None], tuple[str, str]]:
    def edit(text: str, measures: HabitMeasures | None) -> tuple[str, str]:
        text, removed = drop(text)
        return text, (f"removed {what} {removed[:60]!r}" if removed else "")
    return edit


def _changed(what: str, changed: list[str]) -> str:
    shown = ", ".join(repr(c) for c in changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
    return f"{what}: {shown}" if changed else ""


def _contract(text: str, measures: HabitMeasures | None) -> tuple[str, str]:
    if measures is None:
        return text, ""
    text, changed = contract_to_rate(text, measures.contractions_per_100_words)
    return text, _changed(f"contracted to the user's {measures.contractions_per_100_words:.1f} per 100 words", changed)


def _expand(text: str, measures: HabitMeasures | None) -> tuple[str, str]:
    text, changed = expand_contractions(text)
    return text, _changed("wrote out contractions", changed)


def _lower(text: str, measures: HabitMeasures | None) -> tuple[str, str]:
    if measures is None:
        return text, ""
    share = measures.share_lowercase_sentence_starts
    text, changed = lower_case_like(text, share, measures.writes_lower_i)
    return text, _changed(f"lower-cased as the user does ({share:.0%} of sentence starts)", changed)


def _wrap(text: str, measures: HabitMeasures | None) -> tuple[str, str]:
    """Each line longer than the user's width broken as their texts are (a list item or a quoted '>'
    line is left whole)."""
    if measures is None or not measures.wrap_width:
        return text, ""
    width, lines, wrapped = measures.wrap_width, [], 0
    for line in text.split("\n"):
        if len(line) > width and not starts_own_line(line):
            line = textwrap.fill(line.strip(), width, break_long_words=False, break_on_hyphens=False)
            wrapped += 1
        lines.append(line)
    done = f"wrapped {wrapped} long line{'s' if wrapped > 1 else ''} at {width} characters, as the user's texts are"
    return "\n".join(lines), done if wrapped else ""


def _drop_exclamations(text: str) -> tuple[str, str]:
    removed = "!" * text.count("!")
    return re.sub(r"!+", ".", re.sub(r"\?!+|!+\?", "?", text)), removed


def _drop_greeting(text: str) -> tuple[str, str]:
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or not GREETING.match(lines[first]) or len(words(lines[first])) > GREETING_WORDS:
        return text, ""
    rest = "\n".join(lines[first + 1:]).strip()
    pleasantry = PLEASANTRY.match(rest)
    if pleasantry and rest[pleasantry.end():].strip():
        return rest[pleasantry.end():].strip(), f"{lines[first].strip()} / {pleasantry.group(0).strip()}"
    return rest, lines[first].strip()


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


# (the habit, what a statement claims of it (programs/checks/habits: "more" or "less"), the edit that keeps it)
_EDITS = (
    ("greetings", "less", _removed("the greeting", _drop_greeting)),
    ("sign-offs", "less", _removed("the sign-off", _drop_sign_off)),
    ("exclamation marks", "less", _removed("exclamation marks", _drop_exclamations)),
    ("contractions", "less", _expand),
    ("contractions", "more", _contract),
    ("lower case", "more", _lower),
    ("line wrap", "more", _wrap),  # last: every other edit changes the lines' lengths
)
