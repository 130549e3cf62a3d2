"""Scoring a program on the validation set, counting LM calls, and the compile's progress lines."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Callable

import dspy

from hyperalign.core.errors import LMError
from hyperalign.core.redaction import redact


def say(message: str) -> None:
    """A progress line on stderr (stdout stays for the results)."""
    print(f"[compile] {message}", file=sys.stderr, flush=True)


def evaluate(program: dspy.Module, valset: list[dspy.Example], metric: Callable) -> float:
    """The metric on the validation set as a percentage (dspy.Evaluate's scale). One failing example
    scores 0; if every example fails (the LM is down past its retries) the compile stops."""
    evaluator = dspy.Evaluate(devset=valset, metric=metric, num_threads=1, display_progress=True, max_errors=len(valset), provide_traceback=False)
    try:
        return float(evaluator(program).score)
    except Exception as exc:  # DSPy's executor gives up with a bare Exception once every example failed
        if "cancelled due to errors" in str(exc):
            raise LMError(f"every one of the {len(valset)} validation example(s) failed (is the LM reachable? the errors are logged above); compile stopped") from exc
        raise


@dataclass
class CallCount:
    """LM calls made from a starting point: all history entries, and those DSPy's cache answered
    (a cache hit carries no token usage)."""

    lms: list
    start: dict

    @classmethod
    def begin(cls, lms: list[dspy.BaseLM | None]) -> "CallCount":
        distinct = list({id(lm): lm for lm in lms if lm is not None}.values())
        return cls(distinct, {id(lm): len(lm.history) for lm in distinct})

    def entries(self) -> list[dict]:
        return [entry for lm in self.lms for entry in lm.history[self.start[id(lm)]:]]

    def total(self) -> int:
        return len(self.entries())

    def cached(self) -> int:
        return sum(1 for entry in self.entries() if not entry.get("usage"))


def lm_string(lm: dspy.BaseLM | None) -> str | None:
    return None if lm is None else redact(str(getattr(lm, "model", lm)))
