"""Is each hypothesis a valid one? A claim about the writer (not their text, not an instruction or a
question), distinct from the others, grounded in quoted evidence, and not contradicted by the habits
measured in the texts. Deterministic: the same hypotheses and texts always get the same verdicts.

    checked = check_hypotheses(hypotheses, texts)
    kept = [h for h in checked if h["valid"]]      # each dropped one says why in h["reason"]
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from hyperalign.programs.checks.evidence import ground_hypotheses, normalize
from hyperalign.programs.checks.habits import HabitMeasures, check_habits, measure_habits
from hyperalign.programs.checks.originality import originality
from hyperalign.programs.checks.tokens import words

# A statement that is an order to the writer, or a question, says nothing about them.
_INSTRUCTION = re.compile(
    r"^(?:please\s+|always\s+|never\s+)?(?:write|use|be|avoid|make|keep|try|don't|do not|do|remember|include|"
    r"start|end|add|mention|consider|ensure|let)\b|\byou (?:should|must|need to|have to)\b", re.I)
_QUESTION = re.compile(r"\?\s*$|^(?:what|why|how|when|where|who|which|is|are|do|does|can|could|should|would|will)\b[^.]*$", re.I)
# The user's own voice ("I believe ...") is their text, not a statement about them.
_FIRST_PERSON = re.compile(r"^(?:i|we|my|our)\b|\b(?:i|i'm|i've|i'd|me|my|we|our)\b", re.I)
_WORD = re.compile(r"[a-z0-9']+")
# Words every statement shares (stems, function words): they say nothing about which claim it is.
_FILLER = frozenset(
    "the a an of to and or in on at by for with as is are be that this their his her its they he she it "
    "writer writes user makes point comes across uses very often tends tend way who which".split()
)
# Words that name writing in general: a statement whose only content is these says nothing about
# this writer ("makes a point by stating their communication strategy", "uses his own voice").
_GENERIC = frozenset(
    "communication strategy strategies style styles writing written voice own message messages words word "
    "language stating state states making make express expresses expressing himself herself themselves "
    "lot lots different various many much something things thing way ways known typical kind sort "
    "people others someone text texts point points tries trying clear clearly them him us you".split()
)
# A statement that stops on a function word was cut off ("... trying to make it a.").
_UNFINISHED = re.compile(r"\b(?:a|an|the|to|of|and|or|but|that|their|his|her|its|is|are|very|than)\s*[.!]?\s*$", re.I)
# A statement copies the texts when it repeats this many words in one run (a claim may name a
# topic in the writer's words; a run this long is their sentence, not a claim about them).
COPIED_WORDS = 7
# Two statements are near-duplicates when most of the shorter one's content words are in the other.
DUPLICATE_OVERLAP = 0.75


def _content(statement: str) -> set[str]:
    return {w for w in _WORD.findall(normalize(statement)) if w not in _FILLER}


def near_duplicate(a: str, b: str) -> bool:
    """True when two statements say nearly the same thing (same content words, up to a few)."""
    ca, cb = _content(a), _content(b)
    if not ca or not cb:
        return normalize(a) == normalize(b)
    return len(ca & cb) / min(len(ca), len(cb)) >= DUPLICATE_OVERLAP


def claim_problem(statement: str, texts: list[str]) -> str | None:
    """Why the statement is not a claim about the writer, or None when it is one."""
    text = statement.strip()
    if _QUESTION.search(text):
        return "a question, not a claim about the writer"
    if _INSTRUCTION.search(text):
        return "an instruction, not a claim about the writer"
    if _FIRST_PERSON.search(text):
        return "written in the first person: it reads as the user's own text, not a claim about them"
    if _UNFINISHED.search(text):
        return "unfinished: the statement stops mid-sentence"
    if not _content(text) - _GENERIC:
        return "vacuous: it names writing in general, nothing specific to this writer"
    found = originality(text, texts)
    if found.longest_span >= COPIED_WORDS:
        return f"copies text from the samples: a run of {found.longest_span} of its {len(words(text))} words occurs in them"
    return None


def check_hypotheses(
    hypotheses: list[dict],
    texts: list[str],
    rejected: Iterable[str] = (),
    measures: HabitMeasures | None = None,
) -> list[dict]:
    """Every hypothesis with `grounded`, `valid`, `reason` ("ok" or why it is dropped) and `habits` (the
    measurable habits it names, each supported or contradicted). Earlier hypotheses win over later
    near-duplicates; statements in `rejected` (e.g. ones the user turned down) are dropped."""
    measures = measures or measure_habits(texts)
    rejected = [r for r in rejected if r and r.strip()]
    kept: list[str] = []
    checked = []
    for hyp in hypotheses:
        if "grounded" not in hyp:  # not yet checked: mark each quote found in the texts or not
            quotes = [e.get("quote", "") if isinstance(e, dict) else str(e) for e in hyp.get("evidence", [])]
            hyp = ground_hypotheses([{**hyp, "evidence": quotes}], texts)[0]
        statement = str(hyp.get("statement", ""))
        habits = check_habits(statement, measures)
        reason = claim_problem(statement, texts)
        if reason is None and not hyp.get("grounded"):
            reason = "ungrounded: none of its quotes occurs in the texts"
        if reason is None and any(near_duplicate(statement, r) for r in rejected):
            reason = "rejected: matches a statement the user turned down"
        if reason is None and any(near_duplicate(statement, k) for k in kept):
            reason = "duplicate: says nearly the same as an earlier hypothesis"
        if reason is None:
            contradicted = [h.reason for h in habits if h.contradicted]
            reason = "contradicted: " + "; ".join(contradicted) if contradicted else None
        if reason is None:
            kept.append(statement)
        checked.append({
            **hyp,
            "valid": reason is None,
            "reason": reason or "ok",
            "habits": [{"habit": h.habit, "claim": h.claim, "verdict": h.verdict, "reason": h.reason} for h in habits],
        })
    return checked
