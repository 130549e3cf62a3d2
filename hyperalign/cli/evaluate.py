"""`hyperalign evaluate DOMAIN`: a program against baselines (and outputs from elsewhere) on held-out users.

Writing domains (email, news, essay, blog, demo) run here; `deliberative` and `aloe` hand over to
their own evaluations (hyperalign.optimize.<domain>.evaluation:run_from_args).
"""

from __future__ import annotations

import argparse
import importlib

# Domains whose evaluation lives in their own module.
DELEGATED = {
    "deliberative": "hyperalign.optimize.deliberative.evaluation",
    "aloe": "hyperalign.optimize.aloe.evaluation",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="compare a program with baselines on held-out users (win rates with 95%% CIs)", description=__doc__
    )
    parser.add_argument("domain", metavar="DOMAIN", help="email, news, essay, blog, demo; deliberative; aloe")
    parser.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    parser.add_argument("--program", default="baseline",
                        help="a compiled-program directory or models:/ URI, or 'baseline' (an uncompiled HyPerAlign)")
    parser.add_argument("--against", default="zero-shot,few-shot",
                        help="comparators, comma-separated: zero-shot, few-shot, and/or a JSONL file of "
                             "{user_id, task, response} (default zero-shot,few-shot)")
    parser.add_argument("--judge", choices=("stylometric", "llm"), default="stylometric",
                        help="stylometric (offline, no LM calls) or llm (pairwise, both orders)")
    parser.add_argument("--lm", help="task LM (default $HYPERALIGN_LM, else embedded)")
    parser.add_argument("--judge-lm", help="LM of the pairwise judge (default: the task LM)")
    parser.add_argument("--limit", type=int, help="evaluate only the first N held-out items")
    parser.add_argument("--out", help="report folder (default hyperalign-evaluation/DOMAIN); rerunning resumes from its cache")
    parser.add_argument("--users", type=int, help="evaluate at most N held-out users")
    parser.add_argument("--turns", type=int, help="aloe only: conversation turns per user")
    parser.add_argument("--seed", type=int, default=0, help="seed of the data split and the bootstrap (default 0)")
    parser.add_argument("--k", type=int, default=5, help="sample texts per user (default 5)")
    parser.add_argument("--train-users", type=int, help="users held back for training when --program is baseline "
                                                        f"(default 3, as compile's light budget; a compiled program's own split is used otherwise)")
    parser.add_argument("--val-users", type=int, help="users held back for validation (default 2)")
    parser.add_argument("--no-track", action="store_true", help="do not log the report to MLflow")
    parser.add_argument("--tracking-uri", help="MLflow store (default $MLFLOW_TRACKING_URI, else a per-user sqlite file)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.domain in DELEGATED:
        return delegate(args)
    from hyperalign.optimize.evaluation.authorship import evaluate_authorship

    return evaluate_authorship(args)


def delegate(args: argparse.Namespace) -> int:
    from hyperalign.errors import InputError

    name = DELEGATED[args.domain]
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if name.startswith(exc.name or "\0"):
            raise InputError(f"the '{args.domain}' evaluation is not installed ({name} is missing)") from exc
        raise
    return int(module.run_from_args(args))
