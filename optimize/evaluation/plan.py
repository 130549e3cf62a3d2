"""Say how many LM calls a run will make before making them, so a user can stop an expensive run."""

from __future__ import annotations

from typing import TextIO

from hyperalign.core.progress import note


def announce_plan(calls: int, detail: str = "", stream: TextIO | None = None) -> None:
    """'Planned: N LM call(s) (detail)' on one line: to `stream` if given, else to whoever shows
    progress (the CLI: stderr; a library call: nowhere)."""
    message = f"Planned: {calls} LM call(s)" + (f" ({detail})" if detail else "")
    if stream is None:
        note(message)
    else:
        print(message, file=stream, flush=True)
