"""LM set-up: one model string → a configured `dspy.LM` (and the adapter it needs), per call context.

`embedded` (the default) is SmolLM2-135M-Instruct in-process, offline, no key. Any other string is a
LiteLLM model (`openai/gpt-4o-mini`, `anthropic/claude-3-5-haiku-latest`, `ollama_chat/llama3.1`,
`openai/NAME` with an api base for a vLLM or llama.cpp server). Several deployments of one model
(`openai/NAME@http://a/v1,openai/NAME@http://b/v1`, or a comma-separated api base) are balanced by
LiteLLM's Router.

Keys: with no api base, LiteLLM reads the provider's own variable (OPENAI_API_KEY, ...). With a custom
api base, no provider key is sent: only $HYPERALIGN_API_KEY or the variable named by `api_key_env`.
Keys never enter a program, log or artifact.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import dspy

from hyperalign.core.errors import InputError, LMError
from hyperalign.core.server_engine import STRUCTURED_MODES, ServerEngine

EMBEDDED = "embedded"
EMBEDDED_MODEL_NAME = "embedded/SmolLM2-135M-Instruct-Q4_1"
ENV_MODEL, ENV_API_BASE, ENV_TEMPERATURE = "HYPERALIGN_LM", "HYPERALIGN_API_BASE", "HYPERALIGN_TEMPERATURE"
ENV_STRUCTURED, ENV_API_KEY = "HYPERALIGN_STRUCTURED", "HYPERALIGN_API_KEY"
# A local OpenAI-compatible server needs *some* key string; this one is not a secret.
PLACEHOLDER_KEY = "no-key"
# Servers people run themselves: "auto" sends them the output's schema (they constrain decoding).
SELF_HOSTED_PROVIDERS = frozenset({"ollama", "ollama_chat", "hosted_vllm", "lm_studio", "llamafile"})


def resolve_model(model: str | None = None) -> str:
    return (model or os.environ.get(ENV_MODEL) or EMBEDDED).strip()


def is_embedded(model: str) -> bool:
    return model in (EMBEDDED, EMBEDDED_MODEL_NAME)


def _check_provider(model: str) -> None:
    # Imported here: heavy: LiteLLM loads only for a server/provider LM.
    import litellm

    try:  # LiteLLM prints a "Provider List" line on stdout before raising: keep stdout for results
        with contextlib.redirect_stdout(sys.stderr):
            litellm.get_llm_provider(model)
    except Exception as exc:  # litellm raises its BadRequestError with a long help text
        provider = model.split("/", 1)[0] if "/" in model else model
        raise InputError(  # the caller's model string is wrong (exit 2), no LM failed
            f"unknown LM provider {provider!r} in {model!r}: use 'embedded' or a LiteLLM model string "
            "such as 'openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest' or 'ollama_chat/llama3.1'"
        ) from exc


def parse_deployments(model: str, api_base: str | None) -> tuple[str, list[str]]:
    """`NAME[@URL][,NAME@URL...]` and a comma-separated api base → (NAME, [URL, ...]).
    Several deployments must serve one model (the Router balances them; it does not pick models)."""
    names, bases = [], []
    for entry in (e.strip() for e in model.split(",")):
        if not entry:
            continue
        name, sep, rest = entry.partition("@http")
        names.append(name.strip())
        if sep:
            bases.append("http" + rest.strip())
    if not names or len(set(names)) != 1:
        raise LMError(f"several deployments must serve one model, got {sorted(set(names)) or model!r}")
    bases += [b.strip() for b in (api_base or "").split(",") if b.strip()]
    for base in bases:
        if not base.startswith(("http://", "https://")):
            raise LMError(f"api base {base!r} is not an http(s) URL")
    return names[0], bases


def server_key(api_bases: list[str], api_key_env: str | None) -> str | None:
    """The key sent with each call. None lets LiteLLM read the provider's own variable, which
    happens only when no custom api base is set: a provider key never goes to another server."""
    if api_key_env:
        value = os.environ.get(api_key_env)
        if not value:
            raise LMError(f"the environment variable {api_key_env} named for the LM's key is not set")
        return value
    if api_bases:
        return os.environ.get(ENV_API_KEY) or PLACEHOLDER_KEY
    return None


def resolve_structured(structured: str | None, provider: str, api_bases: list[str]) -> str:
    """schema | json | off. "auto" (the default) sends the schema to servers people run themselves
    (an api base or a self-hosted provider) and keeps DSPy's default adapter for hosted providers."""
    mode = (structured or os.environ.get(ENV_STRUCTURED) or "auto").strip().lower()
    if mode not in STRUCTURED_MODES:
        raise LMError(f"structured output must be one of {', '.join(STRUCTURED_MODES)}, got {mode!r}")
    if mode == "auto":
        return "schema" if api_bases or provider in SELF_HOSTED_PROVIDERS else "off"
    return mode


