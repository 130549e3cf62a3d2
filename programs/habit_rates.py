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

from hyperalign.programs.checks.habits import CONTRACTION
from hyperalign.programs.checks.tokens import words

# Full forms an edit contracts. Not "let us" ("let us know" is not "let's know") nor "I have" ("I have a
# question" is not "I've a question"); a form is contracted only before a word ("what it is." stays).
_CONTRACT = (
    ("I am", "I'm"), ("I will", "I'll"), ("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"),
    ("is not", "isn't"), ("are not", "aren't"), ("was not", "wasn't"), ("were not", "weren't"), ("cannot", "can't"),
    ("will not", "won't"), ("would not", "wouldn't"), ("should not", "shouldn't"), ("could not", "couldn't"),
    ("have not", "haven't"), ("has not", "hasn't"), ("it is", "it's"), ("that is", "that's"), ("there is", "there's"),
    ("we are", "we're"), ("they are", "they're"), ("you are", "you're"), ("we will", "we'll"), ("you will", "you'll"),
)
_CONTRACTED_FORM = {full.lower(): short for full, short in _CONTRACT}
# Contractions an edit writes out: the ones above, and those with more than one reading, settled below.
_EXPAND = {short.lower(): full for full, short in _CONTRACT} | {
    "i've": "I have", "we've": "we have", "you've": "you have", "they've": "they have", "let's": "let us",
    "he'll": "he will", "she'll": "she will", "they'll": "they will", "it'll": "it will", "that'll": "that will",
    "you'd": "you would", "we'd": "we would", "they'd": "they would", "he'd": "he would", "she'd": "she would",
    "i'd": "I would", "he's": "he is", "she's": "she is", "who's": "who is", "what's": "what is",
}
# "'s" before a participle is "has" ("it's been"), "'d" is "had" ("I'd seen").
_PARTICIPLE = re.compile(r"\s+(?:been|got|gone|had|done|seen|made|taken|given|known|\w+ed)\b", re.I)
_FULL_FORM = re.compile(
    r"\b(" + "|".join(sorted((re.escape(f) for f, _ in _CONTRACT), key=len, reverse=True)) + r")\b(?=\s+(?!too\b)[A-Za-z])", re.I)
_CONTRACTED = re.compile(
    r"\b(" + "|".join(re.escape(s).replace("'", "['\u2019]") for s in _EXPAND) + r")(?![\w'\u2019])", re.I)
ALL_LOWER = 0.8  # of sentences starting in lower case, with "i" for "I": the user writes all in lower case
# Where a sentence starts: the text's start, after an end mark and space (not after "Mr."), or after a line break.
_NOT_AN_END = "".join(rf"(?<!\b{a}\.)" for a in ("Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "vs", "No", "Co", "Inc"))
_SENTENCE_START = re.compile(
    rf"(?:^|{_NOT_AN_END}(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n\s*)([A-Za-z])(?=[a-z' ])")
# Words lowered at a sentence start even if the text has no lower-case use of them; any other word is
# lowered only when the text also writes it in lower case (so "Reuters" and "Smith" keep their capital).
_COMMON_STARTS = frozenset(
    "a all also an and as at but dear for he hello her hey hi his how however if in it just my no not now on our please "
    "she so some "
    "thanks thank that the then there these they this those we what when why yes you your".split())


def _same_case(source: str, target: str) -> str:
    return target[0].upper() + target[1:] if source[:1].isupper() and target[:1].islower() else target


def _count(per_100_words: float, n_words: int) -> int:
    return int(per_100_words * n_words / 100 + 0.5)  # halves up (round() would take 2.5 to 2)


def contract_to_rate(text: str, per_100_words: float) -> tuple[str, list[str]]:
    """Contract full forms, earliest in the text first, until the text has `per_100_words`
    contractions per 100 words; a text already at or above that rate is left alone. Returns the text
    and the forms contracted."""
    wanted = _count(per_100_words, len(words(text))) - len(CONTRACTION.findall(text))
    changed: list[str] = []

    def swap(match: re.Match[str]) -> str:
        if len(changed) >= wanted:
            return match.group(0)
        changed.append(match.group(0))
        return _same_case(match.group(0), _CONTRACTED_FORM[match.group(0).lower()])

    return (_FULL_FORM.sub(swap, text) if wanted > 0 else text), changed


def expand_contractions(text: str) -> tuple[str, list[str]]:
    """Every contraction the edit knows written out in full ("don't" -> "do not"; "it's been" -> "it
    has been", "I'd seen" -> "I had seen")."""
    changed: list[str] = []

    def swap(match: re.Match[str]) -> str:
        short = match.group(0).lower().replace("\u2019", "'")
        full = _EXPAND[short]
        if short.endswith(("'s", "'d")) and _PARTICIPLE.match(text, match.end()):
            full = full.rsplit(" ", 1)[0] + (" has" if short.endswith("'s") else " had")
        changed.append(match.group(0))
        return _same_case(match.group(0), full)

    return _CONTRACTED.sub(swap, text), changed


def lower_starts_to_share(text: str, share: float, lower_i: bool = False) -> tuple[str, list[str]]:
    """Lower-case sentence starts, evenly spread, until about `share` of the sentences start in lower
    case (those already in lower case count); a starting "I" stays unless `lower_i` (the user writes
    "i"), and a name stays (see _COMMON_STARTS). Returns the text and the words lowered."""
    starts = list(_SENTENCE_START.finditer(text))
    lowered_words = set(re.findall(r"\b[a-z][a-z']*\b", text))
    allowed = [m for m in starts if m.group(1).isupper() and _may_lower(_word_at(text, m.start(1)), lowered_words, lower_i)]
    wanted = min(_count(100 * share, len(starts)) - sum(m.group(1).islower() for m in starts), len(allowed))
    if wanted <= 0:
        return text, []
    picked = {allowed[int(i * len(allowed) / wanted)].start(1) for i in range(wanted)}
    chars = list(text)
    for at in picked:
        chars[at] = chars[at].lower()
    return "".join(chars), [_word_at(text, at) for at in sorted(picked)]


def _word_at(text: str, at: int) -> str:
    return re.match(r"[\w']+", text[at:]).group(0)


def _may_lower(word: str, lowered_words: set[str], lower_i: bool) -> bool:
    if word == "I" or word.startswith("I'"):
        return lower_i
    return word.lower() in _COMMON_STARTS or word.lower() in lowered_words


def lower_case_like(text: str, share_starts: float, lower_i: bool) -> tuple[str, list[str]]:
    """Lower case as the user writes it: all of it for a user who writes nearly every sentence in
    lower case and "i" for "I" (measured: the demo's "hey team!! so bad news, thursday ..."), else the
    user's share of sentence starts."""
    if share_starts >= ALL_LOWER and lower_i:
        lowered = text.lower()
        return lowered, ([] if lowered == text else ["every capital letter"])
    return lower_starts_to_share(text, share_starts, lower_i)
