"""The authorship domains (email, news, essay, blog, demo: data's writing corpora): HyPerAlign on
users' texts, scored by the stylometric and/or pairwise judge."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from hyperalign.data import split_users, to_examples
from hyperalign.data.registry import describe, load_users
from hyperalign.optimize.domains.spec import DomainSpec, Splits

if TYPE_CHECKING:
    import dspy


# --- authorship: HyPerAlign on users' texts ----------------------------------------------------------

AUTHORSHIP_METRICS = ("authorship", "stylometric", "llm-pairwise", "blend")  # the first is the default


def make_hyperalign() -> dspy.Module:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.programs.hyperalign_program import HyPerAlign

    return HyPerAlign()


def authorship_examples(domain: str) -> Callable[..., Splits]:
    def load_examples(path: Path | str | None, k: int, seed: int, train_users: int, val_users: int) -> Splits:
        split = split_users(load_users(domain, path, k=k, seed=seed), train_users, val_users, seed=seed)
        # Each split's background is its own other users, so validation never sees training texts twice.
        return tuple(to_examples(users, with_background=True) for users in (split.train, split.val, split.test))

    return load_examples


def authorship_metric(name: str, examples: list[dspy.Example], judge_lm=None, domain: str | None = None) -> Callable:
    """A metric from hyperalign.optimize.metrics.authorship; the background is every user's samples in `examples`,
    `domain` fixes the stylometric method."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.metrics.authorship import make_metric

    background, seen = [], set()
    for example in examples:
        if example.user_id not in seen:
            seen.add(example.user_id)
            background.append(list(example.samples))
    return make_metric(name, background=background, judge_lm=judge_lm, domain=domain)


def demo_problem(example: dspy.Example, pred) -> str | None:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.domains.authorship.demos import authorship_demo_problem

    return authorship_demo_problem(example, pred)


def spec(domain: str) -> DomainSpec:
    return DomainSpec(
        name=domain,
        make_program=make_hyperalign,
        load_examples=authorship_examples(domain),
        make_metric=partial(authorship_metric, domain=domain),
        metric_names=AUTHORSHIP_METRICS,
        load_data=lambda path, *, k=5, seed=0, n=10, problems=None: load_users(domain, path, k=k, seed=seed, problems=problems),
        data_help=describe(domain),
        evaluation="hyperalign.optimize.domains.authorship.evaluation:evaluate_authorship",
        demo_problem=demo_problem,  # imported lazily: the checks load an embedding model
        description=f"HyPerAlign on {domain} writers",
    )
