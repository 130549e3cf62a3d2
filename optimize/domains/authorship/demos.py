"""Which predictions may become demonstrations for the writing domains: the generated text must be on
task, not copied from the user's samples, not an echo of its own hypotheses, and sane (the checks of
hyperalign.programs.checks, each failing below its documented threshold)."""

from __future__ import annotations

from typing import Any

import dspy

from hyperalign.programs.checks import fidelity, originality, sanity

# A check's score below this fails it (the checks' documented reject threshold).
PASS = 0.5


def hypothesis_statements(pred: Any) -> list[str]:
    """The hypotheses' statements of a prediction (objects with `.statement`, dicts, or strings)."""
    found = []
    for hypothesis in getattr(pred, "hypotheses", None) or []:
        statement = getattr(hypothesis, "statement", None)
        if statement is None and isinstance(hypothesis, dict):
            statement = hypothesis.get("statement")
        found.append(str(statement if statement is not None else hypothesis))
    return [s for s in found if s.strip()]


def authorship_demo_problem(example: dspy.Example, pred: Any) -> str | None:
    """Why this prediction must not become a demonstration, or None: its text must be on task, not
    copied from the user's samples, not an echo of its own hypotheses, and sane."""
    text = str(getattr(pred, "text", "") or "")
    if not text.strip():
        return "empty text"
    samples = list(example.samples)
    copied = originality(text, samples, task=example.task)
    if copied.score < PASS:
        return f"copied from the samples ({copied.problem})"
    statements = hypothesis_statements(pred)
    if statements:
        echo = originality(text, statements, labels=[f"hypothesis {i + 1}" for i in range(len(statements))])
        if echo.score < PASS:
            return f"an echo of the hypotheses ({echo.problem})"
    on_task = fidelity(text, example.task, samples)
    if on_task.score < PASS:
        return on_task.problem or "off task"
    sane = sanity(text, samples)
    if sane.score < PASS:
        return sane.problem or "not sane text"
    return None
