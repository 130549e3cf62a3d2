"""Scoring a program item by item on the test users, counting LM calls, and the compile's progress lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import dspy

from hyperalign.core.errors import LMError
from hyperalign.core.progress import note, stage
from hyperalign.core.redaction import redact


def say(message: str) -> None:
    """A status line for whoever shows progress (the CLI: stderr); silent in a library call."""

    note(f"[compile] {message}")


@dataclass
class ItemScores:
    """Per-item scores (percent) and output texts of one program on one set of examples, keyed by
    `item_key` so two programs scored on the same items pair up."""

    scores: dict[str, float]
    texts: dict[str, str]
    users: dict[str, str]  # item key → user id
    failures: int = 0

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else float("nan")

    def as_dict(self) -> dict:
        """For the run's `test_scores.json`: ids and numbers only, no text."""
        return {key: {"user_id": self.users[key], "score": score} for key, score in self.scores.items()}


def item_key(example: dspy.Example) -> str:
    """`user<TAB>item id` (the task when a loader gave no id): pairs scores of the same item."""
    return f"{example.get('user_id')}\t{example.get('item_id') or example.get('task')}"


def score_items(program: dspy.Module, examples: list[dspy.Example], metric: Callable, what: str) -> ItemScores:
    """The metric (as a percentage) on every example; one failing example scores 0 and is counted;
    if every example fails (the LM is down past its retries) the compile stops."""
    with stage(f"scoring {what} items", total=len(examples)) as step:
        def scored(example, pred, trace=None):  # each scored item advances the stage (DSPy's own bar is off)
            try:
                return metric(example, pred, trace)
            finally:
                step.advance()

        evaluator = dspy.Evaluate(devset=examples, metric=scored, num_threads=1, display_progress=False,
                                  max_errors=len(examples), provide_traceback=False)
        try:
            results = evaluator(program).results
        except Exception as exc:  # DSPy's executor gives up with a bare Exception once every example failed
            if "cancelled due to errors" in str(exc):
                raise LMError(f"every one of the {len(examples)} {what} example(s) failed (is the LM reachable? "
                              "the errors are logged above); compile stopped") from exc
            raise
    scores, texts, users, failures = {}, {}, {}, 0
    for example, pred, score in results:
        key = item_key(example)
        text = getattr(pred, "text", None)
        failures += text is None
        scores[key], texts[key], users[key] = 100.0 * float(score or 0.0), str(text or ""), str(example.get("user_id"))
    return ItemScores(scores, texts, users, failures)


@dataclass
class CallCount:
    """LM calls made from a starting point: all history entries, and those DSPy's cache answered
    (a cache hit carries no token usage)."""

    lms: list
    start: dict

    @classmethod
    def begin(cls, lms: list[dspy.BaseLM | None]) -> CallCount:
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
