"""Split properties: per user (samples vs held out) and across users (train / val / test)."""

from __future__ import annotations

import pytest

from hyperalign.core.errors import InputError
from hyperalign.data import load_users, split_users


@pytest.fixture(scope="module")
def news_path(shared):
    return shared / "ccat50" / "ccat50.jsonl"


@pytest.fixture(scope="module")
def users(news_path):
    return load_users("news", news_path, k=5, seed=0)


def test_no_text_is_both_sample_and_held_out(users):
    for user in users:
        assert not set(user.samples) & {item.reference for item in user.held_out}
        assert len(set(user.samples)) == len(user.samples)


def test_same_seed_same_split(users, news_path):
    again = load_users("news", news_path, k=5, seed=0)
    assert [u.samples for u in again] == [u.samples for u in users]
    assert [[i.reference for i in u.held_out] for u in again] == [[i.reference for i in u.held_out] for u in users]


def test_different_seed_different_split(users, news_path):
    other = load_users("news", news_path, k=5, seed=1)
    changed = [a.id for a, b in zip(users, other) if set(a.samples) != set(b.samples)]
    assert len(changed) > len(users) // 2


def test_k_sets_the_number_of_samples(news_path):
    users = load_users("news", news_path, k=3, seed=0)
    assert {len(u.samples) for u in users} == {3}
    assert {len(u.held_out) for u in users} == {12}


def test_split_users_is_disjoint_and_complete(users):
    split = split_users(users, train=20, val=5, seed=0)
    ids = [{u.id for u in group} for group in (split.train, split.val, split.test)]
    assert [len(i) for i in ids] == [20, 5, 10]
    assert not ids[0] & ids[2] and not ids[1] & ids[2] and not ids[0] & ids[1]
    assert ids[0] | ids[1] | ids[2] == {u.id for u in users}


def test_split_users_seeded(users):
    first, again, other = (split_users(users, 0.6, 0.2, seed=s) for s in (7, 7, 8))
    assert [u.id for u in first.test] == [u.id for u in again.test]
    assert [u.id for u in first.test] != [u.id for u in other.test]
    assert (len(first.train), len(first.val), len(first.test)) == (21, 7, 7)


def test_split_users_does_not_depend_on_input_order(users):
    forward = split_users(users, 20, 5, seed=3)
    backward = split_users(list(reversed(users)), 20, 5, seed=3)
    assert [u.id for u in forward.test] == [u.id for u in backward.test]


@pytest.mark.parametrize("train, val", [(35, 0), (30, 5), (0, 5), (-1, 2), (1.5, 0)])
def test_split_users_needs_train_and_test_users(users, train, val):
    with pytest.raises(InputError, match="train|user count"):
        split_users(users, train, val)
