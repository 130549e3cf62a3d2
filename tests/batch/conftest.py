"""Shared set-up of the batch end-to-end tests: a small demo batch (2 users x 2 tasks, one bad users
row, one broken line) and one DSPy cache for the session, so the second engine and the reruns
answer from the cache instead of the slow embedded LM."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hyperalign.data import load_demo_tasks, load_users

USERS, TASKS, SAMPLES_PER_USER = 2, 2, 3


@pytest.fixture(scope="session")
def batch_inputs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("batch")
    saved = {name: os.environ.get(name) for name in ("DSPY_CACHEDIR", "HYPERALIGN_EMBEDDED_THREADS")}
    # Worker processes and Ray actors inherit these: one LM thread each, one shared cache.
    os.environ["DSPY_CACHEDIR"] = str(root / "dspy-cache")
    os.environ["HYPERALIGN_EMBEDDED_THREADS"] = "1"
    # The demo users with the shortest texts: the embedded LM's cost grows with the prompt.
    users = sorted(load_users("demo"), key=lambda u: sum(len(t) for t in u.samples[:SAMPLES_PER_USER]))[:USERS]
    lines = [json.dumps({"user_id": u.id, "samples": u.samples[:SAMPLES_PER_USER], "attributes": u.attributes})
             for u in users]
    lines.append(json.dumps({"user_id": "no_samples", "samples": []}))  # fails alone
    lines.append('{"user_id": "broken", "samples": ["cut off')  # not JSON: fails alone
    (root / "users.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tasks = load_demo_tasks()
    (root / "tasks.jsonl").write_text("".join(json.dumps({"task": t}) + "\n" for t in tasks[:TASKS]), encoding="utf-8")
    # The resume test adds a task nobody has done yet, so its run is slow enough to be killed mid-way.
    (root / "tasks_more.jsonl").write_text(
        "".join(json.dumps({"task": t}) + "\n" for t in [tasks[0], tasks[TASKS]]), encoding="utf-8")
    yield {"root": root, "users": root / "users.jsonl", "tasks": root / "tasks.jsonl",
           "tasks_more": root / "tasks_more.jsonl", "user_ids": [u.id for u in users]}
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
