"""hyperalign: personalize LLM output to one user, interpretably, from a handful of their texts.

    import hyperalign
    result = hyperalign.personalize(samples=[...], task="Write an email ...")
    result.text, result.hypotheses

Names are imported lazily so `import hyperalign` (and the CLI's start-up) stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "personalize": "hyperalign.api",
    "infer_hypotheses": "hyperalign.api",
    "Personalization": "hyperalign.api",
    "load": "hyperalign.loading",
    "make_lm": "hyperalign.core.lm",
    "lm_context": "hyperalign.core.lm",
    "HyperAlignError": "hyperalign.core.errors",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from hyperalign.api import Personalization, infer_hypotheses, personalize
    from hyperalign.core.errors import HyperAlignError
    from hyperalign.core.lm import lm_context, make_lm
    from hyperalign.loading import load


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'hyperalign' has no attribute {name!r}")
