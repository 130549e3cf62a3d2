"""A conversation's JSON state: save, load, resume; corrupted files give errors that name the problem."""

from __future__ import annotations

import json

import dspy
import pytest

from hyperalign.core.errors import InputError
from hyperalign.programs.conversation_state import load_state, save_state
from hyperalign.programs.conversational import Conversational


def scripted_turn(statement: str, quote: str, reply: str) -> list[dict]:
    return [
        {"updates": [{"action": "add", "number": 0, "category": "personality", "statement": statement, "evidence": [quote]}]},
        {"reply": reply},
    ]


def test_round_trip_and_resume(tmp_path):
    script = scripted_turn("The user is curious about astronomy.", "what is a pulsar", "A spinning neutron star!") + [
        {"updates": [{"action": "keep", "number": 1, "category": "personality",
                      "statement": "The user is curious about astronomy.", "evidence": ["telescope"]}]},
        {"reply": "A small refractor is a fine start."},
    ]
    lm = dspy.utils.DummyLM(script, adapter=dspy.JSONAdapter())
    with dspy.context(lm=lm, adapter=dspy.JSONAdapter()):
        first = Conversational()(message="Quick question: what is a pulsar? Asking for a friend \u2728")
        path = save_state(first.state, tmp_path / "chat.json")
        loaded = load_state(path)
        assert loaded == first.state  # plain JSON, nothing lost (non-ASCII included)
        assert json.loads(path.read_text(encoding="utf-8")) == first.state
        resumed = Conversational()(message="Which telescope should I buy?", state=loaded)
    assert resumed.state["turn"] == 2
    assert [m["turn"] for m in resumed.state["messages"]] == [1, 1, 2, 2]
    assert resumed.hypotheses[0]["status"] == "kept" and [e["quote"] for e in resumed.hypotheses[0]["evidence"]] == ["what is a pulsar", "telescope"]
    assert list(tmp_path.iterdir()) == [path]  # no temp file left behind


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"format": "hyperalign-conversation",\n "version": 1,\n "turn": ', "line 3: not valid JSON"),
        ("[1, 2, 3]", "expected a JSON object"),
        ('{"format": "something-else"}', "not a saved hyperalign conversation"),
        ('{"format": "hyperalign-conversation", "version": 1, "turn": 1, "messages": [{"role": "robot", "content": "x", "turn": 1}], "hypotheses": []}',
         "message 1 needs a role"),
        ('{"format": "hyperalign-conversation", "version": 1, "turn": 1, "messages": [], "hypotheses": [{"statement": "x", "evidence": [], "status": "maybe", "turn": 1}]}',
         "hypothesis 1 needs a status"),
        ('{"format": "hyperalign-conversation", "version": 1, "turn": -2, "messages": [], "hypotheses": []}', "'turn' must be"),
    ],
)
def test_corrupted_files_are_named_errors(tmp_path, content, problem):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as info:
        load_state(path)
    assert str(path) in str(info.value)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_state(tmp_path / "absent.json")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="cannot read"):
        load_state(binary)


def test_save_refuses_missing_folder(tmp_path):
    from hyperalign.programs.conversation_state import new_state

    with pytest.raises(InputError, match="does not exist"):
        save_state(new_state(), tmp_path / "nope" / "chat.json")
