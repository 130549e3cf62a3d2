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
import platform
import shutil
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import dspy

from hyperalign.errors import InputError, LMError
from hyperalign.loading import MANIFEST_FILE, PROGRAM_FILE
from hyperalign.logging_setup import redact
from hyperalign.optimize import champion as champion_alias
from hyperalign.optimize.domains import DomainSpec, domain_spec
from hyperalign.optimize.optimizers import budget, make_optimizer
from hyperalign.optimize.tracking import clean_params, data_dir, experiment_id, model_name, resolve_tracking_uri, use_store

MANIFEST_FORMAT = 1


@dataclass
class CompileConfig:
    """Everything a compile depends on. None for a data knob means: the budget's value."""

    domain: str
    optimizer: str = "bootstrap"
    budget: str = "light"
    metric: str | None = None
    path: str | None = None
    lm: str | dspy.BaseLM | None = None
    judge_lm: str | None = None
    reflection_lm: str | None = None
    train_users: int | None = None
    val_users: int | None = None
    train_tasks_per_user: int | None = None
    val_tasks_per_user: int | None = None
    k: int = 5
    seed: int = 0
    out: Path | str | None = None
    tracking_uri: str | None = None
    autolog: bool = True
    register: bool = True


@dataclass
class CompileResult:
    out: Path
    run_id: str
    score_before: float
    score_after: float
    lm_calls: int
    lm_calls_cached: int
    seconds: float
    version: str | None = None
    champion: bool = False
    champion_note: str = ""
    manifest: dict = field(default_factory=dict)


def say(message: str) -> None:
    """A progress line on stderr (stdout stays for the results)."""
    print(f"[compile] {message}", file=sys.stderr, flush=True)


def per_user(examples: list[dspy.Example], limit: int) -> list[dspy.Example]:
    """At most `limit` examples per user, in order (examples without a user id count as their own)."""
    kept, seen = [], {}
    for example in examples:
        user = example.get("user_id", id(example))
        seen[user] = seen.get(user, 0) + 1
        if seen[user] <= limit:
            kept.append(example)
    return kept


def user_ids(examples: list[dspy.Example]) -> list[str]:
    return sorted({str(e.get("user_id")) for e in examples if e.get("user_id") is not None})


def evaluate(program: dspy.Module, valset: list[dspy.Example], metric: Callable) -> float:
    """The metric on the validation set as a percentage (dspy.Evaluate's scale). One failing example
    scores 0; if every example fails (the LM is down past its retries) the compile stops."""
    evaluator = dspy.Evaluate(devset=valset, metric=metric, num_threads=1, display_progress=True, max_errors=len(valset), provide_traceback=False)
    try:
        return float(evaluator(program).score)
    except Exception as exc:  # DSPy's executor gives up with a bare Exception once every example failed
        if "cancelled due to errors" in str(exc):
            raise LMError(f"every one of the {len(valset)} validation example(s) failed (is the LM reachable? the errors are logged above); compile stopped") from exc
        raise


