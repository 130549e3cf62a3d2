"""personalize(user_id=...) reuses a stored profile (no inference call) only while the samples, LM
and program match; a rejected hypothesis stays out, even after a new inference states it again.
DummyLM: this is wiring, not output quality."""

from __future__ import annotations

import dspy
import pytest
from dspy.utils import DummyLM
from dspy.utils.callback import BaseCallback

from hyperalign.api import personalize
from hyperalign.core.errors import InputError
from hyperalign.profiles.store import ProfileStore
from hyperalign.programs import HyPerAlign, ZeroShot
from hyperalign.programs.hypothesis_inference import HypothesisInference

HYPS = [{"category": "writing style", "statement": "Writes very short e-mails.", "evidence": ["Same room."]},
        {"category": "personality", "statement": "Is direct and decisive.", "evidence": ["Bring Q3 numbers."]},
        {"category": "communication strategy", "statement": "Signs with an initial only.", "evidence": ["Same room."]}]
SAMPLES = ["Same room. Bring Q3 numbers.\nD."]


def dummy() -> DummyLM:
    # Keyed by a substring of the prompt: inference prompts show `texts`, generation prompts `task`.
    return DummyLM({"[[ ## texts ## ]]": {"hypotheses": HYPS}, "[[ ## task ## ]]": {"text": "Friday, same room. D."}},
                   adapter=dspy.JSONAdapter())


class InferenceCounter(BaseCallback):
    """Counts runs of the hypothesis-inference step (an adapter fallback is still one inference)."""

    def __init__(self):
        self.runs = 0

    def on_module_start(self, call_id, instance, inputs):
        self.runs += isinstance(instance, HypothesisInference)


@pytest.fixture()
def inferences():
    counter = InferenceCounter()
    with dspy.context(callbacks=[counter]):
        yield counter


def statements(result) -> list[str]:
    return [h["statement"] for h in result.hypotheses]


def test_second_call_reuses_the_stored_profile(tmp_path, inferences):
    store, lm = ProfileStore(tmp_path / "p.sqlite"), dummy()
    first = personalize(SAMPLES, "Move the meeting", program=HyPerAlign(), lm=lm, user_id="dana", profiles=store)
    # A fresh program (as after a restart: empty in-memory cache) and the same samples: no inference.
    second = personalize(SAMPLES, "Thank a colleague", program=HyPerAlign(), lm=lm, user_id="dana", profiles=store)
    assert (first.profile_reused, second.profile_reused) == (False, True)
    assert inferences.runs == 1
    assert statements(second) == statements(first) == [h["statement"] for h in HYPS]
    # Other samples: inferred anew and stored.
    third = personalize(SAMPLES + ["Out next week."], "Thank a colleague", program=HyPerAlign(), lm=lm,
                        user_id="dana", profiles=store)
    assert not third.profile_reused and inferences.runs == 2


def test_rejected_hypothesis_stays_rejected_after_reinference(tmp_path):
    store, lm = ProfileStore(tmp_path / "p.sqlite"), dummy()
    personalize(SAMPLES, "Move the meeting", program=HyPerAlign(), lm=lm, user_id="dana", profiles=store)
    store.reject("dana", 2)
    reused = personalize(SAMPLES, "Move the meeting", program=HyPerAlign(), lm=lm, user_id="dana", profiles=store)
    assert reused.profile_reused and "Is direct and decisive." not in statements(reused)
    # New samples: the LM infers the same statement again; it is still left out of the prompt.
    reinferred = personalize(SAMPLES + ["Need two more weeks."], "Move the meeting", program=HyPerAlign(), lm=lm,
                             user_id="dana", profiles=store)
    assert not reinferred.profile_reused
    assert statements(reinferred) == ["Writes very short e-mails.", "Signs with an initial only."]
    generation_prompt = str(lm.history[-1]["messages"])
    assert "Is direct and decisive." not in generation_prompt and "Writes very short e-mails." in generation_prompt
    assert store.get("dana").rejected == ["Is direct and decisive."]


def test_program_without_hypotheses_is_refused_with_a_user_id(tmp_path):
    with pytest.raises(InputError, match="cannot be given stored hypotheses"):
        personalize(SAMPLES, "Move the meeting", program=ZeroShot(), lm=dummy(), user_id="dana",
                    profiles=tmp_path / "p.sqlite")
