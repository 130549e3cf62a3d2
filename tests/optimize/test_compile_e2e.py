"""End to end on the real embedded LM: `hyperalign compile email` (bootstrap, the default authorship metric, demo
e-mails) into a temporary sqlite store, then every way an app gets the program back.

Kept small for CI: 2 training users, 1 validation user, 3 test users, 3 sample texts each, one task per
user. The pyfunc prediction reuses a test user's request, so DSPy's cache answers it.
"""

from __future__ import annotations

import pytest

import hyperalign
from hyperalign.cli import main
from hyperalign.optimize.tracking.store import client, use_store
from hyperalign.programs import HyPerAlign

CANARY = "sk-canary-e2e-compile-1234567890"


@pytest.mark.slow
def test_compile_email_bootstrap_on_embedded_lm(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.setenv("HYPERALIGN_EMBEDDED_THREADS", "1")
    (tmp_path / "store").mkdir()
    store = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    out = tmp_path / "email-bootstrap"

    code = main([
        "compile", "email", "--optimizer", "bootstrap", "--budget", "light",
        "--lm", "embedded", "--train-users", "2", "--val-users", "1", "--test-users", "3", "--k", "3",
        "--out", str(out), "--tracking-uri", store,
    ])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "test score:" in printed.out and "LM calls:" in printed.out and "champion: version 1" in printed.out
    assert "[compile] scoring the uncompiled program" in printed.err  # progress while it works

    # The directory: JSON state + manifest, nothing pickled.
    assert sorted(p.name for p in out.iterdir()) == [".hyperalign-output.json", "manifest.json", "program.json"]
    program = hyperalign.load(out)
    assert isinstance(program, HyPerAlign)
    manifest = program.manifest
    assert (manifest["domain"], manifest["optimizer"]["name"], manifest["metric"]) == ("email", "bootstrap", "authorship")
    assert manifest["lm"].startswith("embedded/")
    split = manifest["split"]
    assert len(split["train_users"]) == 2 and len(split["val_users"]) == 1 and len(split["test_users"]) == 3
    assert not set(split["test_users"]) & (set(split["train_users"]) | set(split["val_users"]))
    before, after = manifest["scores"]["test_before"], manifest["scores"]["test_after"]
    difference = manifest["scores"]["test_difference"]
    assert difference["low"] <= difference["mean"] <= difference["high"]
    assert f"{before:.1f} uncompiled -> {after:.1f} compiled" in printed.out
    assert manifest["lm_calls"] > 0

    # The MLflow run: params, metrics, artifacts, traces; the registered version and its alias.
    mlflow_client = client(store)
    run = mlflow_client.get_run(manifest["mlflow_run_id"])
    assert run.info.status == "FINISHED"
    assert (run.data.params["optimizer"], run.data.params["metric"], run.data.params["n_test_users"]) == ("bootstrap", "authorship", "3")
    assert run.data.metrics["test_score_before"] == pytest.approx(before, abs=1e-3)
    assert run.data.metrics["test_score_after"] == pytest.approx(after, abs=1e-3)
    assert run.data.metrics["lm_calls"] == manifest["lm_calls"]
    assert {a.path for a in mlflow_client.list_artifacts(run.info.run_id, "program")} == {"program/manifest.json", "program/program.json"}
    # The rule decided, and the alias agrees with what the run says.
    promoted = run.data.tags["hyperalign.champion"] == "true"
    assert ("is champion" in run.data.tags["hyperalign.champion_reason"]) == promoted
    aliases = mlflow_client.get_registered_model("hyperalign-email").aliases
    assert (aliases.get("champion") == "1") == promoted
    version = mlflow_client.get_model_version("hyperalign-email", "1")
    assert version.run_id == run.info.run_id and "Test users (3, never seen in compile)" in version.description

    from_registry = hyperalign.load("models:/hyperalign-email/1", tracking_uri=store)
    assert isinstance(from_registry, HyPerAlign)
    assert from_registry.manifest == manifest

    # The pyfunc model answers a test user's request with text + hypotheses.
    import mlflow

    from hyperalign.optimize.domains import domain_spec

    _, _, testset = domain_spec("email").load_examples(None, 3, 0, 2, 1)
    example = next(e for e in testset if e.user_id == split["test_users"][0])
    with use_store(store):
        model = mlflow.pyfunc.load_model("models:/hyperalign-email/1")
    [row] = model.predict([{"samples": list(example.samples), "task": example.task, "attributes": dict(example.attributes)}])
    assert isinstance(row["text"], str) and row["text"].strip()
    assert row["hypotheses"] and all({"statement", "evidence", "grounded"} <= set(h) for h in row["hypotheses"])

    assert main(["runs", "email", "--tracking-uri", store]) == 0
    table = capsys.readouterr().out
    assert "bootstrap" in table

    # The canary key reached neither the program directory nor the store.
    for root in (out, tmp_path / "store"):
        for path in root.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path
