"""Throughput at 1, 2, 4 concurrent callers: in-process embedded LM, and a local llama.cpp server."""

from __future__ import annotations

import re
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any

import dspy
from bench_common import REPO_ROOT, Meter, median
from bench_inprocess import Bench

sys.path.insert(0, str(REPO_ROOT))  # tests.llama_server


def _run_callers(lm, adapter, generation, hypotheses: list[dict], tasks: list[str], callers: int, per_caller: int) -> dict:
    """`callers` threads, each asking for `per_caller` outputs; outputs per second over the wall time."""
    latencies: list[float] = []
    errors: list[str] = []
    barrier = threading.Barrier(callers)

    def caller(index: int) -> None:
        with dspy.context(lm=lm, adapter=adapter):
            barrier.wait()
            for j in range(per_caller):
                start = time.perf_counter()
                try:
                    generation(task=tasks[(index * per_caller + j) % len(tasks)], hypotheses=hypotheses)
                    latencies.append(time.perf_counter() - start)
                except Exception as exc:  # counted, not fatal: a failed output is part of the figure
                    errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")

    threads = [threading.Thread(target=caller, args=(i,)) for i in range(callers)]
    meter = Meter(lm)
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    usage = meter.stop()
    return {"completion_tokens_per_output": round(usage["completion_tokens"] / max(1, len(latencies)), 1),
            "prompt_tokens_per_output": round(usage["prompt_tokens"] / max(1, len(latencies)), 1),"callers": callers, "outputs": len(latencies), "errors": len(errors), "first_error": errors[0] if errors else None,
            "wall_s": round(wall, 3), "outputs_per_s": round(len(latencies) / wall, 4),
            "median_latency_s": round(median(latencies), 3)}


def _sweep(bench: Bench, lm, adapter, hypotheses, tasks) -> list[dict]:
    from hyperalign.programs import ConditionedGeneration

    generation = ConditionedGeneration()
    generation.set_lm(lm)
    rows = []
    for callers in bench.settings.concurrency:
        rows.append(_run_callers(lm, adapter, generation, hypotheses, tasks, callers, bench.settings.requests_per_caller))
        print(f"   {callers} caller(s): {rows[-1]['outputs_per_s']} outputs/s", flush=True)
    base = rows[0]["outputs_per_s"] or float("nan")
    for row in rows:
        row["speedup_vs_1"] = round(row["outputs_per_s"] / base, 3) if base == base and base else None
    return rows


def _user_and_tasks(bench: Bench):
    user = bench.email[0]
    return bench.hypotheses(user), [item.task for item in bench.email[1].held_out + user.held_out]


def throughput_inprocess(bench: Bench) -> dict:
    from hyperalign.core.lm import adapter_for

    hypotheses, tasks = _user_and_tasks(bench)
    rows = _sweep(bench, bench.gen_lm, adapter_for(bench.gen_lm), hypotheses, tasks)
    return {"backend": bench.gen_lm.model, "rows": rows,
            "why": "the embedded engine holds one llama.cpp context behind a lock (contexts are not thread-safe), "
                   "so concurrent callers queue: throughput stays at the 1-caller rate and latency grows with callers"}


@contextmanager
def llama_server(timeout: float = 120.0):
    """`python -m llama_cpp.server` on 127.0.0.1 with the embedded model; yields (base_url, startup_s)."""
    from tests.llama_server import llama_server as start_server

    with start_server(timeout=timeout) as server:
        yield server.base, server.startup_s


