"""`hyperalign evaluate aloe` end to end: real ALOE profiles and personalities, the embedded LM for the
simulated user, the program, the baseline and the judge, a real sqlite MLflow store."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from hyperalign.optimize.domains.aloe.alignment import alignment_levels

ENV = {**os.environ, "HYPERALIGN_EMBEDDED_THREADS": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def evaluate(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hyperalign", "evaluate", "aloe", *args], capture_output=True,
                          text=True, env=ENV, timeout=timeout)


def test_bad_arguments_are_one_line_errors(shared_data, tmp_path):
    missing = evaluate("--users", "1", "--no-track")
    assert missing.returncode == 2 and "aloe needs --path" in missing.stderr and "Traceback" not in missing.stderr
    zero = evaluate("--path", str(shared_data / "aloe"), "--turns", "0", "--no-track")
    assert zero.returncode == 2 and "--turns must be at least 1" in zero.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    absent = evaluate("--path", str(empty), "--no-track")
    assert absent.returncode != 0 and "profile.jsonl" in absent.stderr and "Traceback" not in absent.stderr


@pytest.mark.slow
def test_two_users_three_turns(shared_data, tmp_path):
    out, store = tmp_path / "report", f"sqlite:///{tmp_path / 'mlflow.db'}"
    result = evaluate("--path", str(shared_data / "aloe"), "--users", "2", "--turns", "3", "--out", str(out),
                      "--tracking-uri", store, timeout=3000)
    assert result.returncode == 0, result.stderr
    planned = int(re.search(r"Planned: (\d+) LM call", result.stderr).group(1))  # status on stderr
    assert "conversational: AL(k)" in result.stdout
    report = json.loads((out / "aloe-report.json").read_text(encoding="utf-8"))
    assert report["meta"]["lm_calls"] == planned  # the announced plan is what the run spent
    assert (out / "aloe-curves.png").read_bytes()[:4] == b"\x89PNG"
    table = (out / "aloe-report.md").read_text(encoding="utf-8")
    assert "| conversational |" in table and "| baseline |" in table and "AL(3)" in table

    for name in ("conversational", "baseline"):
        conversations = report["conversations"][name]
        assert len(conversations) == 2 and all(len(c["turns"]) == 3 for c in conversations)
        scores = [[t["score"] for t in c["turns"]] for c in conversations]
        assert all(1 <= s <= 5 for row in scores for s in row)
        assert report["systems"][name]["levels"] == pytest.approx(alignment_levels(scores))
        for conversation in conversations:
            state = conversation["state"]
            assert state["turn"] == 3 and [m["role"] for m in state["messages"]] == ["user", "assistant"] * 3
            assert [m["content"] for m in state["messages"][::2]] == [t["user_message"] for t in conversation["turns"]]
    # The program's state holds hypotheses updated turn by turn, each with its turn, status and evidence.
    for conversation in report["conversations"]["conversational"]:
        hypotheses = conversation["state"]["hypotheses"]
        assert hypotheses
        assert all(1 <= h["turn"] <= 3 and h["status"] in ("new", "kept", "revised", "retired") for h in hypotheses)
        assert all(e["grounded"] for h in hypotheses for e in h["evidence"])  # quotes picked from the user's sentences
    assert all(c["state"]["hypotheses"] == [] for c in report["conversations"]["baseline"])

    from mlflow import MlflowClient

    client = MlflowClient(tracking_uri=store)
    experiment = client.get_experiment_by_name("hyperalign-aloe")
    (run,) = client.search_runs([experiment.experiment_id])
    assert run.data.metrics["conversational_AL_1"] == pytest.approx(report["systems"]["conversational"]["levels"][0])
    assert {"baseline_AL_3", "conversational_AL_3"} <= set(run.data.metrics)
    assert {a.path for a in client.list_artifacts(run.info.run_id)} >= {"aloe-report.md", "aloe-report.json", "aloe-curves.png"}
