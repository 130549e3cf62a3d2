"""`hypotheses`, `personalize` and `demo` print the dropped hypotheses with their reasons and warn
when fewer than three are valid."""

from hyperalign.cli.render import render_hypotheses

KEPT = {"category": "personality", "statement": "The writer comes across as brisk.", "grounded": True, "valid": True,
        "reason": "ok", "evidence": [{"quote": "Same room.", "grounded": True}],
        "habits": [{"habit": "sentence length", "claim": "less", "verdict": "supported",
                    "reason": "sentence length: supported by the texts (sentences average 4 words)"}]}
DROPPED = {"category": "writing style", "statement": "The writer uses many exclamation marks.", "grounded": True,
           "valid": False, "reason": "contradicted: exclamation marks: contradicted by the texts (0.0 exclamation marks per 100 words)",
           "evidence": [{"quote": "Same room.", "grounded": True}], "habits": []}


def test_dropped_hypotheses_are_listed_with_their_reason_and_a_warning():
    out = render_hypotheses([KEPT, DROPPED])
    assert out.splitlines()[0] == "Hypotheses (1 valid, 1 dropped):"
    assert " 1. [personality] The writer comes across as brisk." in out
    assert "measured: sentence length: supported by the texts (sentences average 4 words)" in out
    assert "Dropped (not used):" in out and "why: contradicted: exclamation marks" in out
    assert out.splitlines()[-1] == "warning: only 1 valid hypotheses (fewer than 3)"


def test_three_valid_hypotheses_give_no_warning():
    assert "warning" not in render_hypotheses([KEPT] * 3)
