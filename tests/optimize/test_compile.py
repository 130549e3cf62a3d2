"""compile wiring with a scripted LM: manifest, MLflow run, registry + champion alias, runs table,
and what an interrupted compile leaves behind (a FAILED run, no program directory)."""

from __future__ import annotations

import dataclasses
import os

import dspy
import pytest
from dspy.utils import DummyLM
from hyperalign.optimize import domains
from hyperalign.optimize.compile.config import per_user
from hyperalign.optimize.compile.run import CompileConfig, compile_domain
from hyperalign.optimize.tracking.runs import list_variants, render_table
from hyperalign.optimize.tracking.store import client
from hyperalign.programs import ZeroShot

from hyperalign.core.errors import InputError, LMError
from hyperalign.loading import load

CANARY = "sk-canary-compile-9876543210"
ANSWER = "Hi all, quick note: the order has not arrived. Can you check? Thanks, D."


def word_overlap(name, examples, judge_lm=None):
    """A plain metric for wiring tests: share of the reference's words the text uses."""

    def metric(example, pred, trace=None):
        reference = set(example.reference.lower().split())
        score = len(reference & set(pred.text.lower().split())) / max(1, len(reference))
        return score > 0 if trace is not None else score

    return metric


@pytest.fixture()
def zero_shot_domain(monkeypatch):
    """The email data compiled as the zero-shot baseline (one predictor; easy to script)."""
    spec = dataclasses.replace(
        domains.domain_spec("email"), name="email-zs", make_program=ZeroShot, make_metric=word_overlap, metric_names=("overlap",)
    )
    monkeypatch.setitem(domains._specs, "email-zs", spec)
    return spec


@pytest.fixture()
def store(tmp_path):
    (tmp_path / "store").mkdir()
    return f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"


def config(tmp_path, store, lm, out="out", **overrides):
    values = dict(domain="email-zs", optimizer="bootstrap", budget="light", lm=lm, out=tmp_path / out, tracking_uri=store)
    return CompileConfig(**{**values, **overrides})


def scripted_lm():
    return DummyLM({"Write an email": {"text": ANSWER}})


def test_compile_writes_program_tracks_run_and_registers_champion(tmp_path, store, zero_shot_domain, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    env_before = os.environ.get("MLFLOW_TRACKING_URI")

    result = compile_domain(config(tmp_path, store, scripted_lm()))

    assert sorted(p.name for p in result.out.iterdir()) == ["manifest.json", "program.json"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging left
    manifest = result.manifest
    assert manifest["domain"] == "email-zs" and manifest["program"] == "zero-shot"
    assert manifest["optimizer"] == {"name": "bootstrap", "budget": "light", "settings": {"max_bootstrapped_demos": 1, "max_labeled_demos": 0, "max_rounds": 1}}
    assert manifest["metric"] == "overlap" and manifest["lm"] == "dummy"
    split = manifest["split"]
    assert len(split["train_users"]) == 3 and len(split["val_users"]) == 2
    assert not set(split["train_users"]) & set(split["val_users"])
    assert split["val_examples"] == 2  # one held-out task per validation user under the light budget
    assert manifest["scores"]["val_before"] == result.score_before > 0
    assert manifest["lm_calls"] == result.lm_calls > 0
    assert {"dspy", "mlflow", "hyperalign", "python"} <= set(manifest["versions"])
    # The bootstrapped demo is in the saved state, and the loaded program carries it.
    loaded = load(result.out)
    assert isinstance(loaded, ZeroShot) and len(loaded.write.demos) == 1

    mlflow_client = client(store)
    run = mlflow_client.get_run(result.run_id)
    assert run.info.status == "FINISHED"
    assert mlflow_client.get_experiment(run.info.experiment_id).name == "hyperalign-email-zs"
    params = run.data.params
    assert (params["optimizer"], params["budget"], params["metric"], params["opt_max_bootstrapped_demos"]) == ("bootstrap", "light", "overlap", "1")
    assert run.data.metrics["val_score_before"] == result.score_before
    assert run.data.metrics["val_score_after"] == result.score_after
    assert run.data.metrics["lm_calls"] == result.lm_calls
    artifacts = {a.path for a in mlflow_client.list_artifacts(result.run_id, "program")}
    assert artifacts == {"program/manifest.json", "program/program.json"}
    assert result.version == "1" and result.champion
    assert mlflow_client.get_model_version_by_alias("hyperalign-email-zs", "champion").version == 1
    assert isinstance(load("models:/hyperalign-email-zs@champion", tracking_uri=store), ZeroShot)
    # The process-wide MLflow settings are as they were.
    assert os.environ.get("MLFLOW_TRACKING_URI") == env_before

    # Same validation users, same score: version 2 is registered but the champion stays.
    second = compile_domain(config(tmp_path, store, scripted_lm(), out="out2"))
    assert second.version == "2" and not second.champion
    assert "does not beat" in second.champion_note
    assert mlflow_client.get_model_version_by_alias("hyperalign-email-zs", "champion").version == 1

    rows = list_variants("email-zs", store)
    assert [(r["version"], r["champion"]) for r in rows] == [("2", ""), ("1", "champion")]
    assert render_table(rows)[0].split()[:4] == ["run", "status", "date", "optimizer"]

    for root in (tmp_path / "out", tmp_path / "out2", tmp_path / "store"):
        for path in root.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path


class DownEngine:
    """An LM server that is down: every attempt fails (DSPy gives up after its retries)."""

    def __init__(self, error: BaseException):
        self.error = error

    def complete(self, request):
        raise self.error

    def stream(self, request):
        raise self.error

    def close(self) -> None:
        pass


@pytest.mark.parametrize("error", [ConnectionError("LM server down"), KeyboardInterrupt()], ids=["lm-failure", "ctrl-c"])
def test_interrupted_compile_leaves_failed_run_and_no_directory(tmp_path, store, zero_shot_domain, error):
    lm = dspy.LM("openai/down", engine=DownEngine(error), num_retries=0, cache=False)
    with pytest.raises(KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else LMError):
        compile_domain(config(tmp_path, store, lm))

    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # no staging directory either
    mlflow_client = client(store)
    experiment = mlflow_client.get_experiment_by_name("hyperalign-email-zs")
    runs = mlflow_client.search_runs([experiment.experiment_id])
    assert [r.info.status for r in runs] == ["FAILED"]
    assert mlflow_client.search_model_versions("name = 'hyperalign-email-zs'") == []


def test_bad_requests_are_user_errors(tmp_path, store, zero_shot_domain):
    with pytest.raises(InputError, match="unknown domain"):
        compile_domain(config(tmp_path, store, scripted_lm(), domain="poetry"))
    with pytest.raises(InputError, match="unknown optimizer"):
        compile_domain(config(tmp_path, store, scripted_lm(), optimizer="simba"))
    with pytest.raises(InputError, match="scored with overlap"):
        compile_domain(config(tmp_path, store, scripted_lm(), metric="blend"))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("my own files", encoding="utf-8")
    with pytest.raises(InputError, match="not a compiled program directory"):
        compile_domain(config(tmp_path, store, scripted_lm(), out="mine"))
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "my own files"


def test_per_user_keeps_the_first_tasks_of_each_user():
    examples = [dspy.Example(user_id=u, task=t) for u, t in [("a", 1), ("a", 2), ("b", 1), ("a", 3), ("b", 2)]]
    assert [(e.user_id, e.task) for e in per_user(examples, 1)] == [("a", 1), ("b", 1)]
    assert [(e.user_id, e.task) for e in per_user(examples, 2)] == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]
