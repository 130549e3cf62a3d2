"""Case 1 end to end, on the real embedded LM and through the real CLI (a grammar crash kills the
process, so it must not be the test runner's): the issue's NUL / form-feed / backspace sample, and
the whole fuzz set (every control character, lone surrogates, a very long line, emoji,
right-to-left text, quotes and backslashes) through `hypotheses` and `personalize`."""

from __future__ import annotations

import json

import pytest

from tests.hardening.conftest import run_cli
from tests.hardening.fuzz import FUZZ_TEXTS, ORDINARY

pytestmark = pytest.mark.slow


def test_issue_sample_through_hypotheses(tmp_path):
    """Before the fix: exit 134 (NUL: llama-grammar.cpp fatal error) or 139 (form feed)."""
    samples = tmp_path / "nul.txt"
    samples.write_bytes(b"Hello\x00World, this has NUL.\n\nSecond\x00text with a form\x0cfeed and a back\x08space.\n")
    proc = run_cli("hypotheses", "--samples", samples, "--json", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["hypotheses"]


def test_fuzz_set_through_hypotheses_and_personalize(tmp_path):
    samples = tmp_path / "fuzz.jsonl"  # JSON escapes carry the lone surrogates a UTF-8 file cannot
    samples.write_text("".join(json.dumps(text) + "\n" for text in [*FUZZ_TEXTS.values(), ORDINARY]))
    hypotheses = run_cli("hypotheses", "--samples", samples, "--json", tmp_path=tmp_path)
    assert hypotheses.returncode == 0, hypotheses.stderr[-2000:]
    assert json.loads(hypotheses.stdout)["hypotheses"]
    # Same samples and cache: the inference step is answered from DSPy's cache, only generation runs.
    task = "Reply\x0c to the \U0001F600 team \u05e9\u05dc\u05d5\u05dd about \"the\\plan\" now (argv cannot hold NUL)."
    personalized = run_cli("personalize", "--samples", samples, "--task", task, "--json", tmp_path=tmp_path)
    assert personalized.returncode == 0, personalized.stderr[-2000:]
    assert json.loads(personalized.stdout)["text"].strip()
