"""LM set-up: one model string → a configured `dspy.LM` (and the adapter it needs), per call context.

`embedded` (the default) is SmolLM2-135M-Instruct in-process, offline, no key. Any other string is a
LiteLLM model (`openai/gpt-4o-mini`, `anthropic/claude-3-5-haiku-latest`, `ollama_chat/llama3.1`,
`openai/NAME` with an api base for a vLLM or llama.cpp server). Keys come only from the provider's
own environment variables (OPENAI_API_KEY, ...), so they never enter a program, log or artifact.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import dspy

from hyperalign.core.errors import LMError

EMBEDDED = "embedded"
EMBEDDED_MODEL_NAME = "embedded/SmolLM2-135M-Instruct-Q4_1"
ENV_MODEL, ENV_API_BASE, ENV_TEMPERATURE = "HYPERALIGN_LM", "HYPERALIGN_API_BASE", "HYPERALIGN_TEMPERATURE"
# A local OpenAI-compatible server needs *some* key string; this one is not a secret.
PLACEHOLDER_KEY = "no-key"


def resolve_model(model: str | None = None) -> str:
    return (model or os.environ.get(ENV_MODEL) or EMBEDDED).strip()


def is_embedded(model: str) -> bool:
    return model in (EMBEDDED, EMBEDDED_MODEL_NAME)


def _check_provider(model: str) -> None:
    import litellm

    try:
        litellm.get_llm_provider(model)
    except Exception as exc:  # litellm raises its BadRequestError with a long help text
        provider = model.split("/", 1)[0] if "/" in model else model
        raise LMError(
            f"unknown LM provider {provider!r} in {model!r}: use 'embedded' or a LiteLLM model string "
            "such as 'openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest' or 'ollama_chat/llama3.1'"
        ) from exc


def make_lm(
    model: str | None = None,
    *,
    api_base: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    timeout: float | None = None,
    num_retries: int = 3,
    cache: bool = True,
) -> dspy.LM:
    """Build the LM for a model string (default: $HYPERALIGN_LM, else `embedded`)."""
    model = resolve_model(model)
    if temperature is None and os.environ.get(ENV_TEMPERATURE):
        try:
            temperature = float(os.environ[ENV_TEMPERATURE])
        except ValueError as exc:
            raise LMError(f"{ENV_TEMPERATURE} must be a number, got {os.environ[ENV_TEMPERATURE]!r}") from exc
    temperature = 0.0 if temperature is None else temperature
    if is_embedded(model):
        from hyperalign.core.embedded import EmbeddedEngine, model_path

        model_path()  # fail now, clearly, if the weights are missing
        return dspy.LM(
            EMBEDDED_MODEL_NAME,
            engine=EmbeddedEngine(),
            temperature=temperature,
            max_tokens=max_tokens or 1024,
            num_retries=num_retries,
            cache=cache,
        )
    _check_provider(model)
    api_base = api_base or os.environ.get(ENV_API_BASE)
    kwargs: dict = {}
    if api_base:
        kwargs["api_base"] = api_base
        provider = model.split("/", 1)[0]
        if not os.environ.get(f"{provider.upper()}_API_KEY"):
            kwargs["api_key"] = PLACEHOLDER_KEY
    return dspy.LM(
        model,
        engine="litellm",  # LiteLLM semantics for every provider string, incl. max_tokens for local servers
        temperature=temperature,
        max_tokens=max_tokens or 2048,
        timeout=timeout or 120,
        num_retries=num_retries,
        cache=cache,
        **kwargs,
    )


def adapter_for(lm: dspy.BaseLM) -> dspy.Adapter:
    """JSON for the embedded LM (its decoding grammar needs a schema); DSPy's default otherwise."""
    if getattr(getattr(lm, "engine", None), "supports_response_schema", False):
        from hyperalign.core.compact_adapter import CompactJSONAdapter

        return CompactJSONAdapter()
    return dspy.ChatAdapter()


def as_lm(lm: str | dspy.BaseLM | None) -> dspy.BaseLM:
    """An LM object from a model string, an LM, or None (the context's LM, else the default)."""
    if isinstance(lm, dspy.BaseLM):
        return lm
    if lm is None and dspy.settings.lm is not None:
        return dspy.settings.lm
    return make_lm(lm)


@contextmanager
def lm_context(lm: str | dspy.BaseLM | None = None) -> Iterator[dspy.BaseLM]:
    """Use this LM (and its adapter) for the calls inside the block, on this thread/task only.
    For model settings (api base, temperature, ...) pass an LM built by `make_lm`."""
    resolved = as_lm(lm)
    with dspy.context(lm=resolved, adapter=adapter_for(resolved)):
        yield resolved
