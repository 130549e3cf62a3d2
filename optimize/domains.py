"""What `compile` needs to know about a domain: its program, its examples split by user, its metrics.

Authorship domains (email, news, essay, blog, demo) share one spec built on HyPerAlign. Other
domains add theirs without touching compile: either an entry here given as an import path
(`"deliberative": "hyperalign.some.module:SPEC"`, imported only when used) or
`register_domain(spec)` from their own module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from hyperalign.errors import InputError

if TYPE_CHECKING:
    import dspy

Splits = tuple[list["dspy.Example"], list["dspy.Example"], list["dspy.Example"]]


@dataclass(frozen=True)
class DomainSpec:
    """A compilable domain.

    - `make_program()` builds the uncompiled program (registered in hyperalign.programs.registry).
    - `load_examples(path, k, seed, train_users, val_users)` returns (trainset, valset, testset),
      disjoint by user.
    - `make_metric(name, examples, judge_lm)` builds the DSPy metric `name` for these examples
      (e.g. the stylometric background is the other users' texts).
    - `metric_names` are the metrics it accepts, the first one the default.
    - `input_fields` are the program's call arguments (what the pyfunc model takes).
    """

    name: str
    make_program: Callable[[], "dspy.Module"]
    load_examples: Callable[..., Splits]
    make_metric: Callable[..., Callable]
    metric_names: tuple[str, ...]
    input_fields: tuple[str, ...] = ("samples", "task", "attributes")
    description: str = ""
    defaults: dict = field(default_factory=dict)

    @property
    def default_metric(self) -> str:
        return self.metric_names[0]


# --- authorship: HyPerAlign on users' texts ----------------------------------------------------------

AUTHORSHIP_METRICS = ("stylometric", "llm-pairwise", "blend")


def make_hyperalign() -> "dspy.Module":
    from hyperalign.programs.hyperalign_program import HyPerAlign

    return HyPerAlign()


def authorship_examples(domain: str) -> Callable[..., Splits]:
    def load_examples(path: Path | str | None, k: int, seed: int, train_users: int, val_users: int) -> Splits:
        from hyperalign.data import load_users, split_users, to_examples

        split = split_users(load_users(domain, path, k=k, seed=seed), train_users, val_users, seed=seed)
        # Each split's background is its own other users, so validation never sees training texts twice.
        return tuple(to_examples(users, with_background=True) for users in (split.train, split.val, split.test))

    return load_examples


def authorship_metric(name: str, examples: list["dspy.Example"], judge_lm=None) -> Callable:
    """A metric from hyperalign.optimize.metrics; the background is every user's samples in `examples`."""
    from hyperalign.optimize.metrics import make_metric

    background, seen = [], set()
    for example in examples:
        if example.user_id not in seen:
            seen.add(example.user_id)
            background.append(list(example.samples))
    return make_metric(name, background=background, judge_lm=judge_lm)


def authorship_spec(domain: str) -> DomainSpec:
    return DomainSpec(
        name=domain,
        make_program=make_hyperalign,
        load_examples=authorship_examples(domain),
        make_metric=authorship_metric,
        metric_names=AUTHORSHIP_METRICS,
        description=f"HyPerAlign on {domain} writers",
    )


# Values are specs, or "module:ATTR" import paths resolved on first use.
DOMAIN_SPECS: dict[str, DomainSpec | str] = {
    **{name: authorship_spec(name) for name in ("email", "news", "essay", "blog", "demo")},
    "deliberative": "hyperalign.optimize.deliberative.domain:SPEC",
    "aloe": "hyperalign.optimize.aloe.domain:SPEC",
}
DOMAIN_SPECS["aloe"] = "hyperalign.optimize.aloe.domain:SPEC"
DOMAIN_SPECS["deliberative"] = "hyperalign.optimize.deliberative.domain:SPEC"


def register_domain(spec: DomainSpec) -> DomainSpec:
    DOMAIN_SPECS[spec.name] = spec
    return spec


def domain_spec(name: str) -> DomainSpec:
    """The spec of a compilable domain; an unknown name is a user error listing the known ones."""
    if name not in DOMAIN_SPECS:
        raise InputError(f"domain '{name}' cannot be compiled (known: {', '.join(sorted(DOMAIN_SPECS))})")
    entry = DOMAIN_SPECS[name]
    if isinstance(entry, str):
        module, _, attr = entry.partition(":")
        entry = DOMAIN_SPECS[name] = getattr(importlib.import_module(module), attr)
    return entry
