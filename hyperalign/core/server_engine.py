"""LiteLLM models as one DSPy engine: the output's JSON schema in the form each server takes, and
calls spread over several deployments of one model (LiteLLM's Router).

DSPy's JSONAdapter asks for a schema only from an LM that declares it can take one; an
OpenAI-compatible server is declared by nobody, so it got `{"type": "json_object"}` and a small
model wrote JSON that does not parse. This engine declares what its `structured` mode promises and
translates the request's `json_schema` into the server's dialect: llama-cpp-python's server takes
`{"type": "json_object", "schema": ...}` and rejects `json_schema`; vLLM, SGLang, llama.cpp's own
server, LM Studio and OpenAI take `json_schema`; for Ollama LiteLLM itself turns it into `format`.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

from dspy.clients.engines.litellm_engine import LiteLLMEngine

from hyperalign.core.embedded import to_llama_response_format
from hyperalign.core.errors import LMError

logger = logging.getLogger(__name__)

STRUCTURED_MODES = ("auto", "schema", "json", "off")
# Dialects of a JSON-schema request: OpenAI's `json_schema` (LiteLLM maps it per provider) or
# llama-cpp-python's `json_object` + `schema`.
OPENAI_DIALECT, LLAMA_CPP_DIALECT = "json_schema", "json_object+schema"
_BASE_PARAMS = frozenset({"temperature", "max_tokens", "top_p", "stop", "seed"})


def server_dialect(api_base: str, api_key: str | None, timeout: float = 120.0) -> str | None:
    """Which form of a schema request the server at `api_base` takes, from its model list (one GET,
    through the OpenAI client): llama-cpp-python lists its models as owned by "me" with a
    "permissions" field. A server that answers anything else gets the standard form; None when the
    server could not be asked (unreachable or too slow: ask again on the next call)."""
    # Imported here: heavy: the OpenAI client loads only for a server LM.
    import openai

    try:
        models = openai.OpenAI(base_url=api_base, api_key=api_key or "no-key", timeout=timeout, max_retries=0).models.list()
    except openai.APIStatusError as exc:  # it answered, without a model list
        logger.info("%s/models answered %s; sending the standard json_schema form", api_base, exc.status_code)
        return OPENAI_DIALECT
    except openai.OpenAIError as exc:
        logger.warning("could not read %s/models (%s); sending the standard json_schema form this time", api_base, type(exc).__name__)
        return None
    first = models.data[0].model_dump() if models.data else {}
    if first.get("owned_by") == "me" and "permissions" in first:
        return LLAMA_CPP_DIALECT
    return OPENAI_DIALECT


def to_server_format(response_format: dict | None, dialect: str) -> dict | None:
    if response_format and dialect == LLAMA_CPP_DIALECT:
        return to_llama_response_format(response_format)
    return response_format


class LeastInFlight:
    """A LiteLLM Router routing strategy (`Router.set_custom_routing_strategy`): each call goes to the
    deployment with the fewest calls in flight from this process, counted when it is chosen. LiteLLM's
    own least-busy counts at its pre-call hook, seconds later on a busy machine, so callers that start
    together all went to the first deployment (measured). A deployment whose call failed is skipped
    for COOLDOWN_S while another is available (a dead server fails fast and would attract every call).
    """

    COOLDOWN_S = 30.0

    def __init__(self, router):
        self.router = router
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._cooling: dict[str, float] = {}
        self._chosen = threading.local()

    def get_available_deployment(self, model, messages=None, input=None, specific_deployment=False, request_kwargs=None):
        deployments = self.router.get_model_list(model_name=model) or []
        if not deployments:
            return None
        with self._lock:
            now = time.monotonic()
            ready = [d for d in deployments if self._cooling.get(d["model_info"]["id"], 0.0) <= now] or deployments
            pick = min(ready, key=lambda d: self._in_flight.get(d["model_info"]["id"], 0))
            ident = pick["model_info"]["id"]
            self._in_flight[ident] = self._in_flight.get(ident, 0) + 1
        self._chosen.ident = ident
        return pick

    async def async_get_available_deployment(self, model, messages=None, input=None, specific_deployment=False,
                                             request_kwargs=None):
        return self.get_available_deployment(model, messages, input, specific_deployment, request_kwargs)

    @contextmanager
    def call(self):
        """Around one `router.completion` on this thread: the chosen deployment's count goes down after."""
        self._chosen.ident = None
        failed = False
        try:
            yield
        except Exception:
            failed = True
            raise
        finally:
            ident = self._chosen.ident
            if ident is not None:
                with self._lock:
                    self._in_flight[ident] -= 1
                    if failed:
                        self._cooling[ident] = time.monotonic() + self.COOLDOWN_S

    def in_flight(self) -> dict[str, int]:
        with self._lock:
            return dict(self._in_flight)


