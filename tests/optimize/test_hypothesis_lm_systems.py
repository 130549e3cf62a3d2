"""evaluate --systems: the same program with hypotheses inferred by another LM (`;hypothesis-lm=MODEL`)."""

import dspy
import pytest
from dspy.utils import DummyLM

from hyperalign.core.errors import InputError
from hyperalign.optimize.evaluation.cache import DiskCache
from hyperalign.optimize.evaluation.harness import Harness
from hyperalign.optimize.evaluation.systems import System, build_system, with_hypothesis_lm


class Recorder(dspy.Module):
    """A program that records which LM each step ran under (no LM is called)."""

    def __init__(self):
        super().__init__()
        self.seen = {}

    def infer_hypotheses(self, samples, attributes=None):
        self.seen["infer"] = dspy.settings.lm
        return [{"statement": "The writer is brief.", "grounded": True}], False

    def forward(self, samples, task, attributes=None, hypotheses=None):
        self.seen["write"], self.seen["given"] = dspy.settings.lm, hypotheses
        return dspy.Prediction(text=f"text for {task}", hypotheses=hypotheses or [])


def test_spec_names_the_lm_that_infers_and_changes_the_identity():
    transfer, plain = build_system("transfer", "hyperalign;hypothesis-lm=embedded"), build_system("self", "hyperalign")
    assert transfer.hypothesis_lm.model.startswith("embedded/") and plain.hypothesis_lm is None
    assert transfer.spec == "hyperalign;hypothesis-lm=embedded"
    assert transfer.identity != plain.identity  # cached texts of one are never served for the other
    with pytest.raises(InputError, match="hypothesis-lm needs a program that infers hypotheses"):
        build_system("z", "zero-shot;hypothesis-lm=embedded")


def test_the_hypothesis_lm_infers_and_the_task_lm_writes(tmp_path):
    program, task_lm = Recorder(), DummyLM([])
    system = with_hypothesis_lm(System("transfer", program=program, spec="recorder"), "embedded")
    example = dspy.Example(user_id="u1", samples=["A short note."], task="Write a memo.", attributes={})
    with DiskCache(tmp_path / "cache.sqlite") as cache:
        harness = Harness([system], scorer=lambda ex, text: (0.5, {}), cache=cache, task_lm=task_lm)
        assert harness.generate(system, example) == "text for Write a memo."
    assert program.seen["infer"] is system.hypothesis_lm
    assert program.seen["write"] is task_lm
    assert program.seen["given"] == [{"statement": "The writer is brief.", "grounded": True}]
