"""What a compile depends on (`CompileConfig`), what it resolves that into (`Plan`: the domain's spec,
examples, LMs, metric) and what it returns (`CompileResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import dspy
from hyperalign.optimize.compile.optimizers import budget
from hyperalign.optimize.domains import DomainSpec, domain_spec

from hyperalign.core.errors import InputError
from hyperalign.core.lm import as_lm, make_lm


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


