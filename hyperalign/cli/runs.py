"""`hyperalign runs DOMAIN`: the compiled variants of a domain side by side, newest first."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, domain_help, emit, print_json
from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.optimize.tracking.preflight import check_store

MAX_LIMIT = 10_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "runs", help="list a domain's compiled variants tracked in MLflow", description=__doc__,
                         examples=["hyperalign runs email", "hyperalign runs news --tracking-uri sqlite:///mlflow.db --json"])
    parser.add_argument("domain", metavar="DOMAIN", help="the domain whose compile runs to list; " + domain_help())
    parser.add_argument("--tracking-uri", help="MLflow store (default $MLFLOW_TRACKING_URI, else a per-user sqlite file)")
    parser.add_argument("--limit", type=run_limit, default=50, help=f"most recent runs to show, 1 to {MAX_LIMIT} (default 50)")
    parser.set_defaults(func=run)


def run_limit(text: str) -> int:
    """--limit: a whole number of runs the store can be asked for at once (MLflow pages past 50000)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is out of range (1 to {MAX_LIMIT})")
    return value


def run(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.tracking.runs import list_variants, render_table

    uri = check_store(resolve_tracking_uri(args.tracking_uri), write=False)  # reading never creates a store
    rows = list_variants(args.domain, uri, limit=args.limit)
    if args.json:
        print_json({"domain": args.domain, "store": uri, "variants": rows})
        return 0
    if not rows:
        emit(f"no compiled variants of '{args.domain}' in {uri}")
        return 0
    for line in render_table(rows):
        emit(line)
    emit(f"\nstore: {uri}\nopen it in the MLflow UI: mlflow ui --backend-store-uri {uri}")
    return 0
