"""Map a measured amount onto (0, 1]: 1 up to where real texts go, 0.05 where no real text goes, and
still falling beyond (so that of two bad texts the worse one scores lower)."""

from __future__ import annotations

import math

AT_ZERO = 0.05  # the score at the `zero` end


def ramp(value: float, free: float, zero: float) -> float:
    """1.0 while `value` stays on the `free` side; then falls exponentially, reaching AT_ZERO at `zero`.
    `zero` may lie below `free` (for measures where less is worse)."""
    excess = (value - free) / (zero - free)
    return 1.0 if excess <= 0 else math.exp(math.log(AT_ZERO) * excess)
