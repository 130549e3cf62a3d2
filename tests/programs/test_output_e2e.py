"""End to end on the real embedded LM: a demo user gets at least three valid hypotheses and a text
that does the task (on task by the judge's fidelity check, no echo of the hypotheses)."""

import pytest

from hyperalign.api import personalize
from hyperalign.data import load_demo_tasks, load_users
from hyperalign.programs.checks import fidelity

pytestmark = pytest.mark.slow


def test_demo_user_gets_valid_hypotheses_and_an_on_task_text():
    user = load_users("demo")[0]
    task = load_demo_tasks()[0]
    result = personalize(user.samples, task, user.attributes, lm="embedded")
    valid = result.valid_hypotheses
    assert len(valid) >= 3, result.dropped
    assert all(h["grounded"] and h["reason"] == "ok" for h in valid)
    assert not any(check["verdict"] == "contradicted" for h in valid for check in h["habits"])
    assert fidelity(result.text, task, user.samples).score >= 0.5, result.text
    assert not any(p.startswith("echoes the hypotheses") for p in result.problems), result.text
    for hyp in valid:
        assert hyp["statement"] not in result.text
