"""Tracking store resolution and log_report on a real sqlite MLflow store."""

from __future__ import annotations

from pathlib import Path

from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.optimize.tracking.store import client, log_report

CANARY = "sk-canary-tracking-0123456789"


def test_uri_precedence_argument_then_env_then_per_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///from-env.db")
    assert resolve_tracking_uri("sqlite:///given.db") == "sqlite:///given.db"
    assert resolve_tracking_uri() == "sqlite:///from-env.db"

    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    uri = resolve_tracking_uri()
    assert uri == f"sqlite:///{tmp_path / 'xdg' / 'hyperalign' / 'mlflow.db'}"
    assert (tmp_path / "xdg" / "hyperalign").is_dir()
    assert not (tmp_path / "mlflow.db").exists()


def test_default_is_under_home_without_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_tracking_uri() == f"sqlite:///{tmp_path / '.local' / 'share' / 'hyperalign' / 'mlflow.db'}"


def test_log_report_logs_one_finished_run_with_redacted_params(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    monkeypatch.chdir(tmp_path)  # MLflow's own default would drop ./mlruns here
    uri = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    (tmp_path / "store").mkdir()
    report = tmp_path / "report.md"
    report.write_text("| system | score |\n| hyperalign | 0.7 |\n", encoding="utf-8")

    run_id = log_report(
        "email",
        "evaluate hyperalign",
        params={"lm": "openai/gpt-4o-mini", "leaked": f"api_key={CANARY}", "n": 4},
        metrics={"win_rate": 0.7, "skipped": None},
        files=[report],
        tracking_uri=uri,
    )

    mlflow_client = client(uri)
    run = mlflow_client.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert mlflow_client.get_experiment(run.info.experiment_id).name == "hyperalign-email"
    assert run.data.params["lm"] == "openai/gpt-4o-mini" and run.data.params["n"] == "4"
    assert CANARY not in run.data.params["leaked"]
    assert run.data.metrics == {"win_rate": 0.7}
    assert [a.path for a in mlflow_client.list_artifacts(run_id)] == ["report.md"]
    # Artifacts live beside the database, not in the working directory.
    assert not (tmp_path / "mlruns").exists()
    logged = list((tmp_path / "store").rglob("report.md"))
    assert len(logged) == 1
    for path in (tmp_path / "store").rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path

    # A second report lands in the same experiment.
    second = log_report("email", "again", params={}, metrics={}, files=[], tracking_uri=uri)
    assert mlflow_client.get_run(second).info.experiment_id == run.info.experiment_id
    assert Path(report).exists()
