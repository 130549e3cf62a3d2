"""`DomainSpec`: everything compile, evaluate and `data` need to know about one domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from hyperalign.core.errors import InputError

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
    - `load_data(path, k=, seed=, n=, problems=)` reads the domain's data set (`hyperalign data`).
    - `demo_problem(example, pred)` says why a prediction must not become a bootstrapped
      demonstration (None: it may); compile refuses those (optimize/compile/demos.py).
    - `data_help` says what `--path` must hold; `evaluation` is the "module:function" that runs
      `hyperalign evaluate DOMAIN` (imported only when used).

        spec = domain_spec("email")
        train, val, test = spec.load_examples(None, k=5, seed=0, train_users=3, val_users=2)
    """

    name: str
    make_program: Callable[[], dspy.Module]
    load_examples: Callable[..., Splits]
    make_metric: Callable[..., Callable]
    metric_names: tuple[str, ...]
    input_fields: tuple[str, ...] = ("samples", "task", "attributes")
    load_data: Callable[..., list] | None = None
    data_help: str = ""
    evaluation: str = ""
    demo_problem: Callable[..., str | None] | None = None
    description: str = ""
    defaults: dict = field(default_factory=dict)

    @classmethod
    def from_module(cls, name: str, module: ModuleType, **fields: Any) -> DomainSpec:
        """The spec of a domain module that defines make_program, load_examples, make_metric and
        METRICS (its metric names, the default first), plus `fields`."""
        return cls(name=name, make_program=module.make_program, load_examples=module.load_examples,
                   make_metric=module.make_metric, metric_names=module.METRICS, **fields)

    @property
    def default_metric(self) -> str:
        return self.metric_names[0]


def check_metric(domain: str, name: str, known: tuple[str, ...]) -> None:
    """A domain is scored only with its own metrics: anything else is a user error naming them."""
    if name not in known:
        raise InputError(f"{domain} is scored with {', '.join(known)}, not {name!r}")


def needs_path(domain: str, help: str, read: Callable[..., list]) -> Callable[..., list]:
    """`load_data` for a data set with no bundled default: a missing path is a user error saying
    what the path must hold; `read(path, k=, seed=, n=, problems=)` does the reading."""

    def load_data(path: Path | str | None, *, k: int = 5, seed: int = 0, n: int = 10, problems=None) -> list:
        if path is None:
            raise InputError(f"'{domain}' needs a path: {help}")
        return read(path, k=k, seed=seed, n=n, problems=problems)

    return load_data