def make_lm(
    model: str | None = None,
    *,
    api_base: str | None = None,
    temperature: float | None = None,
    max_tokens: int | None = None,
    timeout: float | None = None,
    num_retries: int = 3,
    cache: bool = True,
    structured: str | None = None,
    api_key_env: str | None = None,
) -> dspy.LM:
    """Build the LM for a model string (default: $HYPERALIGN_LM, else `embedded`).

    `api_base` None reads $HYPERALIGN_API_BASE; "" means none. `structured`: auto (default,
    $HYPERALIGN_STRUCTURED) | schema | json | off. `api_key_env`: the variable holding the key for a
    custom api base (else $HYPERALIGN_API_KEY, else a placeholder)."""
    model = resolve_model(model)
    if temperature is None and os.environ.get(ENV_TEMPERATURE):
        try:
            temperature = float(os.environ[ENV_TEMPERATURE])
        except ValueError as exc:
            raise LMError(f"{ENV_TEMPERATURE} must be a number, got {os.environ[ENV_TEMPERATURE]!r}") from exc
    temperature = 0.0 if temperature is None else temperature
    if is_embedded(model):
        if (structured or "").strip().lower() in ("json", "off"):
            raise LMError("the embedded LM always decodes under the output's schema; --structured applies to served LMs")
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
    name, bases = parse_deployments(model, os.environ.get(ENV_API_BASE) if api_base is None else api_base)
    _check_provider(name)
    provider = name.split("/", 1)[0]

    engine = ServerEngine(
        structured=resolve_structured(structured, provider, bases),
        deployments=bases,
        api_key=server_key(bases, api_key_env),
        timeout=timeout or 120,
        self_hosted=bool(bases) or provider in SELF_HOSTED_PROVIDERS,
    )
    # LiteLLM semantics for every provider string (incl. max_tokens for local servers).
    return dspy.LM(name, engine=engine, temperature=temperature, max_tokens=max_tokens or 2048,
                   num_retries=num_retries, cache=cache)


# The settings of an LM that change its answers (and so belong in cache keys and reports).
IDENTITY_SETTINGS = ("temperature", "max_tokens", "top_p")


def lm_identity(lm: dspy.BaseLM | None) -> dict:
    """What about an LM changes its answers, never its key: the model and its sampling settings.

        lm_identity(dspy.settings.lm)  # {"model": "embedded/SmolLM2-135M-Instruct-Q4_1", "temperature": 0.0, ...}
    """
    if lm is None:
        return {"model": None}
    settings = {k: v for k, v in getattr(lm, "kwargs", {}).items() if k in IDENTITY_SETTINGS}
    structured = getattr(getattr(lm, "engine", None), "structured", None)  # a server's schema/json/off
    if structured is not None:
        settings["structured"] = structured
    return {"model": getattr(lm, "model", type(lm).__name__), **settings}


def adapter_for(lm: dspy.BaseLM) -> dspy.Adapter:
    """The adapter the LM's structured-output mode needs: the compact JSON prompt when a schema
    constrains decoding (embedded LM, `schema` servers), DSPy's JSON adapter for `json`, DSPy's
    default otherwise."""
    engine = getattr(lm, "engine", None)
    if getattr(engine, "supports_response_schema", False):
        from hyperalign.core.compact_adapter import CompactJSONAdapter

        return CompactJSONAdapter()
    if getattr(engine, "structured", None) == "json":
        return dspy.JSONAdapter()
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
