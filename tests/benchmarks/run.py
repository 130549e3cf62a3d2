"""hyperalign performance benchmark: cost, overhead and throughput against the alternatives, in one run.

    python tests/benchmarks/run.py [--quick] [--lm MODEL] [--out DIR]

Runs on the embedded LM by default. Every section is measured side by side in this run; a section that
fails is recorded with its error and the others still run. Writes DIR/benchmark.json and
DIR/benchmark.md and prints a table. DSPy's cache is off for every in-process call; child processes
get an empty cache directory.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import DEFAULT, QUICK, offline_env, section, settings_dict  # noqa: E402

SECTIONS = ("lm_calls_for_tasks", "overhead", "prompt_tokens", "quality", "throughput_inprocess",
            "throughput_server", "cold_start", "compile", "batch", "serving", "servers", "judge")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs and few calls (CI smoke run, < 3 min)")
    parser.add_argument("--lm", default="embedded", help="model string for hyperalign.core.lm.make_lm (default: embedded)")
    parser.add_argument("--out", default="benchmark-results", help="directory for benchmark.json and benchmark.md")
    parser.add_argument("--quality-users", type=int, metavar="N", help="at most N users per set (CMCC, CCAT50, demo) in the quality section")
    parser.add_argument("--quality-sets", metavar="SETS", help="comma-separated subset of email,news,demo for the quality section")
    parser.add_argument("--sections", help=f"comma-separated subset to run (default all: {','.join(SECTIONS)})")
    args = parser.parse_args(argv)
    wanted = set(args.sections.split(",")) if args.sections else set(SECTIONS)
    if wanted - set(SECTIONS):
        parser.error(f"unknown sections: {', '.join(sorted(wanted - set(SECTIONS)))}")
    offline_env()

    from bench_batch import batch_section
    from bench_inprocess import (
        Bench,
        framework_overhead,
        lm_calls_for_tasks,
        prompt_tokens,
    )
    from bench_quality import quality_section
    from bench_report import table, write_outputs
    from bench_subprocess import cold_start, compile_cost
    from bench_throughput import throughput_inprocess, throughput_server

    settings = QUICK if args.quick else DEFAULT
    if args.quality_users is not None:
        settings = replace(settings, quality_news_users=args.quality_users, quality_email_users=args.quality_users)
    started = time.perf_counter()
    results: dict = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "quick": args.quick, "lm": args.lm,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "embedded_threads": os.environ.get("HYPERALIGN_EMBEDDED_THREADS"),
                    "load_average_at_start": list(os.getloadavg())},
        "settings": settings_dict(settings), "sections": {},
    }
    sections = results["sections"]
    bench_holder: dict = {}
    out_dir = Path(args.out)

    def run_section(name: str, fn) -> None:
        if name not in wanted:
            return
        section(name, fn, sections)
        results["total_seconds"] = round(time.perf_counter() - started, 1)
        write_outputs(results, out_dir)  # after every section: an interrupted run still leaves its figures

    def bench() -> Bench:
        if "bench" not in bench_holder:
            bench_holder["bench"] = Bench(args.lm, settings)
        return bench_holder["bench"]

    run_section("lm_calls_for_tasks", lambda: lm_calls_for_tasks(bench()))
    run_section("overhead", lambda: framework_overhead(bench()))
    run_section("prompt_tokens", lambda: prompt_tokens(bench()))
    quality_sets = tuple(args.quality_sets.split(",")) if args.quality_sets else None
    run_section("quality", lambda: quality_section(args.lm, args.quick, args.quality_users, out_dir, quality_sets))
    run_section("throughput_inprocess", lambda: throughput_inprocess(bench()))
    from hyperalign.core.lm import is_embedded, resolve_model

    if not is_embedded(resolve_model(args.lm)) and "throughput_server" in wanted:
        sections["throughput_server"] = {"ok": True, "rows": [], "note": "the local llama.cpp server serves the embedded model only"}
    else:
        run_section("throughput_server", lambda: throughput_server(bench()))
    run_section("cold_start", lambda: cold_start(settings, args.lm))
    run_section("compile", lambda: compile_cost(settings, args.lm))
    run_section("batch", lambda: batch_section(args.lm, args.quick))
    run_section("serving", lambda: __import__("bench_serving").serving_section(args.lm, args.quick))
    run_section("servers", lambda: __import__("bench_servers").servers(args.quick))
    run_section("judge", lambda: __import__("bench_judge").judge_section(args.quick))

    results["machine"]["load_average_at_end"] = list(os.getloadavg())
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    json_path, md_path = write_outputs(results, out_dir)
    print("\n" + table(results))
    print(f"\ntotal {results['total_seconds']} s; wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
