"""The manifest saved beside a compiled program and the params logged with its MLflow run."""

from __future__ import annotations

import platform
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version

import dspy

from hyperalign.optimize.compile.config import Plan
from hyperalign.optimize.compile.scoring import lm_string
from hyperalign.programs.registry import program_name

MANIFEST_FORMAT = 1


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in ("hyperalign", "dspy", "mlflow", "litellm"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def build_manifest(p: Plan, program: dspy.Module, settings: dict, scores: dict, calls: tuple[int, int], run_id: str) -> dict:
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
        "scores": scores,
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
        "n_test_users": len(split["test_users"]),
        "n_test_examples": split["test_examples"],
        "log_texts": p.config.log_texts,
        **{f"opt_{key}": value for key, value in settings.items()},
    }