def _probe_adapters(lm, hypotheses, task) -> tuple[list[dict], Any]:
    """One call per adapter: what DSPy sends as response_format, and whether the answer parses."""
    from hyperalign.core.compact_adapter import CompactJSONAdapter
    from hyperalign.programs import ConditionedGeneration

    generation = ConditionedGeneration()
    probes, working = [], None
    for adapter in (dspy.ChatAdapter(), dspy.JSONAdapter(), CompactJSONAdapter()):
        meter = Meter(lm)
        entry: dict[str, Any] = {"adapter": type(adapter).__name__}
        try:
            with dspy.context(lm=lm, adapter=adapter):
                pred = generation(task=task, hypotheses=hypotheses)
            entry.update(ok=True, text=pred.text[:120], placeholder=re.fullmatch(r"\{\w*\}|", pred.text.strip()) is not None)

        except Exception as exc:
            entry.update(ok=False, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        sent = [e.get("kwargs", {}).get("response_format") for e in lm.history[meter.marks[0]:]]
        entry["lm_calls"] = len(sent)
        entry["response_format_sent"] = [_describe_format(f) for f in sent]
        probes.append(entry)
    parsed = [(p["lm_calls"], i) for i, p in enumerate(probes) if p["ok"]]
    adapters = (dspy.ChatAdapter, dspy.JSONAdapter, CompactJSONAdapter)
    working = adapters[min(parsed)[1]]() if parsed else None  # the fewest calls per output
    probes.append(_probe_schema(lm, generation, hypotheses, task))
    return probes, working


def _probe_schema(lm, generation, hypotheses, task) -> dict:
    """The same prompt with a JSON schema in a json_object response_format (what llama.cpp's server
    turns into a grammar), sent with litellm directly: DSPy does not send this form for `openai/*`."""
    import litellm

    from hyperalign.core.compact_adapter import CompactJSONAdapter

    adapter = CompactJSONAdapter()
    messages = adapter.format(generation.write.signature, demos=[], inputs={"task": task, "hypotheses": [h["statement"] for h in hypotheses], "attributes": {}})
    schema = {"type": "object", "properties": {"text": {"type": "string", "minLength": 1}}, "required": ["text"]}
    entry = {"adapter": "litellm direct, response_format json_object + schema", "lm_calls": 1}
    try:
        out = litellm.completion(model=lm.model, messages=messages, response_format={"type": "json_object", "schema": schema},
                                 **{k: v for k, v in lm.kwargs.items() if k in ("api_base", "api_key", "temperature", "max_tokens")})
        text = out.choices[0].message.content or ""
        entry.update(ok=True, text=text[:120])
    except Exception as exc:
        entry.update(ok=False, error=f"{type(exc).__name__}: {str(exc)[:300]}")
    return entry


def _describe_format(fmt: Any) -> Any:
    if fmt is None:
        return None
    if isinstance(fmt, dict):
        return {k: ("(schema)" if k in ("schema", "json_schema") else v) for k, v in fmt.items()}
    return f"pydantic model {getattr(fmt, '__name__', type(fmt).__name__)}"


def throughput_server(bench: Bench) -> dict:
    from hyperalign.core.lm import make_lm

    hypotheses, tasks = _user_and_tasks(bench)
    with llama_server() as (base, startup_s):
        lm = make_lm("openai/smollm2", api_base=base, cache=False, max_tokens=bench.settings.gen_max_tokens, num_retries=0)
        if bench.settings.probe_adapters:
            probes, adapter = _probe_adapters(lm, hypotheses, tasks[0])
        else:
            probes, adapter = [], dspy.JSONAdapter()
        for probe in probes:
            print(f"   adapter {probe['adapter']}: {'ok' if probe['ok'] else probe['error'][:100]}", flush=True)
        result: dict[str, Any] = {"backend": "llama_cpp.server (openai/smollm2)", "startup_s": startup_s, "adapters": probes}
        if adapter is None:
            raise RuntimeError(f"no adapter produced a parseable answer from the server: {probes}")
        result["adapter_used"] = type(adapter).__name__
        result["rows"] = _sweep(bench, lm, adapter, hypotheses, tasks)
    result["why"] = ("llama_cpp.server serves one model instance and handles one completion at a time, so "
                     "requests queue at the server; concurrency adds no throughput on this backend")
    return result
