"""compile wiring with a scripted LM: judged on test users, the champion rule with scripted scores, the
low-variance rejection, MLflow hygiene (no text in params, no Pending model, --no-log-texts), the runs
table, and what an interrupted compile leaves behind (a FAILED run, no program directory)."""

from __future__ import annotations

import dataclasses
import os

import dspy
import pytest
from dspy.utils import DummyLM

from hyperalign.core.errors import InputError, LMError
from hyperalign.loading import load
from hyperalign.optimize import domains
from hyperalign.optimize.compile.config import per_user
from hyperalign.optimize.compile.run import CompileConfig, compile_domain
from hyperalign.optimize.tracking.runs import list_variants, render_table
from hyperalign.optimize.tracking.store import client
from hyperalign.programs import ZeroShot

CANARY = "sk-canary-compile-9876543210"
ANSWER = "Hi all, quick note: the order has not arrived. Can you check? Thanks, D."


def word_overlap(name, examples, judge_lm=None):
    """A plain metric for wiring tests: share of the reference's words the text uses."""

    def metric(example, pred, trace=None):
        reference = set(example.reference.lower().split())
        score = len(reference & set(pred.text.lower().split())) / max(1, len(reference))
        return score > 0 if trace is not None else score

    return metric


class Marked(ZeroShot):
    """ZeroShot whose text names the task and how many demonstrations it holds, so a scripted metric
    can score the compiled program differently from the uncompiled one."""

    def forward(self, samples, task, attributes=None):
        pred = super().forward(samples=samples, task=task, attributes=attributes)
        return dspy.Prediction(text=f"{pred.text} On: {task} [demos={len(self.write.demos)}]", hypotheses=[])


GAIN = {"value": 0.2}  # scripted: what a demonstration adds to every test user's score


def scripted_scores(name, examples, judge_lm=None):
    def metric(example, pred, trace=None):
        if trace is not None:
            return True  # every bootstrapped trace may become a demo
        compiled = "[demos=0]" not in pred.text
        return 0.4 + (GAIN["value"] if compiled else 0.0)

    return metric


@pytest.fixture()
def zero_shot_domain(monkeypatch):
    """The email data compiled as the zero-shot baseline (one predictor; easy to script)."""
    spec = dataclasses.replace(
        domains.domain_spec("email"), name="email-zs", make_program=ZeroShot, make_metric=word_overlap,
        metric_names=("overlap",), demo_problem=None,
    )
    monkeypatch.setitem(domains._specs, "email-zs", spec)
    return spec


@pytest.fixture()
def marked_domain(monkeypatch):
    from hyperalign.programs import registry

    monkeypatch.setitem(registry.PROGRAMS, "marked", f"{__name__}:Marked")
    spec = dataclasses.replace(
        domains.domain_spec("email"), name="email-marked", make_program=Marked, make_metric=scripted_scores,
        metric_names=("scripted",), demo_problem=None,
    )
    monkeypatch.setitem(domains._specs, "email-marked", spec)
    GAIN["value"] = 0.2
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


def varied_lm():
    """Answers that differ by task (a program whose outputs vary, as a real one's do)."""
    return DummyLM([{"text": f"Reply number {i}: {word} is what I would say here."}
                    for i, word in enumerate(["yes", "no", "maybe", "later", "soon", "never", "always", "today"] * 10)])


