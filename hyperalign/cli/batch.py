"""`hyperalign batch`: personalize many users' tasks into one Parquet or JSONL file (local or Ray)."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, add_lm_arguments, emit, hypothesis_lm_options, lm_options, print_json
from hyperalign.cli.profiles import add_profiles_option


def register(sub: argparse._SubParsersAction) -> None:
    batch = add_command(
        sub, "batch", help="personalize tasks for many users into a Parquet or JSONL file (local processes or Ray)",
        description="Two stages per user: hypotheses once (from the profile store when the samples, LM and program "
                    "match, else one inference, stored), then one generation per task. Output: one row per (user, "
                    "task) with user_id, task, text, hypotheses, error; Parquet or JSONL by the --out extension. "
                    "Resumable: a rerun skips rows already written and retries failed ones. Exit code 1 when some "
                    "rows failed (their errors are in the output).",
        examples=["hyperalign batch --users users.jsonl --tasks tasks.jsonl --out out.parquet --workers 2",
                  "hyperalign batch --users users.parquet --out out.jsonl --engine ray --ray-address auto"],
    )
    batch.add_argument("--users", required=True, metavar="FILE",
                       help="users table, JSONL or Parquet: user_id, samples (list of texts), attributes (optional), "
                            "tasks (optional list)")
    batch.add_argument("--tasks", metavar="FILE",
                       help="tasks table, JSONL or Parquet: task and optionally user_id (a task without one goes to "
                            "every user)")
    batch.add_argument("--out", required=True, metavar="FILE", help="output file: .parquet or .jsonl")
    batch.add_argument("--engine", choices=("local", "ray"), default="local",
                       help="local: worker processes on this machine (default); ray: Ray Data on a Ray cluster")
    batch.add_argument("--workers", type=int, metavar="N", help="worker processes or Ray actors (default: the core count)")
    batch.add_argument("--ray-address", metavar="ADDRESS",
                       help="join this Ray cluster (env RAY_ADDRESS; 'auto' finds a running one); default: start a local one")
    batch.add_argument("--program", metavar="REF", help="a compiled program: directory or models:/hyperalign-DOMAIN@champion")
    batch.add_argument("--allow-pickle", action="store_true", help="allow loading a pickled program (trusted files only)")
    add_profiles_option(batch)
    batch.add_argument("--no-profiles", action="store_true", help="neither read nor write stored profiles")
    add_lm_arguments(batch)
    batch.set_defaults(func=run, takes_hypothesis_lm=True)  # the hypotheses stage runs on --hypothesis-lm


def render(summary) -> str:
    s = summary
    lines = [
        f"Wrote {s.out}: {s.done} row(s) done, {s.failed} failed, {s.skipped} already done (skipped)",
        f"  users {s.users}: hypotheses inferred for {s.inferred}, stored profiles reused for {s.profiles_reused}",
        f"  LM calls {s.lm_calls} (+{s.cached_calls} from DSPy's cache), tokens {s.prompt_tokens} prompt + "
        f"{s.completion_tokens} output",
        f"  {s.engine} engine, {s.workers} worker(s): {s.seconds} s, {s.outputs_per_s} outputs/s, "
        f"peak memory per worker {s.peak_rss_mb_per_worker} MB"
        + (f", Ray start-up {s.startup_seconds} s" if s.engine == "ray" else ""),
    ]
    if s.torn_lines:
        lines.append(f"  {s.torn_lines} cut-off line(s) of an interrupted run were ignored (their rows were redone)")
    if s.first_error:
        lines.append(f"  first error: {s.first_error}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.batch import BatchConfig, run_batch

    config = BatchConfig(users=args.users, tasks=args.tasks, out=args.out, engine=args.engine, workers=args.workers,
                         program=args.program, allow_pickle=args.allow_pickle, lm_options=lm_options(args),
                         hypothesis_lm_options=hypothesis_lm_options(args),
                         profiles=args.profiles, use_profiles=not args.no_profiles, ray_address=args.ray_address)
    summary = run_batch(config)
    if args.json:
        print_json(summary.to_dict())
    else:
        emit(render(summary))
    return 1 if summary.failed else 0
