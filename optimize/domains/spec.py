"""`DomainSpec`: everything compile, evaluate and `data` need to know about one domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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

    @property
    def default_metric(self) -> str:
        return self.metric_names[0]
