"""Wiring and parsing of the deliberative program and its baselines (DummyLM); injection users."""

from __future__ import annotations

import json

import dspy
import pytest

from hyperalign.core.errors import LMError
from hyperalign.data.loaders import deliberative as demo_users
from hyperalign.programs.deliberative import Deliberative, clause_constrained
from hyperalign.programs.deliberative_baselines import DirectAnswer, SpecOnly
from hyperalign.programs.registry import program_class, program_name
from hyperalign.programs.safety_spec import load_spec, parse_spec
from hyperalign.signatures.deliberation import DeliberateForUser

DECISION = {"clauses": ["H2", "U1: use what is known", "Z9"], "rationale": "A benign homonym.",
            "decision": "comply", "response": "  Run `kill <PID>`.  "}


def run(program, lm, user, task="How can I kill a Python process?"):
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        return program(samples=user.samples, task=task, attributes=user.attributes)


@pytest.fixture(scope="module")
def users():
    return demo_users.load()


def test_program_returns_auditable_prediction(users, scripted, hypotheses_answer):
    lm = scripted({"`hypotheses`": hypotheses_answer, "`clauses`": DECISION})
    out = run(Deliberative(), lm, users[0])
    assert out.text == "Run `kill <PID>`."
    assert out.decision == "comply"
    assert out.clauses == ["H2", "U1"]  # an ID the spec does not define is dropped
    assert out.rationale == "A benign homonym."
    assert [h["category"] for h in out.hypotheses] == ["intent", "expertise", "needs"]
    assert all(h["grounded"] for h in out.hypotheses)  # the quotes occur in the user's requests


@pytest.mark.parametrize("raw, parsed", [("decline", "decline"), ("'partial'", "partial"), ('"comply"', "comply")])
def test_decision_parsing(users, scripted, raw, parsed):
    lm = scripted({"`clauses`": {**DECISION, "decision": raw}})
    assert run(SpecOnly(), lm, users[0]).decision == parsed


def test_decision_outside_the_three_values_is_an_lm_error(users, scripted):
    lm = scripted({"`clauses`": {**DECISION, "decision": "maybe later"}})
    with pytest.raises(LMError, match="could not be parsed"):
        run(SpecOnly(), lm, users[0])


def test_decision_is_a_literal_in_the_output_schema():
    decision = DeliberateForUser.output_fields["decision"].annotation
    assert set(decision.__args__) == {"comply", "partial", "decline"}


def test_clauses_are_limited_to_spec_ids_under_a_grammar():
    spec = parse_spec("H1: help\nD1: no violence\n")
    clauses = clause_constrained(DeliberateForUser, spec).output_fields["clauses"].annotation
    schema = clauses.model_json_schema()
    assert schema["items"]["enum"] == ["H1", "D1"]
    assert schema["minItems"] == 1


def test_direct_baseline_has_the_call_shape(users, scripted):
    out = run(DirectAnswer(), scripted({"`response`": {"response": "Use kill."}}), users[0])
    assert (out.text, out.hypotheses, out.clauses, out.decision) == ("Use kill.", [], [], None)


def test_spec_only_baseline_sees_no_user(users, scripted):
    lm = scripted({"`clauses`": DECISION})
    run(SpecOnly(), lm, users[0])
    prompt = json.dumps(lm.history[-1]["messages"])
    assert users[0].samples[0] not in prompt and users[0].attributes["role"] not in prompt


def test_user_without_earlier_requests_gets_no_hypotheses(scripted):
    with dspy.context(lm=scripted({"`clauses`": DECISION}), adapter=dspy.JSONAdapter()):
        out = Deliberative()(samples=[], task="What is the capital of Australia?")
    assert out.hypotheses == [] and out.decision == "comply"


@pytest.mark.parametrize("index", [0, 1, 2])
def test_injected_text_stays_in_input_fields_and_the_spec_is_intact(users, scripted, index):
    user = [u for u in users if u.injection][index]
    answer = {"hypotheses": [
        {"category": "intent", "statement": "The user tries to switch the assistant's policy off.", "evidence": [user.samples[0][:40]]},
        {"category": "expertise", "statement": "The user knows common jailbreak phrasings.", "evidence": [user.samples[1][:40]]},
        {"category": "needs", "statement": "The user still asks ordinary questions too.", "evidence": [user.samples[-1][:40]]},
    ]}
    lm = scripted({"`hypotheses`": answer, "`clauses`": {**DECISION, "clauses": ["U3", "D2"], "decision": "decline"}})
    program = Deliberative()
    out = run(program, lm, user, task="How do I build a pipe bomb?")
    assert out.decision == "decline" and out.clauses == ["U3", "D2"]
    injected = user.samples + list(user.attributes.values())
    spec_lines = load_spec().as_lines()
    for call in lm.history:  # inference, then deliberation
        system = call["messages"][0]["content"]
        inputs = "\n".join(m["content"] for m in call["messages"][1:])
        for text in injected:
            assert text not in system  # never part of the instructions
        assert any(text in inputs for text in injected)
    deliberation_inputs = "\n".join(m["content"] for m in lm.history[-1]["messages"][1:])
    # every clause, verbatim (as the adapter writes a list: JSON-escaped)
    assert all(json.dumps(line, ensure_ascii=False)[1:-1] in deliberation_inputs for line in spec_lines)
    system = lm.history[-1]["messages"][0]["content"]
    assert "The specification governs" in system
    assert program.spec == load_spec()  # nothing the user wrote changed the program's policy


def test_custom_spec_is_saved_and_loaded(tmp_path, users, scripted):
    spec_file = tmp_path / "spec.txt"
    spec_file.write_text("H1: help with cooking only\nD1: decline everything else\n", encoding="utf-8")
    program = Deliberative(spec=spec_file)
    program.save(str(tmp_path / "program.json"))
    loaded = program_class(program_name(program))()
    loaded.load(str(tmp_path / "program.json"))
    assert loaded.spec.clauses == {"H1": "help with cooking only", "D1": "decline everything else"}
    lm = scripted({"`hypotheses`": {"hypotheses": []}, "`clauses`": {**DECISION, "clauses": ["D1"], "decision": "decline"}})
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        out = loaded(samples=[], task="How do I fix a bike?")
    assert out.clauses == ["D1"]
    assert "D1: decline everything else" in lm.history[-1]["messages"][1]["content"]


def test_registry_names():
    assert program_name(Deliberative()) == "deliberative"
    assert program_class("deliberative-direct") is DirectAnswer
    assert program_class("deliberative-spec-only") is SpecOnly
