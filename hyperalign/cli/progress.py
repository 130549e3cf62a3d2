"""The CLI's progress display: library progress reports rendered with `rich` on stderr.

On a terminal: one bar per stage with what the current item is at, done/total, LM calls so far and
an ETA. Not on a terminal (pipes, CI logs): one line per stage and per note, no bars.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from hyperalign.core.progress import Reporter


class TerminalReporter(Reporter):
    """Renders progress events on `stream` (default stderr)."""

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None):
        self.stream = stream or sys.stderr
        self.live = (hasattr(self.stream, "isatty") and self.stream.isatty()) if live is None else live
        self.console = None
        if self.live:
            # Imported here: rich loads only when progress is drawn on a terminal.
            from rich.console import Console

            self.console = Console(file=self.stream, highlight=False)
        self.lm_calls = 0
        self._lock = threading.Lock()
        self._bar = None
        self._task = None
        self._name = ""

    def _make_bar(self):
        # Imported here: rich loads only when progress is drawn on a terminal.
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        return Progress(
            TextColumn("{task.description}"),
            BarColumn(bar_width=24),
            MofNCompleteColumn(),
            TextColumn("[dim]{task.fields[unit]}s · LM calls {task.fields[calls]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )

    def begin(self, name: str, total: int | None = None, unit: str = "item") -> None:
        with self._lock:
            self._stop()
            self._name = name
            if not self.live:
                self._line(f"[{name}]" + (f" {total} {unit}(s)" if total is not None else ""))
                return
            self._bar = self._make_bar()
            self._bar.start()
            self._task = self._bar.add_task(name, total=total, unit=unit, calls=self.lm_calls)

    def doing(self, activity: str) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(self._task, description=f"{self._name}: {activity}")

    def advance(self, n: int = 1) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.update(self._task, advance=n, calls=self.lm_calls)

    def end(self) -> None:
        with self._lock:
            self._stop()

    def lm_call(self, n: int = 1) -> None:
        with self._lock:
            self.lm_calls += n
            if self._bar is not None:
                self._bar.update(self._task, calls=self.lm_calls)

    def note(self, message: str) -> None:
        with self._lock:
            self._line(message)

    def _line(self, text: str) -> None:
        """One whole line (never wrapped: logs are grepped)."""
        if self.console is not None:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)
        else:
            self.stream.write(text + "\n")
            self.stream.flush()

    def _stop(self) -> None:
        if self._bar is not None:
            self._bar.update(self._task, description=self._name)
            self._bar.stop()
            self._bar = self._task = None

    def close(self) -> None:
        with self._lock:
            self._stop()
