"""Compile a domain's program with a DSPy optimizer, score it before/after, track it in MLflow.

A compile is judged on test users it never trained or validated on: the uncompiled and the compiled
program score the same held-out items of those users, and the paired difference gets a 95% interval
over users (optimize/compile/verdict.py). The `champion` alias moves only when that interval, and the
one against the current champion, lie above zero; the run says why it did or did not move.

One compile = one MLflow run in experiment `hyperalign-<domain>`: optimizer settings and ids as params
(never users' texts), test scores before/after and the difference as metrics, per-item scores (ids and
numbers) and a before/after plot as artifacts, the program directory (its demonstrations are users'
texts) as an artifact and a pyfunc model registered as `hyperalign-<domain>`, whose version carries the
scores and a description. `log_texts=False` keeps every text out of MLflow (no program, no model).
DSPy's MLflow autolog is not used: it logs demonstrations as params and leaves a "Pending" model. The output
directory is built in a temporary sibling and renamed into place only when everything succeeded,
so an interrupted compile (Ctrl-C, an LM failing past its retries) leaves a FAILED run and no
program directory.
"""

from __future__ import annotations

import contextlib
import json
import time
from datetime import datetime, timezone
from pathlib import Path

from hyperalign.core.files import OutputDir
from hyperalign.core.lm import lm_context
from hyperalign.core.paths import data_dir, resolve_tracking_uri
from hyperalign.core.progress import stage
from hyperalign.optimize.compile import champion as champion_alias
from hyperalign.optimize.compile.config import CompileConfig, CompileResult, Plan, plan
from hyperalign.optimize.compile.manifest import build_manifest, run_params, versions
from hyperalign.optimize.compile.optimizers import make_optimizer
from hyperalign.optimize.compile.report import describe_version, log_files
from hyperalign.optimize.compile.scoring import CallCount, lm_string, say, score_items
from hyperalign.optimize.compile.verdict import Decision, judge_compile
from hyperalign.optimize.tracking.preflight import check_store, fail_stale_runs, process_tags
from hyperalign.optimize.tracking.pyfunc import log_pyfunc
from hyperalign.optimize.tracking.store import (
    clean_metrics,
    clean_params,
    experiment_id,
    model_name,
    use_store,
)
from hyperalign.programs.storage import save_program_dir

__all__ = ["CompileConfig", "CompileResult", "compile_domain"]


def default_out(domain: str, optimizer: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "programs" / f"{domain}-{optimizer}-{stamp}"


def compile_domain(config: CompileConfig) -> CompileResult:
    """Compile, score, track and save; see the module docstring."""
    p = plan(config)
    out = Path(config.out) if config.out else default_out(p.spec.name, config.optimizer)
    target = OutputDir(out, kind="program", overwrite=config.overwrite)
    target.check()  # before any LM call: a foreign or unwritable --out is refused now, not at the end
    uri = check_store(resolve_tracking_uri(config.tracking_uri), write=True)
    optimizer = make_optimizer(config.optimizer, config.budget, p.metric, task_lm=p.lm, reflection_lm=p.reflection_lm, seed=config.seed)
    with use_store(uri) as uri:
        return tracked_compile(p, optimizer, target, uri)


def tracked_compile(p: Plan, optimizer, target: OutputDir, uri: str) -> CompileResult:
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow

    config = p.config
    out = target.path
    exp_id = experiment_id(mlflow.MlflowClient(uri, uri), p.spec.name)
    fail_stale_runs(mlflow.MlflowClient(uri, uri), exp_id)  # runs of compiles killed with -9
    cleanup = contextlib.ExitStack()
    staged = cleanup.enter_context(target.staging("program"))  # logged under this name inside the MLflow model
    work = staged.parent
    started = time.monotonic()
    calls = CallCount.begin([p.lm, p.judge_lm, p.reflection_lm])
    run_name = (f"compile {p.spec.name}: {config.optimizer} ({config.budget}), {p.metric_name} metric, "
                f"{len(p.data['test_users'])} test users")
    try:
        with mlflow.start_run(experiment_id=exp_id, run_name=run_name, parent_run_id=config.parent_run_id) as run:
            # Ids and settings only: users' texts (demos, tasks, samples) never go into params or tags.
            mlflow.log_params(clean_params(run_params(p, optimizer.settings)))
            mlflow.set_tags(process_tags(work))
            mlflow.set_tags({"hyperalign.kind": "compile", "hyperalign.test_users": json.dumps(p.data["test_users"]),
                             "hyperalign.test_key": champion_alias.test_key(p.data, p.metric_name, lm_string(p.lm))})
            with lm_context(p.lm):
                say(f"scoring the uncompiled program on {len(p.testset)} item(s) of {len(p.data['test_users'])} test user(s)")
                before = score_items(p.spec.make_program(), p.testset, p.metric, "test")
                say(f"compiling with {config.optimizer} ({config.budget}) on {len(p.trainset)} training example(s)")
                with stage(f"compiling ({config.optimizer}, {config.budget})"):
                    compiled = optimizer.compile(p.spec.make_program(), p.trainset, p.valset)
                say("scoring the compiled program on the same test items")
                after = score_items(compiled, p.testset, p.metric, "test")
            verdict = judge_compile(before, after, getattr(p.metric, "refused", None), seed=config.seed)
            lm_calls, cached = calls.total(), calls.cached()
            mlflow.log_metrics(clean_metrics({**verdict.metrics(), "lm_calls": lm_calls, "lm_calls_cached": cached}))
            manifest = build_manifest(p, compiled, optimizer.settings, verdict.scores(), (lm_calls, cached), run.info.run_id)
            save_program_dir(compiled, manifest, staged)
            log_files(work, verdict, before, after)
            decision = Decision(False, "not registered (--no-register)")
            version = None
            if not config.log_texts:
                decision = Decision(False, "not registered: --no-log-texts keeps the program (its demonstrations are "
                                           "users' texts) out of MLflow")
            elif config.register:
                mlflow.log_artifacts(str(staged), artifact_path="program")
                say("logging and registering the program as an MLflow model")
                version = log_pyfunc(staged, model_name(p.spec.name), requirements(versions()))
                decision, verdict.vs_champion = champion_alias.maybe_promote(p, version, after, verdict.vs_uncompiled,
                                                                             verdict.rejected, uri)
                describe_version(mlflow.MlflowClient(uri, uri), model_name(p.spec.name), version, p, verdict, decision)
            else:
                mlflow.log_artifacts(str(staged), artifact_path="program")
            mlflow.set_tags({"hyperalign.champion": str(decision.promote).lower(), "hyperalign.champion_reason": decision.reason})
            seconds = time.monotonic() - started
            mlflow.log_metric("wall_seconds", round(seconds, 1))
        target.publish(staged)
    finally:
        cleanup.close()
    return CompileResult(out, run.info.run_id, before.mean, after.mean, lm_calls, cached, seconds, version,
                         decision.promote, decision.reason, manifest, verdict)


def requirements(found: dict[str, str]) -> list[str]:
    """What the serving environment of the logged model must install."""
    return [f"dspy=={found['dspy']}", f"mlflow=={found['mlflow']}"]
