"""Which bootstrapped demonstrations a compile may keep.

Optimizers keep a trace as a demonstration when the metric, called with a trace, says yes. A demo
teaches the program by example, so a bad one is copied into every later output: the issue that
started this module was a demo that restated the hypotheses, and the compiled program returned that
text for every task and user. `DemoGate` wraps a metric so that, under a trace, a prediction whose
text fails a check (copied from the samples, an echo of the hypotheses, off task, not sane text) is
refused before the score is even looked at; each refusal is counted with its reason. What counts as a
bad demonstration is the domain's call (`DomainSpec.demo_problem`; the writing domains' in
optimize/domains/authorship/demos.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import dspy


class DemoGate:
    """`metric` with a gate on demonstrations; `refused` counts the reasons (kind → count)."""

    def __init__(self, metric: Callable, problem: Callable[[dspy.Example, Any], str | None]):
        self.metric, self.problem = metric, problem
        self.refused: Counter[str] = Counter()
        self.__name__ = getattr(metric, "__name__", "metric")
        gepa = getattr(metric, "gepa", None)
        if gepa is not None:
            self.gepa = gepa  # GEPA tunes instructions only: no demonstrations to gate

    def __call__(self, example: dspy.Example, pred: Any, trace: Any = None) -> float | bool:
        if trace is None:
            return self.metric(example, pred)
        problem = self.problem(example, pred)
        if problem is not None:
            self.refused[problem.split(" (", 1)[0].split(":", 1)[0]] += 1
            return False
        return self.metric(example, pred, trace)