class ServerEngine(LiteLLMEngine):
    """A LiteLLM model behind DSPy's engine interface (DSPy keeps the cache, retries and history).

    `structured`: "schema" sends the output's JSON schema (decoding constrained by the server),
    "json" asks only for a JSON object, "off" sends no response format (DSPy's ChatAdapter).
    `deployments`: api bases serving the same model; more than one are balanced by a LiteLLM Router.
    The key is only what the caller passes (None: LiteLLM reads the provider's own variable).

    >>> lm = dspy.LM("openai/smollm2", engine=ServerEngine(structured="schema",
    ...              deployments=["http://127.0.0.1:8080/v1"], api_key="no-key"))
    """
    # DSPy's messages= shortcut for its own LiteLLM engine would skip this engine's connection
    # settings; canonical requests only.
    complete_legacy = None

    def __init__(
        self,
        *,
        structured: str = "off",
        deployments: list[str] | tuple[str, ...] = (),
        api_key: str | None = None,
        timeout: float | None = None,
        self_hosted: bool = False,
        detached: bool = False,
    ):
        if structured not in STRUCTURED_MODES[1:]:
            raise LMError(f"structured output mode must be one of schema, json, off; got {structured!r}")
        self.structured = structured
        self.deployments = tuple(deployments)
        self._api_key = api_key
        client = {"timeout": timeout} if timeout else {}
        if len(self.deployments) == 1:
            client.update(api_base=self.deployments[0], api_key=api_key)
        elif api_key is not None and not self.deployments:
            client["api_key"] = api_key
        super().__init__(**client)
        # Capabilities DSPy's adapters read (dspy/clients/capabilities.py): what this mode promises.
        self.supports_response_schema = structured == "schema"
        self.supported_params = _BASE_PARAMS | ({"response_format"} if structured != "off" else set())
        # Under a server-side grammar, quotes are picked from the texts (as on the embedded LM).
        self.self_hosted = self_hosted
        self.prefers_constrained_quotes = structured == "schema" and self_hosted
        self.detached = detached
        self._dialect: str | None = None
        self._lock = threading.Lock()
        self._router = None
        self.routing: LeastInFlight | None = None

    def dialect(self, model: str) -> str:
        """Asked of the server once, on the first schema request through LiteLLM's generic
        OpenAI door with an api base (the deployments of one model run the same server)."""
        if not (self.deployments and model.startswith("openai/")):
            return OPENAI_DIALECT
        with self._lock:
            if self._dialect is None:
                self._dialect = server_dialect(self.deployments[0], self._api_key, self.client_options.get("timeout") or 120.0)
                logger.info("structured output for %s: %s", self.deployments[0], self._dialect)
            return self._dialect or OPENAI_DIALECT

    def router(self, model: str):
        with self._lock:
            if self._router is None:
                import litellm

                params = {"api_key": self._api_key, **({"timeout": self.client_options["timeout"]} if "timeout" in self.client_options else {})}
                self._router = litellm.Router(
                    model_list=[{"model_name": model, "litellm_params": {"model": model, "api_base": base, **params}}
                                for base in self.deployments],
                    num_retries=0,  # DSPy retries
                )
                self.routing = LeastInFlight(self._router)
                self._router.set_custom_routing_strategy(self.routing)
            return self._router

    def _arguments(self, request, *, streaming=False):
        if self.detached:
            raise LMError("this LM was restored from a file without its server address or key; "
                          "set the LM again (hyperalign.core.lm.make_lm) before calling it")
        data = super()._arguments(request, streaming=streaming)
        if self.deployments and "max_completion_tokens" in data:
            # Servers people run (llama-cpp-python, older vLLM) read max_tokens and ignore the newer
            # name: generation would run to the context's end.
            data["max_tokens"] = data.pop("max_completion_tokens")
        if (data.get("response_format") or {}).get("type") == "json_schema":
            data["response_format"] = to_server_format(data["response_format"], self.dialect(request.model))
        return data

    def complete(self, request):
        if len(self.deployments) < 2:
            return super().complete(request)
        # Imported here: heavy: DSPy (~1.3 s) loads only when this runs, so the CLI and `import hyperalign` stay fast.
        from dspy.clients.engines.litellm_errors import litellm_errors

        data = self._arguments(request)
        router = self.router(request.model)
        with litellm_errors(model=request.model), self.routing.call():
            raw = router.completion(**data)
        return self._response(raw, request)

    def stream(self, request):
        if len(self.deployments) < 2:
            return super().stream(request)
        # Imported here: heavy: DSPy (~1.3 s) loads only when this runs, so the CLI and `import hyperalign` stay fast.
        from dspy.lm15 import response_to_events

        return response_to_events(self.complete(request))

    # Saved with a program as its mode only: where calls go and with which key is decided by
    # whoever loads the program, never by the file.
    def dump_state(self) -> dict:
        return {"structured": self.structured, "self_hosted": self.self_hosted}

    @classmethod
    def load_state(cls, state: dict) -> ServerEngine:
        self_hosted = bool(state.get("self_hosted", False))
        return cls(structured=str(state.get("structured", "off")), self_hosted=self_hosted, detached=self_hosted)

    # Engines are borrowed: a deep copy of a program shares this one (and its Router).
    def __deepcopy__(self, memo) -> ServerEngine:
        return self

    # A pickle (e.g. MLflow logging dspy.settings) keeps the mode, never the key or the addresses.
    def __reduce__(self):
        return (_unpickled, (self.dump_state(),))


def _unpickled(state: dict) -> ServerEngine:
    return ServerEngine.load_state(state)
