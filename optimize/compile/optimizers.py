"""DSPy optimizers by name and budget, with every knob that sets the cost written down.

A budget fixes both the data a compile sees (users, held-out tasks per user) and the optimizer's
own knobs, so `light` is small enough for the embedded LM on a 2-core machine: bootstrap on the demo
e-mails with 3 train users and 2 validation users, one task each, runs in a few minutes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable

import dspy

from hyperalign.core.errors import InputError

OPTIMIZERS = ("bootstrap", "random-search", "mipro", "gepa")


@dataclass(frozen=True)
class Budget:
    """How much a compile may spend. Data knobs can be overridden per compile (CLI flags)."""

    train_users: int
    val_users: int
    train_tasks_per_user: int  # held-out tasks per training user used as training examples
    val_tasks_per_user: int  # held-out tasks per validation user scored before/after
    max_demos: int  # bootstrapped demonstrations per predictor
    candidates: int  # random-search candidate programs / MIPRO instruction candidates
    trials: int  # MIPRO search trials
    gepa_metric_calls: int  # GEPA's total metric-call budget


BUDGETS: dict[str, Budget] = {
    "light": Budget(train_users=3, val_users=2, train_tasks_per_user=1, val_tasks_per_user=1, max_demos=1, candidates=2, trials=3, gepa_metric_calls=12),
    "medium": Budget(train_users=4, val_users=2, train_tasks_per_user=2, val_tasks_per_user=2, max_demos=2, candidates=4, trials=8, gepa_metric_calls=60),
    "heavy": Budget(train_users=5, val_users=2, train_tasks_per_user=3, val_tasks_per_user=3, max_demos=4, candidates=8, trials=20, gepa_metric_calls=300),
}


def budget(name: str) -> Budget:
    if name not in BUDGETS:
        raise InputError(f"unknown budget {name!r} (known: {', '.join(BUDGETS)})")
    return BUDGETS[name]


@dataclass
class Optimizer:
    """A configured optimizer and what to record about it."""

    name: str
    teleprompter: Any
    settings: dict  # the knobs as logged (params) and written to the manifest
    uses_valset: bool  # whether compile() takes the validation set

    def compile(self, program: dspy.Module, trainset: list, valset: list) -> dspy.Module:
        if self.uses_valset:
            return self.teleprompter.compile(program, trainset=trainset, valset=valset)
        return self.teleprompter.compile(program, trainset=trainset)


def make_optimizer(
    name: str,
    budget_name: str,
    metric: Callable,
    *,
    task_lm: dspy.BaseLM,
    reflection_lm: dspy.BaseLM | None = None,
    seed: int = 0,
) -> Optimizer:
    """The optimizer `name` at budget `budget_name`, scoring with `metric`.

    Labeled demos are off everywhere: a raw example (samples, task, reference) does not fit the
    inner predictors' fields (texts, hypotheses), only bootstrapped traces do.
    """
    b = budget(budget_name)
    common = {"max_bootstrapped_demos": b.max_demos, "max_labeled_demos": 0}
    if name == "bootstrap":
        settings = {**common, "max_rounds": 1}
        return Optimizer(name, dspy.BootstrapFewShot(metric=metric, **settings), settings, uses_valset=False)
    if name == "random-search":
        settings = {**common, "num_candidate_programs": b.candidates, "num_threads": 1}
        return Optimizer(name, dspy.BootstrapFewShotWithRandomSearch(metric=metric, **settings), settings, uses_valset=True)
    if name == "mipro":
        return _mipro(metric, b, common, task_lm, seed)
    if name == "gepa":
        reflection = reflection_lm or task_lm
        settings = {"max_metric_calls": b.gepa_metric_calls, "reflection_minibatch_size": 2, "num_threads": 1, "seed": seed}
        teleprompter = dspy.GEPA(metric=metric.gepa, reflection_lm=reflection, track_stats=False, **settings)
        return Optimizer(name, teleprompter, {**settings, "reflection_lm": reflection.model}, uses_valset=True)
    raise InputError(f"unknown optimizer {name!r} (known: {', '.join(OPTIMIZERS)})")


class _Mipro(Optimizer):
    """MIPROv2 with explicit trials instead of `auto` (whose light setting is ~20 full evaluations)."""

    def compile(self, program: dspy.Module, trainset: list, valset: list) -> dspy.Module:
        return self.teleprompter.compile(
            program,
            trainset=trainset,
            valset=valset,
            num_trials=self.settings["num_trials"],
            minibatch=False,
            requires_permission_to_run=False,
        )


def _mipro(metric: Callable, b: Budget, common: dict, task_lm: dspy.BaseLM, seed: int) -> Optimizer:
    settings = {**common, "num_candidates": b.candidates, "num_trials": b.trials, "num_threads": 1, "seed": seed}
    teleprompter = dspy.MIPROv2(
        metric=metric,
        prompt_model=task_lm,
        task_model=task_lm,
        auto=None,
        num_candidates=b.candidates,
        num_threads=1,
        seed=seed,
        verbose=False,
        **common,
    )
    return _Mipro("mipro", teleprompter, settings, uses_valset=True)


def budget_settings(name: str) -> dict:
    return asdict(budget(name))
