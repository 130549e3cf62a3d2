"""Batch section: many users on the local engine and on Ray Data, and what stored profiles save.

Side by side in one run, embedded LM, DSPy's cache off, a fresh profile store per configuration:
local 1 vs 2 worker processes, Ray 1 vs 2 actors (a local cluster started for each, its start-up
timed apart), and a second local run over the same users with the first run's profile store (the
inference calls it saves). Every configuration records the load average around it: on a shared
machine, other processes take cores from the workers, and the speed-ups show it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

USERS, TASKS = 6, 2  # default run: 6 inferences + 12 generations per configuration: more users than workers (see docs/performance.md)
QUICK_USERS, QUICK_TASKS = 2, 1


def _inputs(folder: Path, users: int, tasks: int) -> tuple[Path, Path]:
    from hyperalign.data import load_demo_tasks, load_users

    # The demo users whose first three e-mails are closest in length: with one user per worker, unequal
    # users would measure the imbalance, not the parallelism.
    ranked = sorted(load_users("demo"), key=lambda u: sum(len(t) for t in u.samples[:3]))
    length = [sum(len(t) for t in u.samples[:3]) for u in ranked]
    start = min(range(len(ranked) - users + 1), key=lambda i: length[i + users - 1] - length[i])
    chosen = ranked[start:start + users]
    users_path, tasks_path = folder / "users.jsonl", folder / "tasks.jsonl"
    users_path.write_text("".join(json.dumps({"user_id": u.id, "samples": u.samples[:3], "attributes": u.attributes})
                                  + "\n" for u in chosen), encoding="utf-8")
    tasks_path.write_text("".join(json.dumps({"task": t}) + "\n" for t in load_demo_tasks()[:tasks]), encoding="utf-8")
    return users_path, tasks_path


def _run(folder: Path, name: str, users: Path, tasks: Path, lm: str, engine: str, workers: int,
         profiles: Path | None = None) -> dict:
    import ray

    from hyperalign.batch import BatchConfig, run_batch

    load_before = os.getloadavg()[0]
    config = BatchConfig(users=users, tasks=tasks, out=folder / f"{name}.jsonl", engine=engine, workers=workers,
                         lm_options={"model": lm, "cache": False}, profiles=profiles or folder / f"{name}.sqlite")
    try:
        summary = run_batch(config).to_dict()
    finally:
        if engine == "ray":
            ray.shutdown()
    summary["load_average_before"], summary["load_average_after"] = round(load_before, 2), round(os.getloadavg()[0], 2)
    summary["profiles"] = str(config.profiles)
    # CPU time per output does not depend on what else runs: equal at 1 and 2 workers means no
    # parallel overhead, whatever share of the cores the machine's other processes left.
    summary["cpu_s_per_output"] = round(summary["cpu_seconds"] / summary["done"], 2) if summary.get("done") else None
    print(f"   {name}: {summary['done']} done, {summary['failed']} failed in {summary['seconds']} s "
          f"({summary['outputs_per_s']} outputs/s), load {summary['load_average_before']}→{summary['load_average_after']}",
          flush=True)
    return summary


CEILING_TOKENS = 200  # decoded per process, greedy, one llama.cpp thread each, after a ~1,500-token prompt
CEILING_PROMPT = "The committee met on Tuesday to debate the budget, the roads and the school. " * 100


def _decode(start_at: float) -> tuple[float, float, int]:
    """One spawned process: load the embedded model with one thread, wait for `start_at` (so every
    process works at the same time), read a long prompt and decode; (start, end, tokens)."""
    import time

    from llama_cpp import Llama

    from hyperalign.core.embedded import model_path

    llama = Llama(model_path=str(model_path()), n_ctx=4096, n_threads=1, n_threads_batch=1, verbose=False)
    time.sleep(max(0.0, start_at - time.time()))
    start = time.time()
    out = llama.create_completion(CEILING_PROMPT, max_tokens=CEILING_TOKENS, temperature=0.0)
    usage = out["usage"]
    return start, time.time(), usage["prompt_tokens"] + usage["completion_tokens"]


def machine_ceiling() -> dict:
    """What the machine allows before any of the program runs: bare llama.cpp (no DSPy, no program)
    reading a long prompt and decoding, in one process, then in two at once. Two workers cannot beat
    this ratio."""
    import multiprocessing
    import time

    context = multiprocessing.get_context("spawn")
    rates = {}
    for n in (1, 2):
        with context.Pool(n) as pool:
            results = pool.map(_decode, [time.time() + 10] * n)
        rates[n] = sum(r[2] for r in results) / (max(r[1] for r in results) - min(r[0] for r in results))
    return {"tokens_per_s_1_process": round(rates[1], 1), "tokens_per_s_2_processes": round(rates[2], 1),
            "ratio_2_vs_1": round(rates[2] / rates[1], 2), "decoded_tokens_per_process": CEILING_TOKENS}


def _ratio(a: dict | None, b: dict | None) -> float | None:
    if not a or not b or not a["outputs_per_s"] or not b["outputs_per_s"]:
        return None
    return round(b["outputs_per_s"] / a["outputs_per_s"], 2)


def batch_section(lm: str, quick: bool) -> dict:
    """Run every configuration and return the figures (quick: local 2 workers + the profile rerun)."""
    users, tasks = (QUICK_USERS, QUICK_TASKS) if quick else (USERS, TASKS)
    with tempfile.TemporaryDirectory(prefix="hyperalign-bench-batch-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("HYPERALIGN_EMBEDDED_THREADS", "1")  # one LM thread per worker
        users_path, tasks_path = _inputs(folder, users, tasks)
        runs: dict[str, dict] = {}
        ceiling = None if quick else machine_ceiling()
        if not quick:
            runs["local_1"] = _run(folder, "local_1", users_path, tasks_path, lm, "local", 1)
        runs["local_2"] = _run(folder, "local_2", users_path, tasks_path, lm, "local", 2)
        # Right after the run it reuses: the profiles hold while the program's code stays the same.
        rerun = _run(folder, "local_2_stored_profiles", users_path, tasks_path, lm, "local", 2,
                     profiles=Path(runs["local_2"]["profiles"]))
        if not quick:
            for name, workers in (("ray_1", 1), ("ray_2", 2)):
                runs[name] = _run(folder, name, users_path, tasks_path, lm, "ray", workers)
    first = runs["local_2"]
    per_user = {k: round(first[k] / first["users"], 1) for k in ("lm_calls", "prompt_tokens", "completion_tokens")}
    per_user["worker_seconds"] = round(first["seconds"] * first["workers"] / first["users"], 1)
    return {
        "users": users, "tasks_per_user": tasks, "runs": runs, "stored_profiles_rerun": rerun, "machine_ceiling": ceiling,
        "local_speedup_2_vs_1": _ratio(runs.get("local_1"), runs.get("local_2")), "local_goal": 1.7,
        "ray_speedup_2_vs_1": _ratio(runs.get("ray_1"), runs.get("ray_2")), "ray_goal": 1.6,
        "ray_vs_local_at_2": _ratio(runs.get("local_2"), runs.get("ray_2")),
        "ray_startup_s": [runs[n]["startup_seconds"] for n in ("ray_1", "ray_2") if n in runs],
        "peak_rss_mb_per_worker": {n: r["peak_rss_mb_per_worker"] for n, r in {**runs, "rerun": rerun}.items()},
        "inference_calls_first_run": first["inferred"], "inference_calls_second_run": rerun["inferred"],
        "lm_calls_saved_by_profiles": first["lm_calls"] - rerun["lm_calls"],
        "cost_per_user": {**per_user, "tasks": tasks, "note": f"local_2 run, {first['workers']} workers"},
    }


def batch_rows(section: dict) -> list[tuple[str, str, str]]:
    """Rows for the benchmark table."""
    out = []
    for name, run in section["runs"].items():
        out.append((f"batch {name}: outputs/s", str(run["outputs_per_s"]),
                    f"{run['done']} rows in {run['seconds']} s; CPU {run.get('cpu_s_per_output')} s/output; "
                    f"{run['lm_calls']} LM calls; peak RSS/worker "
                    f"{run['peak_rss_mb_per_worker']} MB; load {run['load_average_before']}→{run['load_average_after']}"))
    for key, goal, label in (("local_speedup_2_vs_1", "local_goal", "batch local 2 vs 1 workers"),
                             ("ray_speedup_2_vs_1", "ray_goal", "batch Ray 2 vs 1 actors")):
        if section.get(key) is not None:
            out.append((label, f"x{section[key]}", f"goal ≥ {section[goal]}: {'MET' if section[key] >= section[goal] else 'MISSED'}"))
    if section.get("machine_ceiling"):
        c = section["machine_ceiling"]
        out.append(("batch machine ceiling: bare llama.cpp, 2 vs 1 processes", f"x{c['ratio_2_vs_1']}",
                    f"{c['tokens_per_s_1_process']} vs {c['tokens_per_s_2_processes']} tokens/s, one thread each: "
                    "no batch engine can scale past this here"))
    if section.get("ray_vs_local_at_2") is not None:
        out.append(("batch Ray / local at 2 workers", f"x{section['ray_vs_local_at_2']}", ""))
    if section.get("ray_startup_s"):
        out.append(("batch Ray start-up (s)", " / ".join(str(s) for s in section["ray_startup_s"]), "ray.init of a local cluster"))
    rerun = section["stored_profiles_rerun"]
    out.append(("batch rerun with stored profiles: inference calls", str(section["inference_calls_second_run"]),
                f"first run {section['inference_calls_first_run']}; LM calls saved {section['lm_calls_saved_by_profiles']}; "
                f"{rerun['outputs_per_s']} outputs/s"))
    return out
