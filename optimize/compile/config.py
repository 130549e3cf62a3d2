"""What a compile depends on (`CompileConfig`), what it resolves that into (`Plan`: the domain's spec,
examples, LMs, metric) and what it returns (`CompileResult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.lm import as_lm, lm_context, make_lm
from hyperalign.optimize.compile.demos import DemoGate
from hyperalign.optimize.compile.optimizers import budget
from hyperalign.optimize.compile.scoring import item_key
from hyperalign.optimize.domains import DomainSpec, domain_spec

if TYPE_CHECKING:
    from hyperalign.optimize.compile.verdict import CompileVerdict


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
    test_users: int | None = None
    test_tasks_per_user: int | None = None
    k: int = 5
    seed: int = 0
    out: Path | str | None = None
    overwrite: bool = False  # replace our files in a non-empty --out hyperalign did not create
    tracking_uri: str | None = None
    register: bool = True
    log_texts: bool = True  # False: no users' text reaches MLflow (no program artifact, no registered model)
    parent_run_id: str | None = None  # nest the compile run under this run (a study)


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
    verdict: CompileVerdict | None = None  # the test-user comparison (see optimize.compile.verdict)


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
    testset: list
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
    test_users = b.test_users if config.test_users is None else config.test_users
    test_tasks = b.test_tasks_per_user if config.test_tasks_per_user is None else config.test_tasks_per_user
    if test_users < 1 or test_tasks < 1:
        raise InputError("compile needs at least one test user and task: it is judged on users it never saw")
    # Loading may call the LM (aloe simulates its users' messages): the compile's LM, not the default.
    lm = as_lm(config.lm) if isinstance(config.lm, dspy.BaseLM) else make_lm(config.lm)
    with lm_context(lm):
        trainset, valset, testset = spec.load_examples(config.path, config.k, config.seed, train_users, val_users)
    trainset, valset = per_user(trainset, train_tasks), per_user(valset, val_tasks)
    kept = user_ids(testset)[:test_users]
    testset = per_user([e for e in testset if str(e.get("user_id")) in kept], test_tasks)
    if not trainset or not valset or not testset:
        raise InputError(f"domain '{spec.name}': no training, validation or test examples with this split")
    judge_lm = make_lm(config.judge_lm) if config.judge_lm else None
    reflection_lm = make_lm(config.reflection_lm) if config.reflection_lm else None
    metric = spec.make_metric(metric_name, trainset + valset + testset, judge_lm)
    if spec.demo_problem is not None:
        metric = DemoGate(metric, spec.demo_problem)
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
        "test_users": user_ids(testset),
        "test_examples": len(testset),
        "test_tasks_per_user": test_tasks,
        "test_items": sorted(item_key(e) for e in testset),
    }
    return Plan(config, spec, trainset, valset, testset, lm, judge_lm, reflection_lm, metric, metric_name, data)


