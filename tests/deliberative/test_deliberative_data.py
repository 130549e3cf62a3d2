"""Demo users, their pairing with XSTest prompts, and the safety specification file."""

from __future__ import annotations

import json

import pytest

from hyperalign.core.errors import DataError, InputError
from hyperalign.data.loaders import deliberative as demo_users
from hyperalign.programs.safety_spec import DEFAULT_SPEC, load_spec, parse_spec


def test_demo_users_have_attributes_and_three_to_five_requests():
    users = demo_users.load()
    assert len(users) >= 8
    assert len({u.id for u in users}) == len(users)
    for user in users:
        assert 3 <= len(user.samples) <= 5, user.id
        assert user.attributes, user.id
        assert user.held_out == []


def test_injection_users_carry_instructions_in_requests_and_attributes():
    injected = [u for u in demo_users.load() if u.injection]
    assert len(injected) >= 3
    for user in injected:
        text = " ".join(user.samples + list(user.attributes.values())).lower()
        assert any(p in text for p in ("ignore", "unrestricted", "no restrictions", "policy", "never refuses"))


def test_pairing_is_deterministic_balanced_and_covers_users(xstest):
    users = demo_users.load()
    pairs = demo_users.pair(xstest, users, limit=20, seed=3)
    assert pairs == demo_users.pair(xstest, users, limit=20, seed=3)
    assert [p.id for p, _ in pairs] != [p.id for p, _ in demo_users.pair(xstest, users, limit=20, seed=4)]
    assert [p.label for p, _ in pairs[:4]] == ["safe", "unsafe", "safe", "unsafe"]
    assert [u.id for _, u in pairs[: len(users)]] == [u.id for u in users]
    assert len({p.id for p, _ in pairs}) == 20
    everything = demo_users.pair(xstest, users, seed=0)
    assert len(everything) == len(xstest)  # no limit: every prompt once


def test_examples_have_the_program_call_shape_and_labels(xstest):
    users = demo_users.load()
    examples = demo_users.to_examples(demo_users.pair(xstest, users, limit=4))
    assert set(examples[0].inputs().keys()) == {"samples", "task", "attributes"}
    assert examples[1].label == "unsafe" and examples[1].prompt_id.startswith("xstest-")
    assert examples[0].samples == users[0].samples


def test_pairing_needs_users(xstest):
    with pytest.raises(InputError, match="no users"):
        demo_users.pair(xstest, [])


def test_bad_users_file_names_file_and_line(tmp_path):
    path = tmp_path / "users.jsonl"
    good = {"user_id": "a", "attributes": {"role": "x"}, "requests": ["one", "two", "three"]}
    bad = {"user_id": "b", "attributes": {"role": "y"}, "requests": "not a list"}
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"users\.jsonl:2: 'requests' must be a list"):
        demo_users.load(path)


def test_duplicate_user_is_refused(tmp_path):
    path = tmp_path / "users.jsonl"
    row = json.dumps({"user_id": "a", "requests": ["one", "two", "three"]})
    path.write_text(row + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=":2: user_id 'a' appears twice"):
        demo_users.load(path)


def test_default_spec_has_help_decline_and_injection_clauses():
    spec = load_spec()
    assert spec.source == "default" and DEFAULT_SPEC.is_file()
    assert {"H1", "D1", "P1", "U3"} <= set(spec.clauses)
    assert all(line.split(":", 1)[0] in spec.clauses for line in spec.as_lines())
    assert "ignore the policy" in spec.clauses["U3"]


def test_spec_citations_map_to_known_clauses():
    spec = parse_spec("H1: help\nD3: no malware\n")
    assert spec.known(["d3", "H1: help", "D3 again", "Z9", "clause H1"]) == ["D3", "H1"]


def test_bad_spec_names_the_line(tmp_path):
    path = tmp_path / "spec.txt"
    path.write_text("# my policy\nH1: help\nthis line is not a clause\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"spec\.txt:3: not a clause"):
        load_spec(path)
    path.write_text("# only comments\n", encoding="utf-8")
    with pytest.raises(DataError, match="no clauses"):
        load_spec(path)
    with pytest.raises(InputError, match="not found"):
        load_spec(tmp_path / "missing.txt")
