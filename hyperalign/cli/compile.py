"""`hyperalign compile DOMAIN`: tune the domain's program with a DSPy optimizer, track it in MLflow."""

from __future__ import annotations

import argparse
import signal

from hyperalign.cli.common import add_command, add_lm_arguments, config_from_args, domain_help, emit, lm_from_args, print_json
from hyperalign.optimize.compile.budgets import BUDGETS, OPTIMIZERS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "compile",
        help="compile a domain's program with a DSPy optimizer and register it in MLflow",
        description=__doc__,
        examples=["hyperalign compile demo", "hyperalign compile email --optimizer bootstrap --budget light --json",
                  "hyperalign compile news --path ccat50.jsonl --lm openai/gpt-4o-mini --judge-lm openai/gpt-4o"],
    )
    parser.add_argument("domain", metavar="DOMAIN", help=domain_help())
    parser.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="bootstrap", help="DSPy optimizer (default bootstrap)")
    parser.add_argument("--budget", choices=list(BUDGETS), default="light", help="data and search size (default light)")
    parser.add_argument("--metric", help="stylometric (default for writing domains), llm-pairwise or blend")
    parser.add_argument("--judge-lm", help="LM of the pairwise judge (default: the program's LM)")
    parser.add_argument("--reflection-lm", help="GEPA's reflection LM (default: the program's LM)")
    parser.add_argument("--train-users", type=int, help="training users (default: the budget's)")
    parser.add_argument("--val-users", type=int, help="validation users, the optimizer's own scoring (default: the budget's)")
    parser.add_argument("--train-tasks-per-user", type=int, help="held-out tasks per training user (default: the budget's)")
    parser.add_argument("--val-tasks-per-user", type=int, help="held-out tasks per validation user (default: the budget's)")
    parser.add_argument("--test-users", type=int, help="unseen users the compile is judged on, before and after (default: the budget's)")
    parser.add_argument("--test-tasks-per-user", type=int, help="held-out tasks per test user (default: the budget's)")
    parser.add_argument("--k", type=int, default=5, help="sample texts per user (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the user split (default 0)")
    parser.add_argument("--out", help="output directory (default: a new folder under the per-user data directory)")
    parser.add_argument("--overwrite", action="store_true",
                        help="write into a non-empty --out folder hyperalign did not create (only its own files are replaced)")
    parser.add_argument("--tracking-uri", help="MLflow store (default $MLFLOW_TRACKING_URI, else a per-user sqlite file)")
    parser.add_argument("--no-log-texts", action="store_true",
                        help="keep every user text out of MLflow: no program artifact (its demonstrations are users' texts), "
                             "no registered model; scores, plot and ids are still logged")
    parser.add_argument("--no-register", action="store_true", help="do not log the program as a registered MLflow model")
    add_lm_arguments(parser)
    parser.set_defaults(func=run)


def interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.compile.run import CompileConfig, compile_domain
    from hyperalign.optimize.evaluation.reports import MIN_USERS_FOR_INTERVAL, small_sample_note

    # `kill`/timeout send SIGTERM: treat it like Ctrl-C so the run is marked FAILED and staging removed.
    signal.signal(signal.SIGTERM, interrupt)

    config = config_from_args(CompileConfig, args, lm=lm_from_args(args), register=not args.no_register,
                              log_texts=not args.no_log_texts)
    result = compile_domain(config)
    manifest = result.manifest
    if args.json:
        print_json(result_json(args, result))
        return 0
    emit(f"domain {manifest['domain']}: {args.optimizer} ({args.budget}), metric {manifest['metric']}, LM {manifest['lm']}")
    split, verdict = manifest["split"], result.verdict
    d = verdict.vs_uncompiled
    emit(f"test users (never seen while compiling): {', '.join(split['test_users'])} ({split['test_examples']} item(s))")
    interval = (f"[n/a ({d.users} user{'' if d.users == 1 else 's'})]" if d.users < MIN_USERS_FOR_INTERVAL
                else f"[{d.low:+.1f}, {d.high:+.1f}] (95% CI over {d.users} users)")
    emit(f"test score: {result.score_before:.1f} uncompiled -> {result.score_after:.1f} compiled, "
         f"difference {d.mean:+.1f} {interval}")
    if d.users < MIN_USERS_FOR_INTERVAL:
        emit(small_sample_note(d.users))
    if verdict.refused_demos:
        emit("demonstrations refused: " + ", ".join(f"{n} {reason}" for reason, n in verdict.refused_demos.items()))
    emit(f"LM calls: {result.lm_calls} ({result.lm_calls_cached} answered from cache)   wall time: {result.seconds:.0f} s")
    emit(f"program: {result.out}")
    emit(f"MLflow run: {result.run_id}")
    if result.version:
        emit(f"registered: models:/hyperalign-{manifest['domain']}/{result.version}")
    emit(f"champion: {result.champion_note}")
    return 0


def result_json(args: argparse.Namespace, result) -> dict:
    """What --json prints: the compile's outcome and where its program and run are."""
    manifest, d = result.manifest, result.verdict.vs_uncompiled
    return {
        "domain": manifest["domain"], "optimizer": args.optimizer, "budget": args.budget, "metric": manifest["metric"],
        "lm": manifest["lm"], "test_users": manifest["split"]["test_users"],
        "score_before": result.score_before, "score_after": result.score_after,
        "difference": {"mean": d.mean, "low": d.low, "high": d.high, "users": d.users},
        "lm_calls": result.lm_calls, "lm_calls_cached": result.lm_calls_cached, "seconds": round(result.seconds, 1),
        "program": str(result.out), "run_id": result.run_id, "version": result.version, "champion": result.champion_note,
    }
