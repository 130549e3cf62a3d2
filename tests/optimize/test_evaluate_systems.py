"""`evaluate --systems`: outputs files matched by item id or by user + whitespace-normalised task, subset
coverage, zero coverage, malformed rows, two files with no LM, a program against a partial file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from dspy.utils import DummyLM

from hyperalign.core.errors import DataError, InputError
from hyperalign.data import load_users
from hyperalign.optimize.domains.authorship.evaluation import evaluate_authorship
from hyperalign.optimize.evaluation.config import EvaluateConfig
from hyperalign.optimize.evaluation.outputs import read_outputs
from hyperalign.optimize.evaluation.systems import needs_lm, parse_systems


@pytest.fixture(scope="module")
def users():
    return load_users("email")


def write_rows(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def by_id(users, text=lambda user, item: item.reference, first_only=False):
    return [{"user_id": u.id, "item_id": item.id, "response": text(u, item)}
            for u in users for item in (u.held_out[:1] if first_only else u.held_out)]


def evaluate(tmp_path, systems, **overrides):
    config = EvaluateConfig(domain="email", systems=systems, judge="stylometric", track=False, out=tmp_path / "report",
                            **overrides)
    return evaluate_authorship(config)


def no_lm(monkeypatch):
    """Any attempt to set up an LM fails the test."""
    import hyperalign.core.lm as lm

    def refuse(*args, **kwargs):
        raise AssertionError("an LM was set up")

    monkeypatch.setattr(lm, "as_lm", refuse)
    monkeypatch.setattr(lm, "make_lm", refuse)


def test_two_files_compare_with_no_lm_matching_by_id_and_by_task(tmp_path, users, monkeypatch):
    no_lm(monkeypatch)
    real = write_rows(tmp_path / "real.jsonl", by_id(users))
    # The other file names tasks instead of ids, with its own line breaks and spacing, for one item per user.
    copies = write_rows(tmp_path / "copies.jsonl", [
        {"user_id": u.id, "task": "  " + u.held_out[0].task.replace(" ", "  \n") + " ", "response": u.samples[0]}
        for u in users])
    outcome = evaluate(tmp_path, f"real={real},copy={copies}")
    data = outcome.data
    assert data["n_items"] == len(users)  # the items both cover: the first of each user
    assert {c["system"]: (c["matched"], c["items"]) for c in data["coverage"]} == {
        "real": (3 * len(users), 3 * len(users)), "copy": (len(users), 3 * len(users))}
    assert data["usage"]["lm_calls"] == 0 and data["meta"]["lm"] is None
    pair = data["pairs"]["real vs copy"]
    assert pair["n"] == len(users) and sum(pair["counts"].values()) == len(users)
    assert set(data["scores"]) == {"real", "copy", "reference"}
    assert data["scores"]["real"]["score"]["mean"] == pytest.approx(data["scores"]["reference"]["score"]["mean"])
    assert any("coverage copy 8/24" in line for line in outcome.lines)
    assert "copy 8/24" in (tmp_path / "report" / "report.md").read_text()


def test_a_row_matches_by_id_only_for_its_own_user(tmp_path, users):
    first, second = users[0], users[1]
    rows = [{"user_id": second.id, "item_id": first.held_out[0].id, "response": "x"}]  # someone else's item
    outputs = read_outputs(write_rows(tmp_path / "o.jsonl", rows))
    assert outputs.match(first.held_out[0].id, first.id, first.held_out[0].task) is None
    rows = [{"user_id": first.id, "item_id": "no-such-id", "task": first.held_out[1].task, "response": "y"}]
    outputs = read_outputs(write_rows(tmp_path / "o.jsonl", rows))
    assert outputs.match(first.held_out[1].id, first.id, first.held_out[1].task).response == "y"  # falls back to the task


def test_zero_coverage_is_an_error_naming_rows(tmp_path, users):
    real = write_rows(tmp_path / "real.jsonl", by_id(users))
    stray = write_rows(tmp_path / "stray.jsonl", [
        {"user_id": "nobody", "task": "Write a poem about the sea.", "response": "Waves."},
        {"user_id": users[0].id, "item_id": "C50test/x/1.txt", "response": "Text."}])
    with pytest.raises(InputError) as err:
        evaluate(tmp_path, f"real={real},peer={stray}")
    message = str(err.value)
    assert "peer=" in message and "none of its 2 row(s) matches" in message
    assert "line 1 (user 'nobody', task 'Write a poem about the sea.')" in message
    assert "line 2" in message and "data show email --items" in message
    assert not (tmp_path / "report").exists()


def test_files_that_share_no_item_are_an_error(tmp_path, users):
    one = write_rows(tmp_path / "one.jsonl", by_id(users[:2]))
    other = write_rows(tmp_path / "other.jsonl", by_id(users[2:4]))
    with pytest.raises(InputError, match="share no held-out item: one: 6/24 .*other: 6/24"):
        evaluate(tmp_path, f"one={one},other={other}")


@pytest.mark.parametrize("line, problem", [
    ("{not json", r"bad\.jsonl:2: not valid JSON"),
    ('["a list"]', r"bad\.jsonl:2: expected a JSON object"),
    ('{"user_id": "u", "task": "t"}', r"bad\.jsonl:2: response missing"),
    ('{"user_id": "u", "response": "r"}', r"bad\.jsonl:2: needs an item_id or a task"),
    ('{"user_id": "u", "item_id": 7, "response": "r"}', r"bad\.jsonl:2: item_id must be non-empty text"),
    ('{"user_id": "u", "task": "t", "response": "again"}', r"bad\.jsonl:2: a second response for the item of line 1"),
])
def test_malformed_rows_name_file_and_line(tmp_path, line, problem):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"user_id": "u", "task": "t", "response": "r"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=problem):
        read_outputs(path)


def test_systems_spec_errors():
    assert parse_systems("mine=models:/hyperalign-email@champion, zero-shot") == [
        ("mine", "models:/hyperalign-email@champion"), ("zero-shot", "zero-shot")]
    with pytest.raises(InputError, match="at least two systems"):
        parse_systems("only=zero-shot")
    with pytest.raises(InputError, match="names a more than once"):
        parse_systems("a=zero-shot,a=few-shot")
    with pytest.raises(InputError, match="not NAME=SPEC"):
        parse_systems("=zero-shot,b=few-shot")


def test_unknown_spec_says_what_a_spec_may_be(tmp_path):
    with pytest.raises(InputError, match="nope: not a baseline .* or an existing outputs file"):
        evaluate(tmp_path, f"a=zero-shot,b={tmp_path / 'nope'}")


def test_needs_lm_only_for_programs_or_the_llm_judge(tmp_path):
    path = write_rows(tmp_path / "a.jsonl", [{"user_id": "u", "task": "t", "response": "r"}])
    assert not needs_lm(f"a={path},b={path}", "stylometric")
    assert needs_lm(f"a={path},b={path}", "llm") and needs_lm(f"a={path},b=zero-shot", "authorship")
    assert needs_lm(None, "stylometric")  # the --program/--against shorthand runs a program


def test_a_program_against_a_partial_file_runs_only_on_covered_items(tmp_path, users):
    peer = write_rows(tmp_path / "peer.jsonl", by_id(users[:2], first_only=True))
    answers = [{"text": f"Short reply {i} about the request, with thanks."} for i in range(10)]
    outcome = evaluate(tmp_path, f"zs=zero-shot,peer={peer}", lm=DummyLM(answers))
    data = outcome.data
    assert data["n_items"] == 2 and data["usage"]["lm_calls"] == 2  # zero-shot ran on the 2 covered items only
    coverage = {c["system"]: c for c in data["coverage"]}
    assert coverage["peer"]["matched"] == 2 and coverage["peer"]["unmatched_rows"] == 0
    assert coverage["zs"]["matched"] == coverage["zs"]["items"] == 3 * len(users)
    assert list(data["pairs"]) == ["zs vs peer"]


def test_cli_two_files_no_lm_configured(tmp_path, users):
    real = write_rows(tmp_path / "real.jsonl", by_id(users))
    copies = write_rows(tmp_path / "copies.jsonl", by_id(users, text=lambda u, item: u.samples[0], first_only=True))
    env_code = ("import os, sys; os.environ['HYPERALIGN_LM'] = 'openai/no-such-model'; "
                "from hyperalign.cli import main; sys.exit(main())")
    result = subprocess.run([sys.executable, "-c", env_code, "evaluate", "email", "--systems", f"real={real},copy={copies}",
                             "--judge", "stylometric", "--no-track", "--out", str(tmp_path / "r")],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "real vs copy: win" in result.stdout and "LM calls: 0" in result.stdout
    assert "coverage copy 8/24" in result.stdout
