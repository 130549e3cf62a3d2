"""Optimizer names and budgets: plain data, importable without DSPy (the CLI's choices come from here).

A budget fixes both the data a compile sees (users, held-out tasks per user) and the optimizer's
own knobs, so `light` is small enough for the embedded LM on a 2-core machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperalign.core.errors import InputError

OPTIMIZERS = ("bootstrap", "random-search", "mipro", "gepa")


@dataclass(frozen=True)
class Budget:
    """How much a compile may spend. Data knobs can be overridden per compile (CLI flags)."""

    train_users: int
    val_users: int
    train_tasks_per_user: int  # held-out tasks per training user used as training examples
    val_tasks_per_user: int  # held-out tasks per validation user (the optimizers' own scoring)
    test_users: int  # unseen users the compile is judged on, before and after (at most)
    test_tasks_per_user: int
    max_demos: int  # bootstrapped demonstrations per predictor
    candidates: int  # random-search candidate programs / MIPRO instruction and demo-set candidates
    trials: int  # MIPRO search trials
    minibatch: int  # MIPRO minibatch size (0: every trial scores the whole validation set)
    gepa_metric_calls: int  # GEPA's total metric-call budget


BUDGETS: dict[str, Budget] = {
    "light": Budget(train_users=3, val_users=2, train_tasks_per_user=1, val_tasks_per_user=1, test_users=6, test_tasks_per_user=1,
                    max_demos=1, candidates=2, trials=3, minibatch=0, gepa_metric_calls=12),
    "medium": Budget(train_users=3, val_users=2, train_tasks_per_user=2, val_tasks_per_user=2, test_users=10, test_tasks_per_user=2,
                     max_demos=2, candidates=3, trials=8, minibatch=4, gepa_metric_calls=60),
    "heavy": Budget(train_users=4, val_users=3, train_tasks_per_user=3, val_tasks_per_user=3, test_users=20, test_tasks_per_user=3,
                    max_demos=3, candidates=5, trials=16, minibatch=6, gepa_metric_calls=200),
}


def budget(name: str) -> Budget:
    if name not in BUDGETS:
        raise InputError(f"unknown budget {name!r} (known: {', '.join(BUDGETS)})")
    return BUDGETS[name]
