"""LM servers: the project's own llama.cpp server (`python -m llama_cpp.server`, bundled model) reached
as `openai/smollm2` through LiteLLM.

1. Structured output: the same outputs (a demo user's hypotheses, then one e-mail) with the output's
   JSON schema sent (`--structured schema`) vs not (`json`: a JSON object is asked for, `off`: nothing,
   DSPy's ChatAdapter): outputs/s, parse failures, LM calls per output.
2. Several servers: concurrent callers writing e-mails through one server vs two server processes
   behind LiteLLM's Router (`--api-base A,B`): outputs/s and the ratio (goal ≥ 1.7×). Each server
   runs one llama.cpp thread; the machine's load average is recorded beside the figures.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root: tests.llama_server

from tests.llama_server import MODEL_ALIAS, llama_server  # noqa: E402

TASKS = ["Write an email telling staff the wifi will be down tonight.",
         "Write an email asking the team to cover the Friday support shift.",
         "Write an email reminding everyone to submit their expense reports by Monday."]


def _settings(quick: bool) -> dict:
    # max_tokens as the embedded LM's (1024): a schema-constrained hypotheses answer needs ~500; an
    # unconstrained one that loops stops there.
    if quick:
        return {"users": 1, "max_tokens": 1024, "callers": 2, "outputs_per_caller": 1, "timeout": 600}
    return {"users": 2, "max_tokens": 1024, "callers": 4, "outputs_per_caller": 2, "timeout": 600}


def _lm(bases: list[str], structured: str, settings: dict):
    from hyperalign.core.lm import make_lm

    return make_lm(f"openai/{MODEL_ALIAS}", api_base=",".join(bases), structured=structured, cache=False,
                   num_retries=0, max_tokens=settings["max_tokens"], timeout=settings["timeout"])


def structured_modes(base: str, settings: dict) -> list[dict]:
    """Per mode: each demo user's hypotheses and one e-mail from them (two outputs per user)."""
    import dspy

    from hyperalign.core.lm import lm_context
    from hyperalign.core.lm_errors import lm_errors
    from hyperalign.data import load_users
    from hyperalign.programs import HyPerAlign

    users = load_users("demo")[: settings["users"]]
    rows = []
    for mode in ("schema", "json", "off"):
        lm = _lm([base], mode, settings)
        parsed = failed = 0
        errors: list[str] = []
        steps: list = []  # one entry per predictor call: LM calls beyond these are adapter fallbacks
        start = time.perf_counter()
        for i, user in enumerate(users):
            program = HyPerAlign()
            with lm_context(lm), dspy.context(trace=steps):
                try:
                    with lm_errors():
                        hypotheses, _ = program.infer_hypotheses(user.samples[:3])
                    parsed += 1
                except Exception as exc:  # counted: a parse failure is the figure
                    failed, hypotheses = failed + 1, None
                    errors.append(f"hypotheses: {str(exc)[:160]}")
                if hypotheses is None:
                    failed += 1  # no hypotheses, so no e-mail either
                    continue
                try:
                    with lm_errors():
                        program(samples=user.samples[:3], task=TASKS[i % len(TASKS)], hypotheses=hypotheses)
                    parsed += 1
                except Exception as exc:
                    failed += 1
                    errors.append(f"text: {str(exc)[:160]}")
        wall = time.perf_counter() - start
        outputs = 2 * len(users)
        rows.append({"structured": mode, "adapter": type(_adapter(lm)).__name__, "outputs": outputs,
                     "parsed": parsed, "parse_failures": failed, "lm_calls": len(lm.history),
                     "predictor_steps": len(steps), "fallback_calls": len(lm.history) - len(steps),
                     "lm_calls_per_output": round(len(lm.history) / outputs, 2), "wall_s": round(wall, 1),
                     "parsed_outputs_per_s": round(parsed / wall, 4), "first_error": errors[0] if errors else None})
        print(f"   {mode}: {parsed}/{outputs} parsed, {len(lm.history)} LM calls for {len(steps)} steps, {wall:.0f} s", flush=True)
    return rows


def _adapter(lm):
    from hyperalign.core.lm import adapter_for

    return adapter_for(lm)


def router_scaling(first, second, settings: dict) -> dict:
    """Concurrent callers writing e-mails through one server, then through both behind the Router."""
    from hyperalign.api import infer_hypotheses
    from hyperalign.data import load_users

    user = load_users("demo")[0]
    hypotheses = infer_hypotheses(user.samples[:3], lm=_lm([first.base], "schema", settings))
    from bench_throughput import _run_callers

    from hyperalign.programs import ConditionedGeneration

    rows = {}
    for label, servers in (("1 server", [first]), ("2 servers (Router)", [first, second])):
        lm = _lm([server.base for server in servers], "schema", settings)
        before = [server.chat_requests() for server in servers]
        load_before = os.getloadavg()[0]
        rows[label] = _run_callers(lm, _adapter(lm), ConditionedGeneration(), hypotheses, TASKS, settings["callers"],
                                   settings["outputs_per_caller"])
        rows[label].update(load_average_before=round(load_before, 2), load_average_after=round(os.getloadavg()[0], 2),
                           calls_per_server=[server.chat_requests() - seen for server, seen in zip(servers, before, strict=False)])
        print(f"   {label}: {rows[label]['outputs_per_s']} outputs/s (load {rows[label]['load_average_before']})", flush=True)
    one, two = rows["1 server"]["outputs_per_s"], rows["2 servers (Router)"]["outputs_per_s"]
    ratio = round(two / one, 2) if one else None
    return {"rows": rows, "callers": settings["callers"], "ratio": ratio, "goal": 1.7,
            "met": ratio is not None and ratio >= 1.7}


def servers(quick: bool = False, parts: tuple[str, ...] = ("structured", "router")) -> dict:
    settings = _settings(quick)
    result: dict = {"settings": settings, "cores": os.cpu_count(), "structured": [], "router": None}
    with ExitStack() as stack:
        first = stack.enter_context(llama_server(threads=1))
        second = stack.enter_context(llama_server(threads=1))
        result["startup_s"] = [first.startup_s, second.startup_s]
        if "structured" in parts:
            result["structured"] = structured_modes(first.base, settings)
        if "router" in parts:
            result["router"] = router_scaling(first, second, settings)
    return result


def servers_rows(result: dict) -> list[tuple[str, str, str]]:
    out = []
    for row in result["structured"]:
        out.append((f"servers: structured={row['structured']}", f"{row['parsed']}/{row['outputs']} parsed",
                    f"{row['parse_failures']} parse failures; {row['lm_calls_per_output']} LM calls/output "
                    f"({row.get('fallback_calls', '?')} beyond the program's steps); "
                    f"{row['parsed_outputs_per_s']} parsed outputs/s"))
    router = result["router"]
    if router is None:
        return out
    for label, row in router["rows"].items():
        out.append((f"servers: {label}, {router['callers']} callers", f"{row['outputs_per_s']} outputs/s",
                    f"calls per server {row.get('calls_per_server')}; errors {row['errors']}; "
                    f"load {row['load_average_before']}→{row['load_average_after']}"))
    out.append(("servers: 2 vs 1 server", f"x{router['ratio']}", f"goal ≥ {router['goal']}: {'MET' if router['met'] else 'MISSED'}"))
    return out


if __name__ == "__main__":  # one part alone: python tests/benchmarks/bench_servers.py router [--quick]
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_common import offline_env

    offline_env()
    chosen = tuple(a for a in sys.argv[1:] if not a.startswith("--")) or ("structured", "router")
    print(json.dumps(servers("--quick" in sys.argv, chosen), indent=1))
