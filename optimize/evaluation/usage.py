"""Count LM calls and tokens spent inside a block (DSPy's usage tracker plus the core LM-call hook)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dspy.utils.usage_tracker import track_usage

from hyperalign.core.progress import on_lm_calls


@dataclass
class Usage:
    """LM calls made (including answers DSPy served from its own cache) and tokens spent, by model.
    Calls DSPy answered from its cache report no tokens."""

    lm_calls: int = 0
    tokens: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total_tokens(self) -> int:
        return sum(t.get("total_tokens", 0) or 0 for t in self.tokens.values())

    def as_dict(self) -> dict:
        return {"lm_calls": self.lm_calls, "total_tokens": self.total_tokens, "tokens_by_model": self.tokens}


@contextmanager
def metered() -> Iterator[Usage]:
    """`with metered() as usage:` ... then `usage.lm_calls`, `usage.tokens` hold what the block spent."""
    usage = Usage()
    calls = itertools.count()
    with track_usage() as tracker, on_lm_calls(lambda: next(calls)):
        try:
            yield usage
        finally:
            usage.lm_calls = next(calls)
            usage.tokens = {
                model: {k: v for k, v in totals.items() if k in ("prompt_tokens", "completion_tokens", "total_tokens") and v}
                for model, totals in tracker.get_total_tokens().items()
            }