def test_compile_is_judged_on_test_users_and_logs_no_text(tmp_path, store, zero_shot_domain, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    env_before = os.environ.get("MLFLOW_TRACKING_URI")

    result = compile_domain(config(tmp_path, store, scripted_lm()))

    # the program, its manifest, and the marker saying hyperalign wrote the folder (core.files.OutputDir)
    assert sorted(p.name for p in result.out.iterdir()) == [".hyperalign-output.json", "manifest.json", "program.json"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".hyperalign-staging")] == []  # no staging left
    manifest = result.manifest
    assert manifest["domain"] == "email-zs" and manifest["program"] == "zero-shot"
    assert manifest["optimizer"]["settings"] == {"max_bootstrapped_demos": 1, "max_labeled_demos": 0, "max_rounds": 1}
    split = manifest["split"]
    assert len(split["train_users"]) == 3 and len(split["val_users"]) == 2 and len(split["test_users"]) == 3
    assert not set(split["test_users"]) & (set(split["train_users"]) | set(split["val_users"]))
    assert split["test_examples"] == 3  # one held-out task per test user under the light budget
    scores = manifest["scores"]
    assert scores["test_before"] == result.score_before and scores["test_after"] == result.score_after
    assert scores["test_users"] == 3
    # The scripted LM answers every task with the same e-mail: rejected, whatever the scores say.
    assert "outputs barely vary across tasks and users" in scores["rejected"]
    assert not result.champion and "rejected: its outputs barely vary" in result.champion_note
    loaded = load(result.out)
    assert isinstance(loaded, ZeroShot) and len(loaded.write.demos) == 1

    mlflow_client = client(store)
    run = mlflow_client.get_run(result.run_id)
    assert run.info.status == "FINISHED"
    assert mlflow_client.get_experiment(run.info.experiment_id).name == "hyperalign-email-zs"
    params = run.data.params
    assert (params["optimizer"], params["budget"], params["metric"], params["opt_max_bootstrapped_demos"]) == ("bootstrap", "light", "overlap", "1")
    assert params["n_test_users"] == "3"
    # No user's text in any param or tag: the demonstration lives in the program artifact only.
    texts = [ANSWER] + [t for e in examples_of("email") for t in (*e.samples, e.task, e.reference)]
    logged = [*params.values(), *run.data.tags.values()]
    assert not [t for t in texts if any(t[:40] in value for value in logged)]
    metrics = run.data.metrics
    # MLflow shows metrics rounded for display (4 decimals)
    assert metrics["test_score_before"] == pytest.approx(result.score_before, abs=1e-3)
    assert metrics["test_score_after"] == pytest.approx(result.score_after, abs=1e-3)
    assert metrics["test_users"] == 3 and metrics["lm_calls"] == result.lm_calls > 0
    assert run.data.tags["hyperalign.champion"] == "false" and "rejected" in run.data.tags["hyperalign.champion_reason"]
    artifacts = {a.path for a in mlflow_client.list_artifacts(result.run_id)}
    assert {"program", "test_scores.json", "test_before_after.png"} <= artifacts
    # Every logged model is finished (DSPy autolog's "Pending" placeholder is gone).
    models = mlflow_client.search_logged_models(experiment_ids=[run.info.experiment_id])
    assert models and {m.status.name if hasattr(m.status, "name") else str(m.status) for m in models} == {"READY"}
    version = mlflow_client.get_model_version("hyperalign-email-zs", result.version)
    assert "Test users (3, never seen in compile)" in version.description and "rejected" in version.description
    assert version.tags["test_users"] == "3" and "test_difference_low" in version.tags
    assert os.environ.get("MLFLOW_TRACKING_URI") == env_before

    for root in (tmp_path / "out", tmp_path / "store"):
        for path in root.rglob("*"):
            if path.is_file():
                assert CANARY.encode() not in path.read_bytes(), path


def examples_of(domain):
    from hyperalign.data import load_users, to_examples

    return to_examples(load_users(domain))


def five_test_users(tmp_path, store, lm, **overrides):
    """A compile judged on 5 test users, the fewest the champion rule promotes on."""
    return config(tmp_path, store, lm, train_users=2, val_users=1, test_users=5, **overrides)


def test_champion_moves_only_past_the_uncompiled_program_and_the_champion(tmp_path, store, marked_domain):
    first = compile_domain(five_test_users(tmp_path, store, varied_lm(), domain="email-marked"))
    assert first.verdict.vs_uncompiled.low == pytest.approx(20.0) and first.verdict.rejected is None
    assert first.champion and "is champion" in first.champion_note and "no earlier champion" in first.champion_note
    mlflow_client = client(store)
    assert mlflow_client.get_model_version_by_alias("hyperalign-email-marked", "champion").version == 1

    # As good as the champion, not better: registered, the champion stays, and the run says why.
    second = compile_domain(five_test_users(tmp_path, store, varied_lm(), domain="email-marked", out="out2"))
    assert second.version == "2" and not second.champion
    assert "vs champion version 1" in second.champion_note and "does not lie above zero" in second.champion_note
    assert mlflow_client.get_model_version_by_alias("hyperalign-email-marked", "champion").version == 1
    run = mlflow_client.get_run(second.run_id)
    assert run.data.tags["hyperalign.champion_reason"] == second.champion_note

    # Worse than the uncompiled program: never champion, the champion is not even consulted.
    GAIN["value"] = -0.1
    third = compile_domain(five_test_users(tmp_path, store, varied_lm(), domain="email-marked", out="out3"))
    assert not third.champion and "vs the uncompiled program -10.0" in third.champion_note
    assert third.verdict.vs_champion is None

    rows = list_variants("email-marked", store)
    assert [(r["version"], r["champion"]) for r in rows] == [("3", ""), ("2", ""), ("1", "champion")]
    assert render_table(rows)[0].split()[:4] == ["run", "status", "date", "optimizer"]


def test_no_log_texts_keeps_every_text_out_of_mlflow(tmp_path, store, marked_domain):
    result = compile_domain(config(tmp_path, store, varied_lm(), domain="email-marked", log_texts=False))
    assert result.version is None and not result.champion and "--no-log-texts" in result.champion_note
    assert load(result.out).write.demos  # the program itself still holds its demonstration
    mlflow_client = client(store)
    artifacts = {a.path for a in mlflow_client.list_artifacts(result.run_id)}
    assert artifacts == {"test_scores.json", "test_before_after.png"}
    assert mlflow_client.search_model_versions("name = 'hyperalign-email-marked'") == []


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
    with pytest.raises(InputError, match="not empty and was not written by hyperalign"):
        compile_domain(config(tmp_path, store, scripted_lm(), out="mine"))
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "my own files"


def test_per_user_keeps_the_first_tasks_of_each_user():
    examples = [dspy.Example(user_id=u, task=t) for u, t in [("a", 1), ("a", 2), ("b", 1), ("a", 3), ("b", 2)]]
    assert [(e.user_id, e.task) for e in per_user(examples, 1)] == [("a", 1), ("b", 1)]
    assert [(e.user_id, e.task) for e in per_user(examples, 2)] == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]
