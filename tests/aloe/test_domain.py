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
