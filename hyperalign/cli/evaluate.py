"""`hyperalign evaluate DOMAIN`: a program against baselines (and outputs from elsewhere) on held-out users.

Each domain's spec names its evaluation (hyperalign.optimize.domains.<domain>.evaluation).
"""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, add_lm_arguments, domain_help, emit, lm_from_args, print_json
from hyperalign.cli.common import config_from_args as common_config_from_args
from hyperalign.core.imports import import_attr
from hyperalign.optimize.domains import domain_spec


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "evaluate", help="compare a program with baselines on held-out users (win rates with 95%% CIs)",
        description=__doc__,
        examples=["hyperalign evaluate demo --limit 4", "hyperalign evaluate email --program models:/hyperalign-email@champion --json",
                  "hyperalign evaluate deliberative --path xstest.csv --users 5 --lm openai/gpt-4o-mini"],
    )
    parser.add_argument("domain", metavar="DOMAIN", help=domain_help())
    parser.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    parser.add_argument("--systems", metavar="NAME=SPEC,...",
                        help="writing domains: the systems to compare, every pair judged; SPEC is hyperalign, zero-shot, "
                             "few-shot, a compiled-program directory or models:/ URI, or a JSONL outputs FILE of "
                             "{user_id, item_id|task, response} (may cover a subset; `data show DOMAIN --items` lists the "
                             "ids). Files alone need no LM. A program SPEC may end in ';hypothesis-lm=MODEL' (MODEL "
                             "infers the hypotheses, --lm writes). --program/--against are a shorthand")
    parser.add_argument("--program", default="baseline",
                        help="a compiled-program directory or models:/ URI, or 'baseline' (an uncompiled HyPerAlign)")
    parser.add_argument("--against", default="zero-shot,few-shot",
                        help="comparators, comma-separated: zero-shot, few-shot, and/or a JSONL file of "
                             "{user_id, task, response} (default zero-shot,few-shot)")
    parser.add_argument("--judge", choices=("authorship", "stylometric", "llm"), default="authorship",
                        help="authorship (default: style x originality x task fidelity x sanity, offline), stylometric "
                             "(style only, offline) or llm (pairwise LLM judge, both orders)")
    parser.add_argument("--judge-lm", help="LM of the pairwise judge (default: the task LM)")
    parser.add_argument("--limit", type=int, help="evaluate only the first N held-out items")
    parser.add_argument("--out", help="report folder (default hyperalign-evaluation/DOMAIN); rerunning resumes from its cache")
    parser.add_argument("--overwrite", action="store_true",
                        help="write into a non-empty --out folder hyperalign did not create (only its report files are replaced)")
    parser.add_argument("--users", type=int, help="evaluate at most N held-out users")
    parser.add_argument("--turns", type=int, help="aloe only: conversation turns per user")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data split and the bootstrap (default 0)")
    parser.add_argument("--k", type=int, default=5, help="sample texts per user (default 5)")
    parser.add_argument("--train-users", type=int, help="users held back for training when --program is baseline "
                                                        "(default 3, as compile's light budget; a compiled program's own split is used otherwise)")
    parser.add_argument("--val-users", type=int, help="users held back for validation (default 2)")
    parser.add_argument("--no-track", action="store_true", help="do not log the report to MLflow")
    parser.add_argument("--tracking-uri", help="MLflow store (default $MLFLOW_TRACKING_URI, else a per-user sqlite file)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (one line per stage instead)")
    add_lm_arguments(parser)
    parser.set_defaults(func=run)


def config_from_args(args: argparse.Namespace):
    """The parsed flags as the library's EvaluateConfig."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.evaluation.config import EvaluateConfig

    return common_config_from_args(EvaluateConfig, args, lm=lm_from_args(args) if needs_lm(args) else None,
                                   track=not args.no_track, progress=not args.no_progress)


def needs_lm(args: argparse.Namespace) -> bool:
    """Whether the evaluation calls an LM (every --systems SPEC a file and an offline judge: no)."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.evaluation.systems import needs_lm as systems_need_lm

    return systems_need_lm(getattr(args, "systems", None), args.judge)


def run(args: argparse.Namespace) -> int:
    spec = domain_spec(args.domain)
    evaluate = import_attr(spec.evaluation, f"the '{spec.name}' evaluation")
    config = config_from_args(args)
    config.preflight()  # report folder and MLflow store, before any LM call
    outcome = evaluate(config)
    if args.json:
        print_json(outcome.as_json())
        return 0
    for line in outcome.lines:
        emit(line)
    emit("wrote " + ", ".join(str(p) for p in outcome.files))
    if outcome.run_id:
        emit(f"logged to MLflow: run {outcome.run_id}")
    return 0
