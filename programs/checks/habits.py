"""Measurable writing habits: measure them in a user's texts, and check a hypothesis that names one.

A hypothesis such as "The writer uses many exclamation marks" can be tested against the texts it
claims to describe. `measure_habits` counts each habit once per user; `check_habits` finds the habits a
statement names (with their polarity: "uses" vs "avoids") and says, per habit, whether the
measurements support or contradict it. A contradicted hypothesis is excluded from conditioning.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from hyperalign.programs.checks.tokens import BLANK_LINE, LIST_ITEM, words
from hyperalign.programs.checks.tokens import sentences as _sentences
from hyperalign.programs.checks.wrapping import unwrap, wrap_width

CONTRACTION = re.compile(
    r"(?i)[a-z](?:n['\u2019]t|['\u2019](?:m|re|ve|ll|d))\b|\b(?:it|that|there|he|she|what|who|let)['\u2019]s\b"
)
GREETING = re.compile(r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hiya|yo)\b", re.I)
SIGN_OFF = re.compile(
    r"^\W*(?:best|regards|kind regards|best regards|warm regards|cheers|thanks|thank you|many thanks|sincerely|"
    r"yours|love|take care|talk soon|all the best|xo+)\b", re.I)
_LOWER_I = re.compile(r"(?<![\w'])i(?![\w'])")
_CAPITAL_I = re.compile(r"(?<![\w'])I(?![\w'])")


@dataclass(frozen=True)
class HabitMeasures:
    """One user's habits, measured over all their texts."""

    words_per_sentence: float
    words_per_paragraph: float
    exclamations_per_100_words: float
    questions_per_100_words: float
    contractions_per_100_words: float
    share_opening_with_greeting: float  # of texts
    share_ending_with_sign_off: float  # of texts
    share_lowercase_sentence_starts: float
    lowercase_i: int  # "i" written for "I"
    capital_i: int  # "I" as a word
    share_list_lines: float
    wrap_width: int = 0  # the width lines are hard-wrapped at (0: not wrapped)

    @property
    def writes_lower_i(self) -> bool:
        """Writes "i" for "I" more often than not."""
        return self.lowercase_i > self.capital_i

    def describe(self) -> list[str]:
        """The measurements in words, for a prompt or a report."""
        return [
            f"sentences average {self.words_per_sentence:.0f} words",
            f"paragraphs average {self.words_per_paragraph:.0f} words",
            f"{self.exclamations_per_100_words:.1f} exclamation marks per 100 words",
            f"{self.questions_per_100_words:.1f} question marks per 100 words",
            f"{self.contractions_per_100_words:.1f} contractions per 100 words",
            f"{self.share_opening_with_greeting:.0%} of texts open with a greeting",
            f"{self.share_ending_with_sign_off:.0%} of texts end with a sign-off",
            f"{self.share_lowercase_sentence_starts:.0%} of sentences start in lower case",
            f"{self.share_list_lines:.0%} of lines are list items",
        ] + ([f"lines wrapped at {self.wrap_width} characters"] if self.wrap_width else [])


def _paragraphs(text: str) -> list[str]:
    return [p for p in BLANK_LINE.split(text) if words(p)]