@dataclass
class CallCount:
    """LM calls made from a starting point: all history entries, and those DSPy's cache answered
    (a cache hit carries no token usage)."""

    lms: list
    start: dict

    @classmethod
    def begin(cls, lms: list[dspy.BaseLM | None]) -> "CallCount":
        distinct = list({id(lm): lm for lm in lms if lm is not None}.values())
        return cls(distinct, {id(lm): len(lm.history) for lm in distinct})

    def entries(self) -> list[dict]:
        return [entry for lm in self.lms for entry in lm.history[self.start[id(lm)]:]]

    def total(self) -> int:
        return len(self.entries())

    def cached(self) -> int:
        return sum(1 for entry in self.entries() if not entry.get("usage"))


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("hyperalign", "dspy", "mlflow", "litellm"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def default_out(domain: str, optimizer: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return data_dir() / "programs" / f"{domain}-{optimizer}-{stamp}"


def check_out(out: Path) -> None:
    """Refuse to replace a directory that is not a compiled program (it may be the user's own)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST_FILE).is_file())):
        raise InputError(f"{out}: exists and is not a compiled program directory; choose another --out")


def write_program_dir(program: dspy.Module, manifest: dict, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    program.save(str(directory / PROGRAM_FILE))
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def move_into_place(staged: Path, out: Path) -> None:
    """Rename the finished directory to `out`, replacing an older compiled program there."""
    if out.exists():
        old = out.with_name(f".{out.name}.old-{time.time_ns()}")
        out.rename(old)
        staged.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staged.rename(out)


def lm_string(lm: dspy.BaseLM | None) -> str | None:
    return None if lm is None else redact(str(getattr(lm, "model", lm)))


@dataclass
class Plan:
    """A compile's resolved inputs: the spec, the examples, the LMs, the metric, the optimizer."""

    config: CompileConfig
    spec: DomainSpec
    trainset: list
    valset: list
    lm: dspy.BaseLM
    judge_lm: dspy.BaseLM | None
    reflection_lm: dspy.BaseLM | None
    metric: Callable
    metric_name: str
    data: dict


def plan(config: CompileConfig) -> Plan:
    from hyperalign.lm import as_lm, make_lm

    spec = domain_spec(config.domain)
    b = budget(config.budget)
    metric_name = config.metric or spec.default_metric
    if metric_name not in spec.metric_names:
        raise InputError(f"domain '{spec.name}' is scored with {', '.join(spec.metric_names)}, not {metric_name!r}")
    train_users = b.train_users if config.train_users is None else config.train_users
    val_users = b.val_users if config.val_users is None else config.val_users
    train_tasks = b.train_tasks_per_user if config.train_tasks_per_user is None else config.train_tasks_per_user
    val_tasks = b.val_tasks_per_user if config.val_tasks_per_user is None else config.val_tasks_per_user
    if val_users < 1:
        raise InputError("compile needs at least one validation user to score the program before and after")
    trainset, valset, _ = spec.load_examples(config.path, config.k, config.seed, train_users, val_users)
    trainset, valset = per_user(trainset, train_tasks), per_user(valset, val_tasks)
    if not trainset or not valset:
        raise InputError(f"domain '{spec.name}': no training or validation examples with this split")
    lm = as_lm(config.lm) if isinstance(config.lm, dspy.BaseLM) else make_lm(config.lm)
    judge_lm = make_lm(config.judge_lm) if config.judge_lm else None
    reflection_lm = make_lm(config.reflection_lm) if config.reflection_lm else None
    metric = spec.make_metric(metric_name, trainset + valset, judge_lm)
    data = {
        "path": str(config.path) if config.path else "bundled demo set",
        "k": config.k,
        "seed": config.seed,
        "train_users": user_ids(trainset),
        "val_users": user_ids(valset),
        "train_examples": len(trainset),
        "val_examples": len(valset),
        "train_tasks_per_user": train_tasks,
        "val_tasks_per_user": val_tasks,
        "val_tasks": sorted(str(e.get("task")) for e in valset),
    }
    return Plan(config, spec, trainset, valset, lm, judge_lm, reflection_lm, metric, metric_name, data)


def build_manifest(p: Plan, program: dspy.Module, settings: dict, before: float, after: float, calls: tuple[int, int], run_id: str) -> dict:
    from hyperalign.programs.registry import program_name

    return {
        "format": MANIFEST_FORMAT,
        "domain": p.spec.name,
        "program": program_name(program),
        "input_fields": list(p.spec.input_fields),
        "optimizer": {"name": p.config.optimizer, "budget": p.config.budget, "settings": settings},
        "metric": p.metric_name,
        "lm": lm_string(p.lm),
        "judge_lm": lm_string(p.judge_lm),
        "reflection_lm": lm_string(p.reflection_lm),
        "scores": {"scale": "percent", "val_before": before, "val_after": after},
        "split": p.data,
        "lm_calls": calls[0],
        "lm_calls_cached": calls[1],
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mlflow_run_id": run_id,
        "versions": versions(),
    }


def run_params(p: Plan, settings: dict) -> dict:
    split = p.data
    return {
        "domain": p.spec.name,
        "optimizer": p.config.optimizer,
        "budget": p.config.budget,
        "metric": p.metric_name,
        "lm": lm_string(p.lm),
        "judge_lm": lm_string(p.judge_lm),
        "reflection_lm": lm_string(p.reflection_lm),
        "data_path": split["path"],
        "k": split["k"],
        "seed": split["seed"],
        "n_train_users": len(split["train_users"]),
        "n_val_users": len(split["val_users"]),
        "n_train_examples": split["train_examples"],
        "n_val_examples": split["val_examples"],
        **{f"opt_{key}": value for key, value in settings.items()},
    }


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
            from hyperalign.lm import lm_context

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
            write_program_dir(compiled, manifest, staged)
            mlflow.log_artifacts(str(staged), artifact_path="program")
            version, promoted, note = None, False, "not registered"
            if config.register:
                say("logging and registering the program as an MLflow model")
                version = log_pyfunc(staged, model_name(p.spec.name))
                promoted, note = champion_alias.maybe_promote(p, version, after, uri)
            mlflow.set_tag("hyperalign.champion", str(promoted).lower())
            seconds = time.monotonic() - started
            mlflow.log_metric("wall_seconds", seconds)
        move_into_place(staged, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if config.autolog:
            mlflow.dspy.autolog(disable=True, silent=True)
    return CompileResult(out, run.info.run_id, before, after, lm_calls, cached, seconds, version, promoted, note, manifest)


def log_pyfunc(program_dir: Path, registered_name: str) -> str:
    """Log the program directory as a pyfunc model (from code: nothing pickled); return its version."""
    import mlflow

    from hyperalign.optimize.pyfunc_model import CODE_FILE, PROGRAM_ARTIFACT

    with warnings.catch_warnings():  # the rows are free-form (lists, mappings): no typed signature
        warnings.filterwarnings("ignore", message=".*type hints to the `predict` method.*")
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(CODE_FILE),
            artifacts={PROGRAM_ARTIFACT: str(program_dir)},
            registered_model_name=registered_name,
            pip_requirements=[f"dspy=={versions()['dspy']}", f"mlflow=={versions()['mlflow']}"],
        )
    return str(info.registered_model_version)
