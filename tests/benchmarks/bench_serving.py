"""Serving section: what a request costs behind `mlflow models serve` (embedded LM, MLflow's default
60 s request timeout): server start until /ping answers, a new user (hypotheses inferred, then the
text), the same user with a new task (hypotheses from the in-process cache), the same request again
(DSPy's cache), and the LM calls and tokens of each, counted on the same program in-process."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# Two demo-like users (our own texts): each request is a new user for the server.
USERS = [
    ["Team, the trucks leave at six. Be on time or we miss the port window.",
     "Board: Q3 volumes up 4%. Margins flat. We hold prices."],
    ["hi all!! quick one - who took the blue stapler?? need it back by lunch pls",
     "lol the printer is jammed again, someone call Dave before he goes home"],
]
TASKS = ["Tell staff the office is closed on Friday.", "Ask for volunteers to plan the summer party."]


def serving_section(lm: str, quick: bool) -> dict:
    sys.path.insert(0, str(REPO_ROOT))
    from tests.serving.scoring_server import post, register_uncompiled, scoring_server

    users = USERS[:1] if quick else USERS
    rows = []
    with tempfile.TemporaryDirectory(prefix="hyperalign-bench-serving-") as tmp:
        root = Path(tmp)
        store, model_uri = register_uncompiled(root)
        with scoring_server(root, store, model_uri, {"HYPERALIGN_LM": lm}) as (url, startup):
            for index, samples in enumerate(users):
                for kind, task in (("new user", TASKS[0]), ("returning user, new task", TASKS[1]), ("same request again", TASKS[1])):
                    started = time.perf_counter()
                    status, body = post(url, {"inputs": [{"samples": samples, "task": task}]}, timeout=600)
                    seconds = time.perf_counter() - started
                    answer = json.loads(body)["predictions"][0] if status == 200 else {"error": body[:200]}
                    rows.append({"user": index + 1, "request": kind, "status": status, "seconds": round(seconds, 2),
                                 "error": answer.get("error"), "text_chars": len(answer.get("text") or "")})
        calls = lm_calls_per_request(lm, users[0])
    return {"startup_seconds": round(startup, 1), "rows": rows, "lm_calls": calls,
            "load_average": list(os.getloadavg()), "timeout_seconds": 60}


def lm_calls_per_request(lm_name: str, samples: list[str]) -> dict:
    """LM calls and tokens of a new user's request and of the same user's next task (same program, in-process)."""
    from hyperalign.core.lm import lm_context, make_lm
    from hyperalign.programs import HyPerAlign

    lm, program, counted = make_lm(lm_name, cache=False), HyPerAlign(), {}
    for kind, task in (("new user", TASKS[0]), ("returning user, new task", TASKS[1])):
        before = len(lm.history)
        with lm_context(lm):
            program(samples=samples, task=task)
        entries = lm.history[before:]
        counted[kind] = {"calls": len(entries),
                         "tokens": sum((entry.get("usage") or {}).get("total_tokens") or 0 for entry in entries)}
    return counted


def serving_rows(section: dict) -> list[tuple[str, str, str]]:
    """Rows for the benchmark table."""
    out = [("serving: server start to /ping", f"{section['startup_seconds']} s", "mlflow models serve, embedded LM loaded at start")]
    for row in section["rows"]:
        calls = section["lm_calls"].get(row["request"], {})
        note = f"HTTP {row['status']}" + (f", {calls['calls']} LM calls, {calls['tokens']} tokens" if calls else "")
        out.append((f"serving: user {row['user']}, {row['request']}", f"{row['seconds']} s",
                    note + f"; load {section['load_average'][0]:.1f}"))
    return out