def _ends_with_sign_off(text: str) -> bool:
    """A closing formula, or a short last line that is only a name or initial (\"D.\", \"- Sam\")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    last_lines = lines[-2:]
    if any(SIGN_OFF.match(line) and len(words(line)) <= 4 for line in last_lines):
        return True
    last = lines[-1]
    return len(words(last)) <= 2 and len(last) <= 20 and not last.endswith(("?", "!"))


def measure_habits(texts: list[str]) -> HabitMeasures:
    """Count every habit over the user's texts (rates per 100 words, shares of texts/sentences/lines)."""
    texts = [t.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").strip() for t in texts if t.strip()]
    joined = "\n\n".join(texts)
    n_words = max(len(words(joined)), 1)
    width = wrap_width(texts)
    sentences = [s for t in texts for s in _sentences(unwrap(t, width))]  # a wrapped line's end is no sentence end
    paragraphs = [p for t in texts for p in _paragraphs(t)]
    lines = [line for line in joined.splitlines() if line.strip()]
    starts = [s.lstrip("\"'([\u201c")[:1] for s in sentences]
    letters = [c for c in starts if c.isalpha()]
    per_100 = 100.0 / n_words
    return HabitMeasures(
        words_per_sentence=statistics.fmean(len(words(s)) for s in sentences) if sentences else 0.0,
        words_per_paragraph=statistics.fmean(len(words(p)) for p in paragraphs) if paragraphs else 0.0,
        exclamations_per_100_words=joined.count("!") * per_100,
        questions_per_100_words=joined.count("?") * per_100,
        contractions_per_100_words=len(CONTRACTION.findall(joined)) * per_100,
        share_opening_with_greeting=sum(bool(GREETING.match(t)) for t in texts) / max(len(texts), 1),
        share_ending_with_sign_off=sum(_ends_with_sign_off(t) for t in texts) / max(len(texts), 1),
        share_lowercase_sentence_starts=sum(c.islower() for c in letters) / max(len(letters), 1),
        lowercase_i=len(_LOWER_I.findall(joined)),
        capital_i=len(_CAPITAL_I.findall(joined)),
        share_list_lines=sum(bool(LIST_ITEM.match(line)) for line in lines) / max(len(lines), 1),
        wrap_width=width,
    )


@dataclass(frozen=True)
class HabitCheck:
    """What a statement claims about one habit, and whether the measurements bear it out."""

    habit: str
    claim: str  # "more" (uses / long / often) or "less" (avoids / short / rarely)
    verdict: str  # "supported" or "contradicted"
    reason: str

    @property
    def contradicted(self) -> bool:
        return self.verdict == "contradicted"


_NEGATION = re.compile(
    r"\b(?:no|never|rarely|seldom|avoids?|avoiding|without|not|hardly|few|little|lacks?|free of|skips?|"
    r"omits?|forgoes?|doesn't|does not|don't|barely)\b[^.;]{0,30}$", re.I)
WIDTH_TOLERANCE = 6  # characters
_LONG = r"(?:long|lengthy|run-on|rambling|complex|elaborate|extended|winding)"
_SHORT = r"(?:short|brief|terse|clipped|concise|one-line|single-line|choppy|curt|succinct)"


@dataclass(frozen=True)
class _Habit:
    name: str
    mention: re.Pattern[str]  # where the statement names the habit
    sized: bool  # polarity from long/short words rather than from negation
    opposite: re.Pattern[str] | None = None  # names the habit's opposite ("capitalizes" for lower case)

    def claims(self, statement: str) -> str | None:
        match = self.mention.search(statement)
        if match and self.sized:
            return "more" if re.search(_LONG, match.group(0), re.I) else "less"
        if match:
            return "less" if _NEGATION.search(statement[: match.start()]) else "more"
        match = self.opposite.search(statement) if self.opposite else None
        if match:
            return "more" if _NEGATION.search(statement[: match.start()]) else "less"
        return None


_HABITS = (
    _Habit("sentence length", re.compile(rf"\b{_LONG}\s+(?:\w+\s+){{0,2}}sentences?\b|\b{_SHORT}\s+(?:\w+\s+){{0,2}}sentences?\b|"
                                         rf"\bsentences?\s+(?:are|is|tend to be|stay)\s+(?:\w+\s+)?(?:{_LONG}|{_SHORT})\b", re.I), True),
    _Habit("paragraph length", re.compile(rf"\b(?:{_LONG}|{_SHORT})\s+(?:\w+\s+){{0,2}}paragraphs?\b", re.I), True),
    _Habit("exclamation marks", re.compile(r"\bexclamation", re.I), False),
    _Habit("questions", re.compile(
        r"\brhetorical questions?\b|\bquestion marks?\b|\b(?:asks?|asking|poses?|raises?)\s+(?:\w+\s+){0,2}questions\b", re.I), False),
    _Habit("contractions", re.compile(r"\bcontractions?\b", re.I), False),
    _Habit("greetings", re.compile(r"\bgreetings?\b|\bgreets\b|\bsalutations?\b|\bopens? with (?:a |an )?(?:hi|hello|hey|dear)\b", re.I), False),
    _Habit("sign-offs", re.compile(
        r"\bsign(?:s|ing)?[- ]?offs?\b|\bsigns (?:with|their)\b|\bvaledictions?\b|\bclosing (?:line|formula|phrase)s?\b", re.I), False),
    _Habit("lower case", re.compile(r"\blower[- ]?case\b", re.I), False,
           re.compile(r"\bcapitali[sz](?:e|es|ed|ing|ation)\b|\bcapital letters\b", re.I)),
    _Habit("line wrap", re.compile(r"\blines? (?:hard[- ])?wrapped\b|\bwraps? (?:its |their |the )?lines\b|\bhard[- ]wrap", re.I), False),
    _Habit("lists", re.compile(r"\bbullet(?:ed)?(?: points?| lists?)?\b|\bnumbered lists?\b|\blists\b", re.I), False),
    # Formality, from its measurable marks (contractions, lower case, exclamation marks): "formal and
    # polite" of a writer who writes "hey team!! thursday is not gonna work" is contradicted.
    _Habit("register", re.compile(r"\b(?:formal|polished|businesslike|authoritative)\b", re.I), False,
           re.compile(r"\b(?:casual|slang|informal|chatty|colloquial|loose spelling)\b", re.I)),
)


def _verdict(habit: str, claim: str, m: HabitMeasures, statement: str) -> tuple[str, str]:
    """(verdict, reason with the measured value). Thresholds are loose: only a clear mismatch contradicts."""
    if habit == "sentence length":
        value, ok = m.words_per_sentence, (m.words_per_sentence >= 12 if claim == "more" else m.words_per_sentence <= 20)
        measured = f"sentences average {value:.0f} words"
    elif habit == "paragraph length":
        value, ok = m.words_per_paragraph, (m.words_per_paragraph >= 40 if claim == "more" else m.words_per_paragraph <= 90)
        measured = f"paragraphs average {value:.0f} words"
    elif habit in ("exclamation marks", "questions", "contractions"):
        value = {"exclamation marks": m.exclamations_per_100_words, "questions": m.questions_per_100_words,
                 "contractions": m.contractions_per_100_words}[habit]
        ok = value > 0 if claim == "more" else value < 1.0
        measured = f"{value:.1f} {habit} per 100 words"
    elif habit in ("greetings", "sign-offs"):
        value = m.share_opening_with_greeting if habit == "greetings" else m.share_ending_with_sign_off
        ok = value > 0 if claim == "more" else value < 0.5
        measured = f"{value:.0%} of texts {'open with a greeting' if habit == 'greetings' else 'end with a sign-off'}"
    elif habit == "lower case":
        value = m.share_lowercase_sentence_starts
        lower = value >= 0.2 or m.lowercase_i > 0
        ok = lower if claim == "more" else not lower or value < 0.5
        measured = f"{value:.0%} of sentences start in lower case, 'i' for 'I' {m.lowercase_i} times"
    elif habit == "line wrap":  # a stated width ("at 30 characters") must be the measured one, give or take
        stated = [int(n) for n in re.findall(r"\b(\d{2,3}) (?:characters|columns)", statement)]
        ok = (bool(m.wrap_width) and all(abs(n - m.wrap_width) <= WIDTH_TOLERANCE for n in stated)
              if claim == "more" else not m.wrap_width)
        measured = f"lines wrapped at {m.wrap_width} characters" if m.wrap_width else "lines not wrapped"
    elif habit == "register":
        ok = not writes_informally(m) if claim == "more" else not writes_formally(m)
        measured = (f"{m.contractions_per_100_words:.1f} contractions and {m.exclamations_per_100_words:.1f} exclamation "
                    f"marks per 100 words, {m.share_lowercase_sentence_starts:.0%} of sentences start in lower case")
    else:  # lists
        value = m.share_list_lines
        ok = value > 0 if claim == "more" else value < 0.2
        measured = f"{value:.0%} of lines are list items"
    return ("supported" if ok else "contradicted"), measured


def writes_informally(m: HabitMeasures) -> bool:
    """Writes casually by its measurable marks: lower case, "i", many contractions or exclamation marks."""
    return (m.share_lowercase_sentence_starts >= 0.3 or m.writes_lower_i
            or m.contractions_per_100_words >= 3.0 or m.exclamations_per_100_words >= 2.0)


def writes_formally(m: HabitMeasures) -> bool:
    """Writes formally by the same marks: hardly a contraction, no exclamation mark, capitalized."""
    return m.contractions_per_100_words < 0.5 and m.exclamations_per_100_words == 0 and m.share_lowercase_sentence_starts < 0.1


SENTENCES, LAYOUT = "sentences", "layout"  # habits of a text's sentences; of its layout (openings, endings, blocks)


def habit_phrases(m: HabitMeasures, kind: str | None = None) -> list[str]:
    """Phrases that describe the measured habits truly (each passes `check_habits` as supported); a
    decoding grammar can offer them as the only ways to finish a measured slot's stem ("The writer
    writes ...", "The writer usually writes ..."). `kind` (SENTENCES or LAYOUT) keeps those of one kind
    only; habits most writers share are then added only when that kind has nothing else."""
    phrases: list[tuple[str, str]] = []
    if m.words_per_sentence and m.words_per_sentence <= 12:
        phrases.append((SENTENCES, "short sentences"))
    elif m.words_per_sentence >= 20:
        phrases.append((SENTENCES, "long sentences"))
    if m.words_per_paragraph and m.words_per_paragraph <= 40:
        phrases.append((LAYOUT, "short paragraphs"))
    elif m.words_per_paragraph >= 90:
        phrases.append((LAYOUT, "long paragraphs"))
    common = []  # true of most writers (measured: no exclamation marks 49 of 58 shared users): see the end
    for value, more, less in (
        (m.exclamations_per_100_words, "with exclamation marks", "without exclamation marks"),
        (m.questions_per_100_words, "with question marks", "without question marks"),
        (m.contractions_per_100_words, "with contractions", "without contractions"),
    ):
        if value >= 1.0:
            phrases.append((SENTENCES, more))
        elif value == 0:
            (phrases if more == "with contractions" else common).append((SENTENCES, less))
    greets, signs = m.share_opening_with_greeting, m.share_ending_with_sign_off
    if greets == 0 and signs == 0:  # one statement for both, so one slot keeps both (and edits both away)
        phrases.append((LAYOUT, "without a greeting or a sign-off"))
    elif greets >= 0.5 and signs >= 0.5:
        phrases.append((LAYOUT, "opening with a greeting and ending with a sign-off"))
    else:
        for share, more, less in ((greets, "opening with a greeting", "without a greeting"),
                                  (signs, "ending with a sign-off", "without a sign-off")):
            if share >= 0.5:
                phrases.append((LAYOUT, more))
            elif share == 0:
                phrases.append((LAYOUT, less))
    if m.share_lowercase_sentence_starts >= 0.3:
        phrases.append((SENTENCES, "in lower case"))
    if m.share_list_lines >= 0.1:
        phrases.append((LAYOUT, "with bullet lists"))
    if m.wrap_width:  # named first in every layout statement, so that slot keeps it with the other habit
        wrap = f"in lines wrapped at about {m.wrap_width} characters"
        layout = [p for of, p in phrases if of == LAYOUT]
        combined = [(LAYOUT, f"{wrap}, {'in ' if p.endswith('paragraphs') else ''}{p}") for p in layout]
        phrases = [x for x in phrases if x[0] != LAYOUT] + (combined or [(LAYOUT, wrap)])
    if kind is None or not any(of == kind for of, _ in phrases):
        phrases += common
    return [phrase for of, phrase in phrases if kind in (None, of)]


def habit_claim(statement: str, habit: str) -> str | None:
    """What the statement claims about the named habit ("more", "less"), or None if it names it not."""
    return next((h.claims(statement) for h in _HABITS if h.name == habit), None)


def check_habits(statement: str, measures: HabitMeasures) -> list[HabitCheck]:
    """Every measurable habit the statement names, checked against the measurements."""
    checks = []
    for habit in _HABITS:
        claim = habit.claims(statement)
        if claim is None:
            continue
        verdict, measured = _verdict(habit.name, claim, measures, statement)
        checks.append(HabitCheck(habit.name, claim, verdict, f"{habit.name}: {verdict} by the texts ({measured})"))
    return checks
