"""Tasks that give the text's first sentence ("Write an article that starts with the following: ...").

The news, blog and e-mail loaders phrase a held-out item so; the text must then begin with that
sentence. Measured on the embedded LM: with hypotheses in the prompt it paraphrased the opening
("The U.S. Postal Service has made a bold move to ...") instead of starting with it, which cost task
fidelity. Every writing program puts the given opening first, the same way, so a comparison of
programs measures what they write after it. A first line that only announces the text ("Here is the
article:") is dropped in every program alike.

    opening = task_opening(task)            # None when the task gives no opening
    text = start_with_opening(text, opening)
"""

from __future__ import annotations

import re

from hyperalign.programs.checks.tokens import TERMINAL, words

_OPENING = re.compile(r"\bstarts? with the following:\s*(\S.*)$", re.I | re.S)
# The LM's first sentence restates the opening when this share of its words are the opening's.
RESTATES = 0.5
TEXT_KIND = r"(?:article|e-?mail|letter|text|post|essay|message|story|piece)"  # what a writing task asks for
# A first line that announces the text instead of being it (measured on the embedded LM: "Here is the
# article:", "Sure! Here's your email:"): the text starts after it.
PREAMBLE = re.compile(
    r"^(?:(?:sure|certainly|of course|okay|ok)\b[,.!]?\s*)?here(?:'s|\u2019s| is) (?:the |your |an? |my )?(?:[\w-]+ ){0,4}"
    rf"(?:{TEXT_KIND}|response|reply|draft|version):[ \t]*\n\s*", re.I)


def task_opening(task: str) -> str | None:
    """The sentence the task says the text starts with, or None."""
    match = _OPENING.search(task or "")
    return match.group(1).strip() if match else None


def start_with_opening(text: str, opening: str | None) -> str:
    """`text` beginning with `opening`. A text that already does is returned as it is; otherwise the
    opening goes first, and the text's first sentence is dropped when it restates the opening (so
    the opening is not said twice). A first line that only announces the text is dropped first."""
    text = text.strip()
    preamble = PREAMBLE.match(text)
    if preamble and text[preamble.end():].strip():
        text = text[preamble.end():].strip()
    if not opening or _squash(text).startswith(_squash(opening)):
        return text
    # The text's first sentence: the first sentence end at least half the opening's length in ("The U.S."
    # is not a sentence).
    ends = (m.end() for m in TERMINAL.finditer(text) if m.end() == len(text) or text[m.end()].isspace())
    cut = next((end for end in ends if end >= len(opening) // 2), len(text))
    first_words, opening_words = words(text[:cut]), set(words(opening))
    if first_words and sum(w in opening_words for w in first_words) / len(first_words) >= RESTATES:
        text = text[cut:].strip()
    return f"{opening} {text}".strip()


def _squash(text: str) -> str:
    return " ".join(words(text))
