"""Turn DSPy/LiteLLM failures into one-line `LMError`s a user can act on (never leaking a key)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dspy.utils import exceptions as dspy_errors

from hyperalign.core.errors import HyperAlignError, LMError
from hyperalign.core.redaction import redact

# The nearest named meaning first; anything else from the LM layer is reported with its class name.
_MEANINGS: tuple[tuple[type[BaseException], str], ...] = (
    (dspy_errors.AdapterParseError, "the LM's answer could not be parsed into the expected fields"),
    (dspy_errors.ContextWindowExceededError, "the prompt is longer than the LM's context window (use fewer or shorter samples)"),
    (dspy_errors.LMTimeoutError, "the LM timed out"),
    (dspy_errors.LMRateLimitError, "the LM provider's rate limit was hit (retries exhausted)"),
    (dspy_errors.LMAuthError, "the LM provider refused the credentials (set the provider's API key in the environment)"),
    (dspy_errors.LMTransportError, "the LM could not be reached"),
    (dspy_errors.LMError, "the LM call failed"),
)


def describe(exc: BaseException) -> str | None:
    for cls, meaning in _MEANINGS:
        if isinstance(exc, cls):
            detail = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
            return f"{meaning}: {detail[:300]}"
    if type(exc).__module__.startswith(("litellm", "openai", "httpx")):
        return f"the LM call failed ({type(exc).__name__}): {redact(str(exc))[:300]}"
    return None


@contextmanager
def lm_errors() -> Iterator[None]:
    """Re-raise LM-layer failures as LMError; leave our own errors and programming errors alone."""
    try:
        yield
    except HyperAlignError:
        raise
    except Exception as exc:
        message = describe(exc)
        if message is None:
            raise
        raise LMError(message) from exc
