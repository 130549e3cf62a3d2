"""Edits that bring a text to the rate at which the user does something: contractions and lower-case
sentence starts. A small LM told "You write with contractions" or "You write in lower case" still
writes "I am writing to ..." with every sentence capitalized (measured on CMCC e-mail writers and the
demo users); an edit can keep these habits, at the rate measured in the user's own texts (a user who
contracts 2 times in 100 words gets about 2 contractions in 100 words, not every "I am" contracted).

    text, changed = contract_to_rate("I am sure it is fine. I do not mind.", per_100_words=15.0)
    text  # "I'm sure it's fine. I do not mind."   changed == ["I am", "it is"]
"""

from __future__ import annotations

import re

from hyperalign.programs.checks.tokens import words

# (full form, contraction); the full forms an edit may contract and a contraction an edit may expand.
_PAIRS = (
    ("I am", "I'm"), ("I have", "I've"), ("I will", "I'll"), ("I would", "I'd"), ("do not", "don't"),
    ("does not", "doesn't"), ("did not", "didn't"), ("is not", "isn't"), ("are not", "aren't"), ("was not", "wasn't"),
    ("were not", "weren't"), ("cannot", "can't"), ("will not", "won't"), ("would not", "wouldn't"),
    ("should not", "shouldn't"), ("could not", "couldn't"), ("have not", "haven't"), ("has not", "hasn't"),
    ("it is", "it's"), ("that is", "that's"), ("there is", "there's"), ("we are", "we're"), ("they are", "they're"),
    ("you are", "you're"), ("we have", "we've"), ("we will", "we'll"), ("you will", "you'll"), ("let us", "let's"),
    ("what is", "what's"), ("I had", "I'd"),
)
_FULL = {full.lower(): short for full, short in _PAIRS}
_SHORT = {}
for _full, _short in _PAIRS:
    _SHORT.setdefault(_short.lower(), _full)  # "I'd" expands to "I would", its commoner reading
_FULL_FORM = re.compile(r"\b(" + "|".join(sorted((re.escape(f) for f in _FULL), key=len, reverse=True)) + r")\b", re.I)
_CONTRACTED = re.compile(
    r"\b(" + "|".join(re.escape(s).replace("'", "['\u2019]") for s in _SHORT) + r")(?![\w'\u2019])", re.I)
_ANY_CONTRACTION = re.compile(r"(?i)[a-z](?:n['\u2019]t|['\u2019](?:m|re|ve|ll|d))\b|\b(?:it|that|there|what|let)['\u2019]s\b")
ALL_LOWER = 0.8  # of sentences starting in lower case, with "i" for "I": the user writes all in lower case
# Where a sentence starts: the text's start, after an end mark and space, or after a line break.
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n\s*)([A-Z])(?=[a-z' ])")


def _same_case(source: str, target: str) -> str:
    return target[0].upper() + target[1:] if source[:1].isupper() and target[:1].islower() else target


def contract_to_rate(text: str, per_100_words: float) -> tuple[str, list[str]]:
    """Contract full forms, first ones first, until the text has `per_100_words` contractions per 100
    words (rounded); the text already above that rate is left alone. Returns the text and the forms
    contracted."""
    wanted = round(per_100_words * len(words(text)) / 100) - len(_ANY_CONTRACTION.findall(text))
    changed: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if len(changed) >= wanted:
            return match.group(0)
        changed.append(match.group(0))
        return _same_case(match.group(0), _FULL[match.group(0).lower()])

    return (_FULL_FORM.sub(swap, text) if wanted > 0 else text), changed


def expand_contractions(text: str) -> tuple[str, list[str]]:
    """Every contraction the edit knows written out in full ("don't" -> "do not")."""
    changed: list[str] = []

    def swap(match: re.Match[str]) -> str:
        changed.append(match.group(0))
        return _same_case(match.group(0), _SHORT[match.group(0).lower().replace("\u2019", "'")])

    return _CONTRACTED.sub(swap, text), changed


def lower_starts_to_share(text: str, share: float, lower_i: bool = False) -> tuple[str, list[str]]:
    """Lower-case sentence starts, evenly spread, until about `share` of the sentences start in lower
    case; a starting "I" stays unless `lower_i` (the user writes "i"). Returns the text and the
    words lowered."""
    starts = list(_SENTENCE_START.finditer(text))
    allowed = [m for m in starts if lower_i or not re.match(r"I\b", text[m.start(1):m.start(1) + 2])]
    wanted = min(round(share * len(starts)), len(allowed))
    if wanted <= 0:
        return text, []
    picked = {allowed[int(i * len(allowed) / wanted)].start(1) for i in range(wanted)}
    chars = list(text)
    changed = []
    for at in sorted(picked):
        chars[at] = chars[at].lower()
        changed.append(re.match(r"\w+", text[at:]).group(0))
    return "".join(chars), changed


def lower_case_like(text: str, share_starts: float, lower_i: bool) -> tuple[str, list[str]]:
    """Lower case as the user writes it: all of it for a user who writes nearly every sentence in
    lower case and "i" for "I" (measured: the demo's "hey team!! so bad news, thursday ..."), else the
    user's share of sentence starts."""
    if share_starts >= ALL_LOWER and lower_i:
        lowered = text.lower()
        return lowered, ([] if lowered == text else ["every capital letter"])
    return lower_starts_to_share(text, share_starts, lower_i)
