"""Progress reports from library code; whoever runs the code decides how they look.

Library code never prints. It tells the current reporter which stage it is in, how many items the
stage has, when one is done and what it is doing now; the CLI renders that as a `rich` bar on
stderr (stage, done/left, LM calls, ETA), and nothing at all is shown when no front end installed a
reporter (an app, a test, a server).

    from hyperalign.core.progress import note, stage

    note("Planned: 42 LM call(s)")
    with stage("generating", total=len(items)) as step:
        for item in items:
            step.doing("inferring")      # what the current item is at (optional)
            ...
            step.advance()

A front end installs its reporter for a block: `with reporting(MyReporter()): run()`. LM calls are
counted by `count_lm_calls()` (a DSPy callback); library code may also call `lm_call(n)` itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")


class Reporter:
    """Receives progress events. The base class ignores them all (the default: silent).

    A front end subclasses it; every method may be called from any thread.
    """
    def begin(self, name: str, total: int | None = None, unit: str = "item") -> None:
        """A stage starts: `total` items of `unit` (None: unknown)."""

    def doing(self, activity: str) -> None:
        """What the current item is at now, e.g. "inferring", "generating", "judging"."""

    def advance(self, n: int = 1) -> None:
        """`n` more items of the current stage are done."""

    def end(self) -> None:
        """The current stage is over."""

    def lm_call(self, n: int = 1) -> None:
        """`n` LM calls were made (answers from DSPy's cache included)."""

    def note(self, message: str) -> None:
        """A one-line status worth showing once (a plan, a saved file, a run id)."""


_lock = threading.Lock()
_current: Reporter = Reporter()


def reporter() -> Reporter:
    """The reporter in charge (process-wide, so worker threads report to it too)."""
    return _current


@contextmanager
def reporting(new: Reporter) -> Iterator[Reporter]:
    """Send progress to `new` inside the block, then restore the previous reporter."""
    global _current
    with _lock:
        previous, _current = _current, new
    try:
        yield new
    finally:
        with _lock:
            _current = previous


class Stage:
    """The handle `stage()` yields: advance it once per finished item."""
    def __init__(self, target: Reporter):
        self._target = target

    def advance(self, n: int = 1) -> None:
        self._target.advance(n)

    def doing(self, activity: str) -> None:
        self._target.doing(activity)


@contextmanager
def stage(name: str, total: int | None = None, unit: str = "item") -> Iterator[Stage]:
    """One stage of long work (its end is reported even when the block raises)."""
    target = reporter()
    target.begin(name, total, unit)
    try:
        yield Stage(target)
    finally:
        target.end()


def track(items: Iterable[T], name: str, total: int | None = None, unit: str = "item") -> Iterator[T]:
    """Iterate `items` as one stage, advancing after each."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with stage(name, total, unit) as step:
        for item in items:
            yield item
            step.advance()


def note(message: str) -> None:
    reporter().note(message)


def lm_call(n: int = 1) -> None:
    reporter().lm_call(n)


@contextmanager
def on_lm_calls(callback: Callable[[], None]) -> Iterator[None]:
    """Call `callback()` as every DSPy LM call inside the block starts (also in DSPy's worker threads;
    calls DSPy answers from its cache included). THE LM-call hook: counters and progress use it."""
    import dspy  # heavy: imported only when a block is counted, so the CLI starts without it
    from dspy.utils.callback import BaseCallback

    class _Hook(BaseCallback):
        def on_lm_start(self, call_id: str, instance: Any, inputs: dict[str, Any]) -> None:
            callback()

    with dspy.context(callbacks=[*(dspy.settings.get("callbacks") or []), _Hook()]):
        yield


@contextmanager
def count_lm_calls() -> Iterator[None]:
    """Report every DSPy LM call made inside the block to the progress reporter."""
    with on_lm_calls(lm_call):
        yield
