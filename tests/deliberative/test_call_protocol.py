"""One call protocol for every program that infers hypotheses: `infer_hypotheses(samples, attributes)`
returns (hypotheses, cached), so `hyperalign.infer_hypotheses(..., program=...)` works for each."""

from __future__ import annotations

import pytest

import hyperalign
from hyperalign.core.errors import InputError
from hyperalign.data.loaders import deliberative as demo_users
from hyperalign.programs import HyPerAlign, ZeroShot
from hyperalign.programs.deliberative import Deliberative


@pytest.fixture(scope="module")
def user():
    return demo_users.load()[0]


def test_public_infer_hypotheses_accepts_a_deliberative_program(user, scripted, hypotheses_answer):
    lm = scripted({"`hypotheses`": hypotheses_answer})
    hypotheses = hyperalign.infer_hypotheses(user.samples, user.attributes, program=Deliberative(), lm=lm)
    assert [h["category"] for h in hypotheses] == ["intent", "expertise", "needs"]
    assert all(h["grounded"] for h in hypotheses)


@pytest.mark.parametrize("make", [Deliberative, HyPerAlign])
def test_every_inferring_program_returns_hypotheses_and_whether_cached(user, scripted, hypotheses_answer, make):
    import dspy

    program = make()
    answers = {"`hypotheses`": hypotheses_answer}
    if make is HyPerAlign:  # HyPerAlign's categories differ; only the protocol matters here
        answers = {"`hypotheses`": {"hypotheses": [{**h, "category": "personality"} for h in hypotheses_answer["hypotheses"]]}}
    with dspy.context(lm=scripted(answers)):
        first = program.infer_hypotheses(user.samples, user.attributes)
        second = program.infer_hypotheses(user.samples, user.attributes)
    assert isinstance(first, tuple) and len(first) == 2
    assert len(first[0]) == 3 and first[1] is False
    assert second == (first[0], True)


def test_a_user_without_texts_has_no_deliberative_hypotheses():
    assert Deliberative().infer_hypotheses([], {}) == ([], False)


def test_a_program_that_infers_nothing_is_a_clear_error():
    with pytest.raises(InputError, match="ZeroShot infers no hypotheses"):
        hyperalign.infer_hypotheses(["A text."], program=ZeroShot(), lm="embedded")
