"""`hyperalign runs DOMAIN`: the compiled variants of a domain side by side, newest first."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, domain_help, emit, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "runs", help="list a domain's compiled variants tracked in MLflow", description=__doc__,
                         examples=["hyperalign runs email", "hyperalign runs news --tracking-uri sqlite:///mlflow.db --json"])
    parser.add_argument("domain", metavar="DOMAIN", help="the domain whose compile runs to list; " + domain_help())
    parser.add_argument("--tracking-uri", help="MLflow store (default $MLFLOW_TRACKING_URI, else a per-user sqlite file)")
    parser.add_argument("--limit", type=int, default=50, help="most recent runs to show (default 50)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from hyperalign.core.paths import resolve_tracking_uri
    from hyperalign.optimize.tracking.runs import list_variants, render_table

    uri = resolve_tracking_uri(args.tracking_uri)
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
