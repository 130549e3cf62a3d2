"""Step 1 of HyPerAlign: infer explicit, evidence-grounded hypotheses about a user from their texts,
check each one, and ask again for what is missing.

Every hypothesis is checked (programs/checks/hypotheses.py): a claim about the writer, distinct,
grounded in quotes that occur in the texts, and not contradicted by the habits measured in them.
When fewer than `min_valid` survive, the LM is asked for the missing ones with the kept ones shown
(at most `max_repairs` more calls). Dropped hypotheses stay in the result with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

import dspy
from pydantic import BaseModel, RootModel

from hyperalign.programs.checks.evidence import normalize
from hyperalign.programs.checks.habits import HabitMeasures, check_habits, habit_phrases, measure_habits
from hyperalign.programs.checks.hypotheses import check_hypotheses, near_duplicate
from hyperalign.programs.hypothesis_grammar import (
    hypothesis_type,
    item_slots,
    quote_choices,
    quote_constrained,
    slot_constrained,
    wants_constrained_quotes,
)
from hyperalign.programs.inputs import clean_attributes, clean_samples, fit_texts
from hyperalign.signatures.hypotheses import InferHypotheses

__all__ = ["HypothesisInference", "hypothesis_type", "quote_choices", "quote_constrained", "unique", "wants_constrained_quotes"]

MIN_VALID = 3
# A repair call samples: at temperature 0 a prompt that differs only in the known list gets the same
# answer back from a small model (measured), which the checks then drop again.
REPAIR_TEMPERATURE = 0.8


def unique(hypotheses: list[dict]) -> list[dict]:
    """Drop exactly repeated statements (near-duplicates are the checks' job, with a reason)."""
    seen, kept = set(), []
    for hyp in hypotheses:
        key = normalize(hyp.get("statement", ""))
        if key not in seen:
            seen.add(key)
            kept.append(hyp)
    return kept


def _items(pred: dspy.Prediction) -> list[dict]:
    items = pred.hypotheses.root if isinstance(pred.hypotheses, RootModel) else pred.hypotheses
    return [h.model_dump() if isinstance(h, BaseModel) else dict(h) for h in items]


def _unused_slots(slots: tuple[tuple[str, str], ...], kept: list[dict], count: int) -> list[tuple[str, str]]:
    """`count` slots for a repair call, those whose stem no kept statement uses first."""
    used = [s for s in slots if any(h["statement"].startswith(s[1]) for h in kept)]
    order = [s for s in slots if s not in used] + used
    return order[: min(count, len(order))]


def slot_statements(item: type[BaseModel], measures: HabitMeasures, rejected: list[str]) -> dict[str, list[str]]:
    """Per stem, the statements its slot may give: the measured habits of the stem's kind for a stem
    in MEASURED, the item's CHOICES for the others, less any that the measurements contradict or the
    user turned down."""
    measured = {stem: tuple(habit_phrases(measures, kind)) for stem, kind in getattr(item, "MEASURED", {}).items()}
    endings = {**getattr(item, "CHOICES", {}), **measured}
    fixed = {}
    for opening, tails in endings.items():
        statements = [f"{opening} {tail}." for tail in tails]
        fixed[opening] = [
            s for s in statements
            if not any(c.contradicted for c in check_habits(s, measures)) and not any(near_duplicate(s, r) for r in rejected)
        ]
    return {opening: statements for opening, statements in fixed.items() if statements}


def slot_quotes(texts: list[str], slots: tuple[tuple[str, str], ...], asked: list[tuple[str, str]]) -> list[list[str]]:
    """Quotes each asked slot may cite: slot i quotes text i (round the texts), so the hypotheses
    rest on different texts rather than all on one sentence (measured: with one shared list the
    embedded LM cited the same sentence in every slot)."""
    per_text = [quote_choices([t]) for t in texts]
    per_text = [q for q in per_text if q] or [quote_choices(texts)]
    return [per_text[slots.index(slot) % len(per_text)] for slot in asked]


class HypothesisInference(dspy.Module):
    """Texts (+ optional attributes) → checked hypotheses: each marked grounded, valid or not, and why.

        inference = HypothesisInference()
        result = inference(samples=["Thursday's sync moves to Friday. D.", ...])
        valid = [h for h in result.hypotheses if h["valid"]]
    """

    def __init__(
        self,
        signature: type[dspy.Signature] = InferHypotheses,
        max_texts: int = 8,
        max_chars_per_text: int = 1500,
        constrain_quotes: bool | None = None,
        min_valid: int = MIN_VALID,
        max_repairs: int = 2,
    ):
        super().__init__()
        self.infer = dspy.Predict(signature)
        self.max_texts = max_texts
        self.max_chars_per_text = max_chars_per_text
        self.constrain_quotes = constrain_quotes
        self.min_valid = min_valid
        self.max_repairs = max_repairs

    def forward(
        self, samples: list[str], attributes: dict[str, str] | None = None, rejected: Iterable[str] | None = None
    ) -> dspy.Prediction:
        texts = clean_samples(samples)
        rejected = [r for r in (rejected or []) if isinstance(r, str) and r.strip()]
        shown = fit_texts(texts, self.max_texts, self.max_chars_per_text)
        measures = measure_habits(texts)
        inputs = self.infer.signature.input_fields
        call: dict = {"texts": shown, "attributes": clean_attributes(attributes)}
        if "habits" in inputs:
            call["habits"] = measures.describe()
        if "known" in inputs:
            call["known"] = list(rejected)
        constrained = self.constrain_quotes or (self.constrain_quotes is None and wants_constrained_quotes())
        slots = item_slots(self.infer.signature) if constrained else ()
        choices = quote_choices(shown) if constrained and not slots else []
        fixed = slot_statements(hypothesis_type(self.infer.signature), measures, rejected) if slots else {}
        quotes = dict(zip(slots, slot_quotes(shown, slots, list(slots)), strict=True))  # once, for every call below

        def ask(known: list[str] | None, count: int, kept: list[dict], repair: int = 0) -> tuple[dict, dspy.Prediction]:
            asked = dict(call) if known is None else {**call, "known": known}
            if slots:
                wanted = _unused_slots(slots, kept, count)
                asked["signature"] = slot_constrained(self.infer.signature, [quotes[slot] for slot in wanted], wanted, fixed)
            elif constrained:
                asked["signature"] = quote_constrained(self.infer.signature, choices)
            config = {"temperature": REPAIR_TEMPERATURE, "rollout_id": repair} if repair else {}
            return asked, self.infer(**asked, **({"config": config} if config else {}))

        first_call, first = ask(None, len(slots), [])
        checked = check_hypotheses(unique(_items(first)), texts, rejected, measures)
        calls = 1
        # Repair: ask for the missing ones, showing what is kept (and what was ruled out) as known.
        while sum(h["valid"] for h in checked) < self.min_valid and calls <= self.max_repairs and "known" in inputs:
            kept = [h for h in checked if h["valid"]]
            known = [h["statement"] for h in checked] + rejected
            need = self.min_valid - len(kept)
            _, pred = ask(known, need + 1, kept, repair=calls)
            calls += 1
            fresh = [h for h in unique(_items(pred)) if normalize(h.get("statement", "")) not in map(normalize, known)]
            rechecked = check_hypotheses(kept + fresh, texts, rejected, measures)
            checked = rechecked + [h for h in checked if not h["valid"]]
        first_call.pop("signature", None)
        ordered = [h for h in checked if h["valid"]] + [h for h in checked if not h["valid"]]
        return dspy.Prediction(hypotheses=ordered, lm_calls=calls, trace_entry=(first_call, first))

    def record_trace(self, result: dspy.Prediction) -> None:
        """Replay a cached inference into the active trace, as `dspy.Predict` records a live call, so
        optimizers still see the inference step when its result comes from the cache."""
        trace = dspy.settings.trace
        if trace is None or dspy.settings.max_trace_size <= 0:
            return
        if len(trace) >= dspy.settings.max_trace_size:
            trace.pop(0)
        inputs, pred = result.trace_entry
        trace.append((self.infer, dict(inputs), pred))
