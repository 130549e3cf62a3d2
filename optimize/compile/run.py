"""Compile a domain's program with a DSPy optimizer, score it before/after, track it in MLflow.

One compile = one MLflow run in experiment `hyperalign-<domain>`: optimizer settings as params,
validation scores before/after as metrics, DSPy autolog traces, the manifest and JSON state as
artifacts, and the program as a pyfunc model registered as `hyperalign-<domain>`. The output
directory is built in a temporary sibling and renamed into place only when everything succeeded,
so an interrupted compile (Ctrl-C, an LM failing past its retries) leaves a FAILED run and no
program directory.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from hyperalign.optimize.compile import champion as champion_alias
from hyperalign.optimize.compile.config import CompileConfig, CompileResult, Plan, plan
from hyperalign.optimize.compile.manifest import build_manifest, run_params, versions
from hyperalign.optimize.compile.optimizers import make_optimizer
from hyperalign.optimize.compile.scoring import CallCount, evaluate, lm_string, say
from hyperalign.optimize.tracking.pyfunc import log_pyfunc
from hyperalign.optimize.tracking.store import (
    clean_params,
    experiment_id,
    model_name,
    use_store,
)
from hyperalign.programs.storage import check_out, save_program_dir

from hyperalign.core.files import replace_directory
from hyperalign.core.lm import lm_context
from hyperalign.core.paths import data_dir, resolve_tracking_uri

__all__ = ["CompileConfig", "CompileResult", "compile_domain"]


def default_out(domain: str, optimizer: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "programs" / f"{domain}-{optimizer}-{stamp}"


def compile_domain(config: CompileConfig) -> CompileResult:
    """Compile, score, track and save; see the module docstring."""
    p = plan(config)
    out = Path(config.out) if config.out else default_out(p.spec.name, config.optimizer)
    check_out(out)
    optimizer = make_optimizer(config.optimizer, config.budget, p.metric, task_lm=p.lm, reflection_lm=p.reflection_lm, seed=config.seed)
    with use_store(resolve_tracking_uri(config.tracking_uri)) as uri:
        return tracked_compile(p, optimizer, out, uri)


def tracked_compile(p: Plan, optimizer, out: Path, uri: str) -> CompileResult:
    import mlflow

    config = p.config
    exp_id = experiment_id(mlflow.MlflowClient(uri, uri), p.spec.name)
    if config.autolog:
        mlflow.dspy.autolog(log_compiles=True, log_evals=True, log_traces_from_compile=False, silent=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staged = work / "program"  # logged under this name inside the MLflow model
    started = time.monotonic()
    calls = CallCount.begin([p.lm, p.judge_lm, p.reflection_lm])
    run_name = f"{config.optimizer}-{config.budget}-{p.metric_name}"
    try:
        with mlflow.start_run(experiment_id=exp_id, run_name=run_name) as run:
            mlflow.log_params(clean_params(run_params(p, optimizer.settings)))
            mlflow.set_tags({"hyperalign.kind": "compile", "hyperalign.val_users": json.dumps(p.data["val_users"]),
                             "hyperalign.val_key": champion_alias.val_key(p.data, p.metric_name, lm_string(p.lm))})
            with lm_context(p.lm):
                program = p.spec.make_program()
                say(f"scoring the uncompiled program on {len(p.valset)} validation example(s) of users {', '.join(p.data['val_users'])}")
                before = evaluate(program, p.valset, p.metric)
                say(f"compiling with {config.optimizer} ({config.budget}) on {len(p.trainset)} training example(s)")
                compiled = optimizer.compile(p.spec.make_program(), p.trainset, p.valset)
                say("scoring the compiled program")
                after = evaluate(compiled, p.valset, p.metric)
            lm_calls, cached = calls.total(), calls.cached()
            mlflow.log_metrics({"val_score_before": before, "val_score_after": after, "val_score_gain": after - before,
                                "lm_calls": lm_calls, "lm_calls_cached": cached})
            manifest = build_manifest(p, compiled, optimizer.settings, before, after, (lm_calls, cached), run.info.run_id)
            save_program_dir(compiled, manifest, staged)
            mlflow.log_artifacts(str(staged), artifact_path="program")
            version, promoted, note = None, False, "not registered"
            if config.register:
                say("logging and registering the program as an MLflow model")
                version = log_pyfunc(staged, model_name(p.spec.name), requirements(versions()))
                promoted, note = champion_alias.maybe_promote(p, version, after, uri)
            mlflow.set_tag("hyperalign.champion", str(promoted).lower())
            seconds = time.monotonic() - started
            mlflow.log_metric("wall_seconds", seconds)
        replace_directory(staged, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if config.autolog:
            mlflow.dspy.autolog(disable=True, silent=True)
    return CompileResult(out, run.info.run_id, before, after, lm_calls, cached, seconds, version, promoted, note, manifest)


def requirements(found: dict[str, str]) -> list[str]:
    """What the serving environment of the logged model must install."""
    return [f"dspy=={found['dspy']}", f"mlflow=={found['mlflow']}"]
