"""End to end on the real embedded LM: `hyperalign compile email` (bootstrap, stylometric metric, demo
e-mails) into a temporary sqlite store, then every way an app gets the program back.

Kept small for CI: 2 training users, 1 validation user, 3 sample texts each, one task per user.
The pyfunc prediction reuses the validation user's request, so DSPy's cache answers it.
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
        "compile", "email", "--optimizer", "bootstrap", "--budget", "light", "--metric", "stylometric",
        "--lm", "embedded", "--train-users", "2", "--val-users", "1", "--k", "3",
        "--out", str(out), "--tracking-uri", store,
    ])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "validation score:" in printed.out and "LM calls:" in printed.out
    assert "[compile] scoring the uncompiled program" in printed.err  # progress while it works

    # The directory: JSON state + manifest, nothing pickled.
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "program.json"]
    program = hyperalign.load(out)
    assert isinstance(program, HyPerAlign)
    manifest = program.manifest
    assert (manifest["domain"], manifest["optimizer"]["name"], manifest["metric"]) == ("email", "bootstrap", "stylometric")
    assert manifest["lm"].startswith("embedded/")
    assert len(manifest["split"]["train_users"]) == 2 and len(manifest["split"]["val_users"]) == 1
    before, after = manifest["scores"]["val_before"], manifest["scores"]["val_after"]
    assert 0.0 <= before <= 100.0 and 0.0 <= after <= 100.0
    assert f"{before:.1f} before -> {after:.1f} after" in printed.out
    assert manifest["lm_calls"] > 0

    # The MLflow run: params, metrics, artifacts, traces; the registered version and its alias.
    mlflow_client = client(store)
    run = mlflow_client.get_run(manifest["mlflow_run_id"])
    assert run.info.status == "FINISHED"
    assert (run.data.params["optimizer"], run.data.params["metric"], run.data.params["n_val_users"]) == ("bootstrap", "stylometric", "1")
    assert run.data.metrics["val_score_before"] == before and run.data.metrics["val_score_after"] == after
    assert run.data.metrics["lm_calls"] == manifest["lm_calls"]
    assert {a.path for a in mlflow_client.list_artifacts(run.info.run_id, "program")} == {"program/manifest.json", "program/program.json"}
    assert mlflow_client.search_traces(locations=[run.info.experiment_id], flush=True), "autolog recorded no DSPy traces"
    champion = mlflow_client.get_model_version_by_alias("hyperalign-email", "champion")
    assert str(champion.version) == "1" and champion.run_id == run.info.run_id

    from_registry = hyperalign.load("models:/hyperalign-email@champion", tracking_uri=store)
    assert isinstance(from_registry, HyPerAlign)
    assert from_registry.manifest == manifest

    # The pyfunc model answers the validation user's request with text + hypotheses.
    import mlflow

    from hyperalign.optimize.domains import domain_spec

    _, valset, _ = domain_spec("email").load_examples(None, 3, 0, 2, 1)
    example = valset[0]
    with use_store(store):
        model = mlflow.pyfunc.load_model("models:/hyperalign-email@champion")
    [row] = model.predict([{"samples": list(example.samples), "task": example.task, "attributes": dict(example.attributes)}])
    assert isinstance(row["text"], str) and row["text"].strip()
    assert row["hypotheses"] and all({"statement", "evidence", "grounded"} <= set(h) for h in row["hypotheses"])

    assert main(["runs", "email", "--tracking-uri", store]) == 0
    table = capsys.readouterr().out
    assert "bootstrap" in table and "champion" in table

    # The canary key reached neither the program directory nor the store.
    for root in (out, tmp_path / "store"):
        for path in root.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path
