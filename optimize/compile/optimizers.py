"""DSPy optimizers by name and budget, with every knob that sets the cost written down.

A budget fixes both the data a compile sees (users, held-out tasks per user, test users it is judged
on) and the optimizer's own knobs, so `light` is small enough for the embedded LM on a 2-core machine:
each of the four optimizers compiles the demo e-mails in under 15 minutes (docs/compile.md).

MIPROv2's own `auto="light"` is far larger than it sounds: 6 instruction and demo candidates, about
20 trials for a two-predictor program, and a proposer that puts the program's source (6k characters)
and a `repr` of the training set (75k characters on the demo e-mails with their background texts;
460k on CCAT50) into prompts the embedded LM cannot hold. It did not finish in 30 minutes. Here MIPRO
gets explicit candidates, trials and minibatches, and proposes from demos and tips only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import dspy

from hyperalign.core.errors import InputError
from hyperalign.optimize.compile.budgets import BUDGETS, OPTIMIZERS, Budget, budget

__all__ = ["BUDGETS", "OPTIMIZERS", "Budget", "Optimizer", "budget", "budget_settings", "make_optimizer"]


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
    """MIPROv2 with explicit trials instead of `auto`, and a proposer sized for small LMs: no dataset
    summary (a repr of the training set, users' texts included) and no program source in its prompts."""

    def compile(self, program: dspy.Module, trainset: list, valset: list) -> dspy.Module:
        minibatch = 0 < self.settings["minibatch_size"] < len(valset)
        return self.teleprompter.compile(
            program,
            trainset=trainset,
            valset=valset,
            num_trials=self.settings["num_trials"],
            minibatch=minibatch,
            minibatch_size=self.settings["minibatch_size"] if minibatch else len(valset),
            data_aware_proposer=False,
            program_aware_proposer=False,
            requires_permission_to_run=False,
        )


def _mipro(metric: Callable, b: Budget, common: dict, task_lm: dspy.BaseLM, seed: int) -> Optimizer:
    settings = {**common, "num_candidates": b.candidates, "num_trials": b.trials, "minibatch_size": b.minibatch,
                "data_aware_proposer": False, "program_aware_proposer": False, "num_threads": 1, "seed": seed}
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
