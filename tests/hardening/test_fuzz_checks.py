"""The fuzz set through every deterministic text check a program runs on the user's texts (fast, no
LM). Found by the embedded fuzz run: the fidelity check's tokenizer raised a TypeError on a lone
surrogate from a JSONL sample, which crashed `personalize`."""

from __future__ import annotations

import pytest

from hyperalign.programs.checks import fidelity, originality, sanity
from tests.hardening.fuzz import FUZZ_TEXTS, ORDINARY


@pytest.mark.parametrize("name", sorted(FUZZ_TEXTS))
def test_checks_take_any_text(name):
    text = FUZZ_TEXTS[name]
    samples = [text, ORDINARY]
    assert 0.0 <= fidelity(text, "Write a reply about: " + text[:200], samples).score <= 1.0
    assert 0.0 <= originality(ORDINARY, samples, task=text).score <= 1.0
    assert 0.0 <= sanity(text, samples).score <= 1.0
