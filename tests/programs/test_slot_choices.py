"""Under a decoding grammar each slot's statement is picked from a vocabulary (or the measured
habits), less what the texts contradict or the user rejected; each slot quotes a different text."""

import json

from hyperalign.programs.checks.habits import measure_habits
from hyperalign.programs.checks.hypotheses import check_hypotheses
from hyperalign.programs.hypothesis_grammar import quote_choices, slot_constrained
from hyperalign.programs.hypothesis_inference import slot_quotes, slot_statements
from hyperalign.signatures.hypotheses import Hypothesis, InferHypotheses

TEXTS = [
    "no greeting here. i just say what i think, and thats it. short stuff.",
    "Prices went up again. Nobody asked us. We pay anyway.",
    "the meeting is off. tell the others. done.",
]


def test_choices_the_texts_contradict_or_the_user_rejected_are_not_offered():
    measures = measure_habits(TEXTS)  # no question marks, no exclamation marks, short sentences
    fixed = slot_statements(Hypothesis, measures, rejected=["The writer comes across as warm and friendly."])
    uses = fixed["The writer uses"]
    assert "The writer uses rhetorical questions." not in uses
    assert "The writer uses exclamation marks for emphasis." not in uses
    assert "The writer uses long, winding sentences." not in uses
    assert "The writer uses short, clipped sentences." in uses
    assert "The writer comes across as warm and friendly." not in fixed["The writer comes across as"]
    # Two measured slots, each with habits of its own kind: the sentences, and the layout.
    assert "The writer writes short sentences." in fixed["The writer writes"]
    assert "The writer writes in lower case." in fixed["The writer writes"]
    # A habit most writers share ("without question marks") is offered only when nothing else is.
    assert "The writer writes without question marks." not in fixed["The writer writes"]
    assert "The writer usually writes without a greeting or a sign-off." in fixed["The writer usually writes"]
    assert "The writer usually writes short paragraphs." in fixed["The writer usually writes"]
    assert not any("paragraph" in s for s in fixed["The writer writes"])
    assert not any("sentences" in s or "question" in s for s in fixed["The writer usually writes"])
    # Whatever the LM picks is valid: every offered statement passes the checks (given a real quote).
    offered = [s for statements in fixed.values() for s in statements]
    checked = check_hypotheses([{"category": "writing style", "statement": s, "evidence": ["Nobody asked us."]}
                                for s in offered], TEXTS)
    assert {h["reason"] for h in checked} <= {"ok", "duplicate: says nearly the same as an earlier hypothesis"}


def test_each_slot_quotes_a_different_text():
    slots = Hypothesis.SLOTS
    quotes = slot_quotes(TEXTS, slots, list(slots))
    assert quotes[0] == ["no greeting here.", "i just say what i think, and thats it."]  # "short stuff." says too little
    assert quotes[1][0] == "Prices went up again." and quotes[2][0] == "the meeting is off."
    assert quotes[3] == quotes[0]  # five slots, three texts: round again
    # A repair asks for some slots only; each keeps its own text.
    assert slot_quotes(TEXTS, slots, [slots[2]]) == [quotes[2]]


def test_a_text_of_short_lines_still_offers_its_quotes():
    assert quote_choices(["Same room.\nBring Q3.\nD."]) == ["Same room.", "Bring Q3."]  # under 3 characters: never
    assert quote_choices(["Same room.\nThe room is booked.\njay"]) == ["The room is booked."]


def test_the_grammar_holds_the_fixed_statements_and_each_slots_quotes():
    slots = list(Hypothesis.SLOTS[:2])
    fixed = slot_statements(Hypothesis, measure_habits(TEXTS), [])
    signature = slot_constrained(InferHypotheses, slot_quotes(TEXTS, Hypothesis.SLOTS, slots), slots, fixed)
    schema = json.dumps(signature.output_fields["hypotheses"].annotation.__args__[0].model_json_schema())
    assert "The writer makes a point by stating an opinion outright." in schema
    assert "no greeting here." in schema and "Prices went up again." not in schema
