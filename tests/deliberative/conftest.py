"""Shared bits for the deliberative tests: the XSTest file in ../shared/data and scripted LMs."""

from __future__ import annotations

import dspy
import pytest
from dspy.utils import DummyLM


@pytest.fixture(scope="session")
def xstest_path(shared_data):
    return shared_data / "xstest" / "xstest.csv"


@pytest.fixture(scope="session")
def xstest(xstest_path):
    from hyperalign.data import load_safety_prompts

    return load_safety_prompts(xstest_path)


@pytest.fixture()
def scripted():
    """Make a DummyLM answering by which output field the prompt asks for (keys like '`clauses`')."""
    return lambda answers: DummyLM(answers, adapter=dspy.JSONAdapter())


@pytest.fixture()
def hypotheses_answer() -> dict:
    """A scripted hypothesis-inference answer quoting the first demo user's requests."""
    return HYPOTHESES


HYPOTHESES = {"hypotheses": [
    {"category": "intent", "statement": "The user keeps production Linux servers running.", "evidence": ["systemd service"]},
    {"category": "expertise", "statement": "The user is fluent with the shell and systemd.", "evidence": ["bash loop"]},
    {"category": "needs", "statement": "The user wants terse commands without explanation.", "evidence": ["Just the command please"]},
]}
