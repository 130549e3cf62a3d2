"""Say how many LM calls a run will make before making them, so a user can stop an expensive run."""

from __future__ import annotations

import sys
from typing import TextIO


def announce_plan(calls: int, detail: str = "", stream: TextIO | None = None) -> None:
    """Print 'Planned: N LM call(s) (detail)' on one line."""
    suffix = f" ({detail})" if detail else ""
    print(f"Planned: {calls} LM call(s){suffix}", file=stream or sys.stdout, flush=True)
