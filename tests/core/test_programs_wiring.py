"""Wiring and parsing of the programs with DSPy's DummyLM (no real LM)."""

import dspy
import pytest
from dspy.utils import DummyLM

from hyperalign.core.errors import InputError
from hyperalign.programs import ConditionedGeneration, FewShot, HyPerAlign, HypothesisInference, ZeroShot
from hyperalign.programs.hypothesis_inference import quote_choices, quote_constrained
from hyperalign.signatures import InferHypotheses

SAMPLES = ["Can't do the April panel. Send Priya.", "Good work on the rollout. Noticed and appreciated.\nD."]
HYPOTHESES = [
    {"category": "writing style", "statement": "Writes very short sentences.", "evidence": ["Send Priya."]},
    {"category": "personality", "statement": "Praises briefly but warmly.", "evidence": ["Noticed and appreciated."]},
    {"category": "communication strategy", "statement": "Delegates without explaining.", "evidence": ["I never explain myself"]},
]


def scripted(*answers):
    return DummyLM(list(answers))


def wiring_only() -> HyPerAlign:
    """The chain without repair calls or output checks (tests/programs covers those), so each
    scripted answer maps to one step."""
    return HyPerAlign(inference=HypothesisInference(max_repairs=0), generation=ConditionedGeneration(check=False))


def test_inference_parses_and_grounds_each_hypothesis():
    with dspy.context(lm=scripted({"hypotheses": HYPOTHESES})):
        pred = HypothesisInference(max_repairs=0)(samples=SAMPLES, attributes={"role": "CEO"})
    assert [h["statement"] for h in pred.hypotheses] == [h["statement"] for h in HYPOTHESES]
    assert [h["grounded"] for h in pred.hypotheses] == [True, True, False]
    assert pred.hypotheses[2]["evidence"] == [{"quote": "I never explain myself", "grounded": False}]


def test_repeated_statements_are_dropped():
    repeated = [HYPOTHESES[0], dict(HYPOTHESES[0]), HYPOTHESES[1]]
    with dspy.context(lm=scripted({"hypotheses": repeated})):
        pred = HypothesisInference(max_repairs=0)(samples=SAMPLES)
    assert len(pred.hypotheses) == 2


def test_chain_conditions_only_on_grounded_hypotheses_and_caches_per_user():
    lm = scripted({"hypotheses": HYPOTHESES}, {"text": "Can't make Friday. Send Priya. D."}, {"text": "Noted. D."})
    program = wiring_only()
    with dspy.context(lm=lm):
        first = program(samples=SAMPLES, task="Decline a meeting.", attributes={"role": "CEO"})
        second = program(samples=SAMPLES, task="Acknowledge a report.", attributes={"role": "CEO"})
    assert first.text == "Can't make Friday. Send Priya. D." and second.text == "Noted. D."
    assert first.hypotheses_cached is False and second.hypotheses_cached is True
    assert len(lm.history) == 3  # one inference + two generations
    prompt = lm.history[1]["messages"][-1]["content"]
    assert "Writes very short sentences." in prompt
    assert "Delegates without explaining." not in prompt  # ungrounded: left out of the conditioning


def test_different_attributes_infer_again():
    lm = scripted({"hypotheses": HYPOTHESES}, {"text": "a"}, {"hypotheses": HYPOTHESES}, {"text": "b"})
    program = wiring_only()
    with dspy.context(lm=lm):
        program(samples=SAMPLES, task="t", attributes={"role": "CEO"})
        again = program(samples=SAMPLES, task="t", attributes={"role": "intern"})
    assert again.hypotheses_cached is False and len(lm.history) == 4


def test_cached_inference_is_replayed_into_the_trace():
    lm = scripted({"hypotheses": HYPOTHESES}, {"text": "a"}, {"text": "b"})
    program = wiring_only()
    with dspy.context(lm=lm):
        program(samples=SAMPLES, task="t")
        with dspy.context(trace=[]):
            program(samples=SAMPLES, task="t2")
            trace = dspy.settings.trace
            predictors = [entry[0] for entry in trace]
    assert predictors == [program.inference.infer, program.generation.write]


def test_no_grounded_hypothesis_gives_a_visible_warning():
    ungrounded = [dict(h, evidence=["not in the texts at all"]) for h in HYPOTHESES]
    with dspy.context(lm=scripted({"hypotheses": ungrounded}, {"text": "x"})):
        pred = wiring_only()(samples=SAMPLES, task="t")
    assert not any(h["grounded"] for h in pred.hypotheses)
    assert pred.warnings and "not personalized" in pred.warnings[0]
    assert [d["reason"] for d in pred.dropped] == ["ungrounded: none of its quotes occurs in the texts"] * 3


def test_quote_constrained_signature_offers_only_sentences_from_the_texts():
    choices = quote_choices(SAMPLES)
    # Sentences of at least 3 words ("Send Priya." and the signature "D." say too little).
    assert choices == ["Can't do the April panel.", "Good work on the rollout.", "Noticed and appreciated."]
    sig = quote_constrained(InferHypotheses, choices)
    schema = sig.output_fields["hypotheses"].annotation.model_json_schema()
    item = schema["$defs"]["Hypothesis"]["properties"]["evidence"]["items"]
    assert set(item["enum"]) == set(choices)
    assert schema["minItems"] == 3 and schema["maxItems"] == 7
    assert sig.instructions == InferHypotheses.instructions


def test_baselines_share_the_call_shape():
    with dspy.context(lm=scripted({"text": "zero"}, {"text": "few"})) as _:
        lm = dspy.settings.lm
        zero = ZeroShot()(samples=SAMPLES, task="Write a memo.")
        few = FewShot()(samples=SAMPLES, task="Write a memo.", attributes={"role": "CEO"})
    assert (zero.text, zero.hypotheses, few.text, few.hypotheses) == ("zero", [], "few", [])
    assert "Send Priya." not in lm.history[0]["messages"][-1]["content"]
    assert "Send Priya." in lm.history[1]["messages"][-1]["content"]


@pytest.mark.parametrize(
    "samples, task, message",
    [([], "t", "no sample texts"), (["  ", "\n"], "t", "no sample texts"), (["x" * 300_000], "t", "limit"),
     (["ok"], "  ", "task is empty"), ([3], "t", "not text")],
)
def test_bad_input_is_refused_before_any_lm_call(samples, task, message):
    lm = scripted()
    with dspy.context(lm=lm), pytest.raises(InputError, match=message):
        HyPerAlign()(samples=samples, task=task)
    assert lm.history == []
