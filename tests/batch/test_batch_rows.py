"""Batch input checks (a bad row fails alone), and the parts → output merge that makes runs resumable."""

from __future__ import annotations

import json

import pytest

from hyperalign.batch.inputs import BadRow, parse_user, read_tasks, user_records
from hyperalign.batch.rows import done_keys, finalize, make_row, new_run_dir, parts_dir, read_output
from hyperalign.batch.run import BatchConfig, run_batch
from hyperalign.core.errors import InputError


@pytest.mark.parametrize("record, problem", [
    ({"samples": ["a text"]}, "missing or empty 'user_id'"),
    ({"user_id": "u", "samples": []}, "no sample texts"),
    ({"user_id": "u", "samples": ["  "]}, "no sample texts"),
    ({"user_id": "u", "samples": [1, 2]}, "'samples' must be a list of texts"),
    ({"user_id": "u", "samples": ["t"], "attributes": ["x"]}, "'attributes' must be an object"),
    ("[1, 2]", "expected a JSON object"),
    ("{not json", "not valid JSON"),
])
def test_bad_users_rows_name_the_problem(record, problem):
    with pytest.raises(BadRow, match=problem):
        parse_user(record, "users.jsonl:3")


def test_good_row_and_parquet_nulls():
    user = parse_user({"user_id": 7, "samples": "one text", "attributes": {"role": "cto", "team": None},
                       "tasks": ["Write x"]}, "users.parquet row 1")
    assert (user.user_id, user.samples, user.attributes, user.tasks) == ("7", ["one text"], {"role": "cto"}, ["Write x"])


def test_unreadable_jsonl_line_comes_through_in_order(tmp_path):
    path = tmp_path / "users.jsonl"
    path.write_bytes(b'{"user_id": "a", "samples": ["x"]}\n{broken\n\n{"user_id": "b", "samples": ["y"]}\n')
    records = list(user_records(path, "jsonl"))
    assert [location for _, location in records] == [f"{path}:1", f"{path}:2", f"{path}:4"]
    with pytest.raises(BadRow, match=f"{path}:2: not valid JSON"):
        parse_user(*records[1])


def test_tasks_table_per_user_and_for_all(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"task": "T all"}\n{"user_id": "a", "task": "T a"}\n', encoding="utf-8")
    table = read_tasks(path)
    user = parse_user({"user_id": "a", "samples": ["x"], "tasks": ["own", "T a"]}, "-")
    assert table.for_user(user) == ["own", "T a", "T all"]
    path.write_text('{"user_id": "a"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"tasks.jsonl:1: a tasks row needs 'task'"):
        read_tasks(path)


def test_bad_command_input_fails_before_any_work(tmp_path):
    users = tmp_path / "users.jsonl"
    users.write_text('{"user_id": "a", "samples": ["x"]}\n', encoding="utf-8")
    for config, problem in [
        (BatchConfig(users=tmp_path / "none.jsonl", out=tmp_path / "o.jsonl"), "no such users file"),
        (BatchConfig(users=users, out=tmp_path / "o.csv"), "must end in .jsonl or .parquet"),
        (BatchConfig(users=users, out=tmp_path / "o.jsonl", engine="spark"), "unknown engine"),
        (BatchConfig(users=users, out=tmp_path / "o.jsonl", workers=-1), "at least 1"),
    ]:
        with pytest.raises(InputError, match=problem):
            run_batch(config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["users.jsonl"]  # nothing written


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_resume_merge_keeps_finished_rows_and_retries_failed_ones(tmp_path, suffix):
    out = tmp_path / f"out{suffix}"
    hyps = [{"statement": "Short.", "evidence": ["x"]}]
    first = new_run_dir(out)
    (first / "local-1.jsonl").write_text(
        json.dumps(make_row("a", "t1", text="A1", hypotheses=hyps)) + "\n"
        + json.dumps(make_row("a", "t2", error="LMError: timed out")) + "\n"
        + '{"user_id": "a", "task": "t3", "te',  # cut off by a kill
        encoding="utf-8")
    done, torn = done_keys(out)
    assert done == {("a", "t1")} and torn == 1  # the failed row and the torn line are redone
    second = new_run_dir(out)
    (second / "local-2.jsonl").write_text(
        json.dumps(make_row("a", "t2", text="A2", hypotheses=hyps, lm_calls=1)) + "\n"
        + json.dumps(make_row("a", "t3", error="LMError: parse")) + "\n", encoding="utf-8")
    current = finalize(out, second)
    assert [r["task"] for r in current] == ["t2", "t3"]
    assert not parts_dir(out).exists()
    rows = {r["task"]: r for r in read_output(out)}
    assert (rows["t1"]["text"], rows["t2"]["text"], rows["t3"]["error"]) == ("A1", "A2", "LMError: parse")
    assert json.loads(rows["t1"]["hypotheses"]) == hyps
    # A later run that fixes t3 replaces its error row; finished rows stay.
    third = new_run_dir(out)
    (third / "p.jsonl").write_text(json.dumps(make_row("a", "t3", text="A3")) + "\n", encoding="utf-8")
    finalize(out, third)
    assert sorted((r["task"], r["text"], r["error"]) for r in read_output(out)) == [
        ("t1", "A1", None), ("t2", "A2", None), ("t3", "A3", None)]


def test_parquet_users_and_tasks(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    users = pa.Table.from_pylist([
        {"user_id": "a", "samples": ["one", "two"], "attributes": {"role": "cto", "team": None}},
        {"user_id": "b", "samples": [], "attributes": {"role": None, "team": "ops"}},
    ])
    pq.write_table(users, tmp_path / "users.parquet")
    pq.write_table(pa.Table.from_pylist([{"user_id": "a", "task": "T a"}]), tmp_path / "tasks.parquet")
    records = list(user_records(tmp_path / "users.parquet", "parquet"))
    user = parse_user(*records[0])
    assert (user.user_id, user.samples, user.attributes) == ("a", ["one", "two"], {"role": "cto"})
    with pytest.raises(BadRow, match="no sample texts"):
        parse_user(*records[1])
    assert read_tasks(tmp_path / "tasks.parquet").for_user(user) == ["T a"]
    (tmp_path / "bad.parquet").write_text("not parquet", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable Parquet file"):
        list(user_records(tmp_path / "bad.parquet", "parquet"))


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    from hyperalign.batch.run import only_run

    users = tmp_path / "users.jsonl"
    users.write_text('{"user_id": "a", "samples": ["x"], "tasks": ["t"]}\n', encoding="utf-8")
    with only_run(tmp_path / "out.jsonl"):
        with pytest.raises(InputError, match="another batch run is writing it"):
            run_batch(BatchConfig(users=users, out=tmp_path / "out.jsonl", profiles=tmp_path / "p.sqlite"))
    assert not (tmp_path / ".out.jsonl.lock").exists()
