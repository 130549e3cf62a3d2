"""Case 1: every text that reaches a llama.cpp decoding grammar is made safe for it.

llama-cpp-python turns enum/const literals into grammar literals with json.dumps and escapes only
\\r, \\n and '"' afterwards: NUL aborts the process, \\b, \\f and '"' crash it, other escapes make
literals the model cannot produce. These tests check the grammar text itself (fast, no model)."""

from __future__ import annotations

import json
import re

import pytest
from llama_cpp.llama_grammar import json_schema_to_gbnf

from hyperalign.core.embedded import EmbeddedEngine, encodable, grammar_safe, grammar_safe_pieces, safe_schema
from hyperalign.programs.hypothesis_inference import quote_choices, quote_constrained
from hyperalign.signatures.hypotheses import InferHypotheses
from tests.hardening.fuzz import CONTROL, FUZZ_TEXTS, ORDINARY

# An enum choice as a grammar literal llama.cpp parses as the text it shows: the JSON string's
# quotes (escaped), and inside them no control character and no backslash except a \uXXXX escape of
# a character in the Basic Multilingual Plane (not a surrogate: those the model cannot produce).
_SAFE_LITERAL = re.compile(r'"\\"(?:[^"\\\x00-\x1f]|\\u(?![dD][89a-fA-F])[0-9a-fA-F]{4})*\\""')


def grammar_literals(schema: dict, rule: str = "evidence-item") -> list[str]:
    """The alternatives of the grammar rule(s) whose name ends with `rule` (an enum's choices)."""
    grammar = json_schema_to_gbnf(json.dumps(schema))
    lines = [line.split(" ::= ", 1)[1] for line in grammar.splitlines() if line.split(" ::= ", 1)[0].endswith(rule)]
    assert lines, grammar[:500]
    return [alternative for line in lines for alternative in line.split(" | ")]


def quote_schema(texts: list[str]) -> dict:
    signature = quote_constrained(InferHypotheses, quote_choices(texts))
    return signature.output_fields["hypotheses"].annotation.model_json_schema()


def test_unsafe_characters():
    for char in CONTROL + '"\\\ud800\udfff\U0001F600':
        assert not grammar_safe(f"a{char}b"), repr(char)
    for text in ("plain", "caf\u00e9", "\u05e9\u05dc\u05d5\u05dd", "a\u2028b", "tab-free 'single' quotes"):
        assert grammar_safe(text)


def test_pieces_stay_verbatim():
    text = FUZZ_TEXTS["controls"]
    pieces = grammar_safe_pieces(text)
    assert pieces and all(grammar_safe(p) and p in text for p in pieces)


@pytest.mark.parametrize("name", sorted(FUZZ_TEXTS))
def test_quote_choices_give_a_clean_grammar(name):
    """Before the fix, quote_choices cut only at '"' and '\\': the NUL/form-feed sample of issue 17
    case 1 produced a literal with \\u0000 / \\f in the grammar (process abort / segfault)."""
    choices = quote_choices([FUZZ_TEXTS[name], ORDINARY])
    assert choices and all(grammar_safe(c) for c in choices)
    for literal in grammar_literals(quote_schema([FUZZ_TEXTS[name], ORDINARY])):
        assert _SAFE_LITERAL.fullmatch(literal), literal


def test_issue_sample_has_clean_literals():
    nul = "Hello\x00World, this has NUL.\n\nSecond\x00text."
    for literal in grammar_literals(quote_schema([nul, "Form\x0cfeed here and there."])):
        assert _SAFE_LITERAL.fullmatch(literal), literal


def test_engine_drops_unsafe_enum_values_from_any_schema():
    """Whatever a signature puts in an enum, the engine never hands llama.cpp an unsafe literal."""
    schema = {"type": "object", "properties": {"pick": {"enum": ["fine", "nul\x00", "ff\x0c", 'q"', "e\U0001F600"]},
                                               "c": {"type": "string"}}, "required": ["pick"]}
    cleaned = safe_schema(schema)
    assert cleaned["properties"]["pick"]["enum"] == ["fine"]
    assert grammar_literals(cleaned, rule="pick") == ['"\\"fine\\""']
    with pytest.raises(ValueError, match="choices"):
        safe_schema({"enum": ["only\x00bad"]})
    with pytest.raises(ValueError, match="field name"):
        safe_schema({"type": "object", "properties": {"bad\x0c": {"type": "string"}}})


def test_engine_sends_a_safe_schema_and_encodable_messages(monkeypatch):
    """The engine itself sanitises: schema literals and lone surrogates in messages."""
    import dspy
    from dspy.lm15 import Message, Request

    seen = {}

    class FakeLlama:
        def create_chat_completion(self, **kwargs):
            seen.update(kwargs)
            return {"choices": [{"message": {"content": '{"pick": "fine"}'}, "finish_reason": "stop"}], "usage": {}}

    import threading

    monkeypatch.setattr("hyperalign.core.embedded._load_model", lambda path, n_ctx: (FakeLlama(), threading.Lock()))
    engine = EmbeddedEngine(path="/unused")
    schema = {"type": "object", "properties": {"pick": {"enum": ["fine", "bad\x00"]}}, "required": ["pick"]}
    request = Request(model="embedded", messages=[Message.user("lone \ud800 surrogate")],
                      config=dspy.lm15.Config(response_format={"type": "json_schema", "schema": schema}))
    engine.complete(request)
    assert seen["response_format"]["schema"]["properties"]["pick"]["enum"] == ["fine"]
    content = seen["messages"][-1]["content"]
    content.encode("utf-8")  # would raise UnicodeEncodeError with the lone surrogate
    assert encodable("a\ud800b") == "a\ufffdb"
