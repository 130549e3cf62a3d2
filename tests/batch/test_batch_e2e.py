"""Batch personalization end to end on the embedded LM: both engines give the same rows, a bad row
fails alone, a second run reuses the stored profiles (no inference), a killed run resumes without
redoing finished rows, and a rejected hypothesis stays out."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hyperalign.batch import BatchConfig, run_batch
from hyperalign.batch.rows import parts_dir, read_output, read_parts

pytestmark = pytest.mark.slow
LM = {"model": "embedded"}


def keyed(rows: list[dict]) -> dict[tuple, dict]:
    return {(r["user_id"], r["task"]): {c: r[c] for c in ("text", "hypotheses", "error")} for r in rows if r["user_id"]}


@pytest.fixture(scope="module")
def local_run(batch_inputs):
    root = batch_inputs["root"]
    config = BatchConfig(users=batch_inputs["users"], tasks=batch_inputs["tasks"], out=root / "local.jsonl",
                         workers=2, lm_options=LM, profiles=root / "profiles-local.sqlite")
    return config, run_batch(config)


def test_local_batch_writes_one_row_per_user_and_task(local_run, batch_inputs):
    config, summary = local_run
    rows = read_output(config.out)
    good = [r for r in rows if r["user_id"] in batch_inputs["user_ids"]]
    assert len(good) == 4 and all(r["error"] is None for r in good), [r["error"] for r in good]
    for row in good:
        assert row["text"].strip() and json.loads(row["hypotheses"]), row
    assert (summary.done, summary.inferred, summary.profiles_reused) == (4, 2, 0)
    assert summary.lm_calls + summary.cached_calls >= 6  # 2 inferences + 4 generations, at least


def test_bad_rows_fail_alone(local_run):
    config, summary = local_run
    errors = {(r["user_id"], r["task"]): r["error"] for r in read_output(config.out) if r["error"]}
    assert summary.failed == len(errors) == 3  # the user without samples (2 tasks) and the broken line
    assert all("no sample texts" in e for (user, _), e in errors.items() if user == "no_samples")
    assert "users.jsonl:4: not valid JSON" in errors[(None, None)]


def test_ray_engine_gives_the_same_rows(local_run, batch_inputs):
    import ray

    root = batch_inputs["root"]
    config = BatchConfig(users=batch_inputs["users"], tasks=batch_inputs["tasks"], out=root / "ray.parquet",
                         engine="ray", workers=2, lm_options=LM, profiles=root / "profiles-ray.sqlite")
    try:
        summary = run_batch(config)
    finally:
        ray.shutdown()
    ray_rows, local_rows = read_output(config.out), read_output(local_run[0].out)
    assert keyed(ray_rows) == keyed(local_rows)
    unkeyed = [r["error"] for r in ray_rows if r["user_id"] is None]
    assert len(unkeyed) == 1 and "not valid JSON" in unkeyed[0]  # Ray reads lines without their numbers
    assert (summary.done, summary.failed, summary.inferred) == (4, 3, 2)


def test_second_run_reuses_stored_profiles(local_run, batch_inputs):
    config, _ = local_run
    again = BatchConfig(users=config.users, tasks=config.tasks, out=batch_inputs["root"] / "again.jsonl",
                        workers=1, lm_options=LM, profiles=config.profiles)
    summary = run_batch(again)
    assert (summary.done, summary.inferred, summary.profiles_reused) == (4, 0, 2)
    assert keyed(read_output(again.out)) == keyed(read_output(config.out))


def test_killed_run_resumes_without_redoing_finished_rows(local_run, batch_inputs):
    root = batch_inputs["root"]
    out, profiles = root / "killed.jsonl", local_run[0].profiles
    command = [sys.executable, "-m", "hyperalign", "batch", "--users", str(batch_inputs["users"]),
               "--tasks", str(batch_inputs["tasks_more"]), "--out", str(out), "--workers", "1",
               "--profiles", str(profiles), "--lm", "embedded"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline, finished = time.monotonic() + 600, []
    while time.monotonic() < deadline and process.poll() is None:
        finished = [r for r in read_parts(parts_dir(out)).rows if not r["error"]] if parts_dir(out).exists() else []
        if finished:
            break
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its worker processes
    process.wait()
    before = {(r["user_id"], r["task"]) for r in read_parts(parts_dir(out)).rows if not r["error"]}
    assert before, "no row finished within 600 s, so the kill tested nothing"
    assert len(before) < 4, "every row finished before the kill: nothing was left to resume"
    config = BatchConfig(users=batch_inputs["users"], tasks=batch_inputs["tasks_more"], out=out, workers=1,
                         lm_options=LM, profiles=profiles)
    summary = run_batch(config)
    assert summary.skipped == len(before)
    assert summary.done == 4 - len(before)  # only the rows the killed run had not finished
    rows = read_output(out)
    assert len(keyed(rows)) == 4 + 2 and not parts_dir(out).exists()  # 4 good + the no-samples user's 2


def test_rejected_hypothesis_stays_rejected(local_run, batch_inputs):
    from hyperalign.api import personalize
    from hyperalign.data import load_users
    from hyperalign.profiles.store import ProfileStore

    config, _ = local_run
    user = next(u for u in load_users("demo") if u.id == batch_inputs["user_ids"][0])
    store = ProfileStore(config.profiles)
    rejected = store.reject(user.id, 1)
    samples = user.samples[:3]
    result = personalize(samples, "Write an email inviting the team to lunch on Friday.", user.attributes,
                         lm="embedded", user_id=user.id, profiles=store)
    assert result.profile_reused
    assert rejected not in [h["statement"] for h in result.hypotheses]
    assert len(result.hypotheses) == len(store.get(user.id).hypotheses) - 1
