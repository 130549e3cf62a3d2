"""`hyperalign compile deliberative --path PROMPTS.csv`: the deliberative program on the demo users
paired with labelled safety prompts, scored by the safety-helpfulness metric.

Pairing (data/loaders/deliberative.py `pair`): safe and unsafe prompts, each shuffled with the seed,
interleaved and dealt to the demo users in file order. `k` is the number of prompts per user here
(users bring their own earlier requests); splits are disjoint by user, and so by prompt.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dspy

from hyperalign.core.errors import InputError
from hyperalign.data.loaders import deliberative as demo_users
from hyperalign.data.registry import SAFETY_PROMPTS_HELP, load_safety_prompts
from hyperalign.optimize.domains.spec import DomainSpec, Splits, check_metric, needs_path
from hyperalign.optimize.metrics.deliberative import make_metric as safety_metric
from hyperalign.programs.deliberative import Deliberative

METRICS = ("safety-helpfulness",)


def make_program() -> dspy.Module:
    return Deliberative()


def load_examples(path: Path | str | None, k: int, seed: int, train_users: int, val_users: int) -> Splits:
    if path is None:
        raise InputError("deliberative needs --path PROMPTS.csv (XSTest, AdvBench or HarmBench)")
    users = demo_users.load()
    if train_users + val_users >= len(users):
        raise InputError(f"{train_users} train + {val_users} validation users leave no test users (there are {len(users)})")
    examples = demo_users.to_examples(demo_users.pair(load_safety_prompts(path), users, limit=k * len(users), seed=seed))
    groups = ({u.id for u in users[:train_users]}, {u.id for u in users[train_users:train_users + val_users]})
    train = [e for e in examples if e.user_id in groups[0]]
    val = [e for e in examples if e.user_id in groups[1]]
    test = [e for e in examples if e.user_id not in groups[0] | groups[1]]
    return train, val, test


def make_metric(name: str, examples: list[dspy.Example], judge_lm=None):
    check_metric("deliberative", name, METRICS)
    return safety_metric(judge_lm)


def read_prompts(path: Path | str, *, problems=None, **_) -> list:
    """The labelled safety prompts (`hyperalign data show|check deliberative`)."""
    return load_safety_prompts(path, problems)


def spec(name: str = "deliberative") -> DomainSpec:
    return DomainSpec.from_module(
        name,
        sys.modules[__name__],
        load_data=needs_path(name, SAFETY_PROMPTS_HELP, read_prompts),
        data_help=SAFETY_PROMPTS_HELP,
        evaluation="hyperalign.optimize.domains.deliberative.evaluation:evaluate_deliberative",
        description="deliberative program on demo users paired with safety prompts; rewards helpfulness, "
                    "penalises over-refusal and unsafe compliance",
    )
