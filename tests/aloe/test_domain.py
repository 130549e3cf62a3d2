"""`compile aloe`'s domain spec: examples are turns of simulated conversations on real ALOE users."""

from __future__ import annotations

import dspy
import pytest

from hyperalign.core.errors import InputError
from hyperalign.optimize.domains import domain_spec


def test_examples_from_simulated_turns(shared_data):
    spec = domain_spec("aloe")
    assert spec.input_fields == ("message", "state") and spec.default_metric == "turn-judge"
    # Per user: opening message, the baseline's reply, the second message (3 users: 1 train, 1 val, 1 test).
    answers = []
    for user in range(3):
        answers += [{"message": f"Hello from user {user}"}, {"reply": "Hi, how can I help?"}, {"message": f"Second note {user}"}]
    with dspy.context(lm=dspy.utils.DummyLM(answers)):
        train, val, test = spec.load_examples(shared_data / "aloe", 5, 0, 1, 1)
    assert [len(train), len(val), len(test)] == [2, 2, 2]
    first, second = train
    assert first.message == "Hello from user 0" and first.state is None and set(first.inputs().keys()) == {"message", "state"}
    assert second.message == "Second note 0" and second.state["turn"] == 1
    assert [m["content"] for m in second.state["messages"]] == ["Hello from user 0", "Hi, how can I help?"]
    assert first.user_id == second.user_id != val[0].user_id != test[0].user_id
    assert first.profile and first.personality and first.task == "turn 1"
    assert callable(spec.make_metric("turn-judge", train + val))
    with pytest.raises(InputError, match="turn-judge"):
        spec.make_metric("stylometric", train)


def test_examples_need_a_path():
    with pytest.raises(InputError, match="--path"):
        domain_spec("aloe").load_examples(None, 5, 0, 1, 1)


def test_compile_simulates_users_with_its_own_lm(shared_data, monkeypatch):
    """`compile aloe --lm X` writes the simulated users' messages with X, not with the default LM."""
    from hyperalign.optimize.compile.config import CompileConfig, plan

    monkeypatch.setenv("HYPERALIGN_LM", "nosuchprovider/not-an-lm")  # the default LM would fail loudly
    answers = []
    for user in range(3):
        answers += [{"message": f"Hello from user {user}"}, {"reply": "Hi, how can I help?"}, {"message": f"Second note {user}"}]
    lm = dspy.utils.DummyLM(answers)
    p = plan(CompileConfig(domain="aloe", path=str(shared_data / "aloe"), lm=lm, train_users=1, val_users=1,
                           test_users=1, train_tasks_per_user=2, val_tasks_per_user=2, test_tasks_per_user=2))
    assert p.lm is lm and len(lm.history) == 9  # 3 users x (opening message, baseline reply, second message)
    assert [e.message for e in p.trainset] == ["Hello from user 0", "Second note 0"]
