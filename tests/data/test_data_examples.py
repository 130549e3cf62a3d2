"""Conversion of users to dspy.Examples for compile and evaluation."""

from __future__ import annotations

from hyperalign.data import load_users, to_examples


def test_one_example_per_held_out_item_with_inputs_and_labels():
    users = load_users("demo", k=5)
    examples = to_examples(users)
    assert len(examples) == 24
    first = examples[0]
    assert set(first.inputs().keys()) == {"samples", "task", "attributes"}
    assert set(first.labels().keys()) == {"reference", "user_id", "item_id"}
    assert first.item_id == users[0].held_out[0].id  # the item's stable id travels with the example
    assert first.samples == users[0].samples and first.task == users[0].held_out[0].task
    assert first.reference == users[0].held_out[0].reference and first.user_id == users[0].id


def test_background_holds_only_other_users_samples():
    users = load_users("demo", k=5)
    examples = to_examples(users, with_background=True)
    for example in examples:
        own = next(u for u in users if u.id == example.user_id)
        assert len(example.other_users) == 35  # 7 other writers x 5 samples
        assert not set(example.other_users) & set(own.samples)
        assert "other_users" in example.labels().keys()
