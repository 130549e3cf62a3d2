"""`hyperalign data show|check DOMAIN`: summarise a corpus, or validate it and list every problem."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, domain_help, emit, print_json
from hyperalign.core.errors import InputError
from hyperalign.data import collect_problems
from hyperalign.data.summary import summarise
from hyperalign.optimize.domains import domain_spec


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "data", help="summarise or validate a corpus", description=__doc__,
                         examples=["hyperalign data show news --path ../shared/data/ccat50/ccat50.jsonl",
                                   "hyperalign data check demo --json"])
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION", required=True)

    show = add_command(actions, "show", help="load a corpus and print a summary",
                       description="Load a domain's corpus (users, texts, held-out tasks) and print a summary.",
                       examples=["hyperalign data show demo", "hyperalign data show email --path cmcc.jsonl --k 3 --json"])
    _common_arguments(show)
    show.add_argument("--seed", type=int, default=0, help="seed of the sample/held-out split (default 0)")
    show.add_argument("--n", type=int, default=10, help="aloe only: simulated users to pair (default 10)")
    show.add_argument("--items", action="store_true",
                      help="writing domains: list every held-out item (item_id, user_id, task), the ids an outputs "
                           "file for `evaluate --systems` may name")
    show.set_defaults(func=show_data)

    check = add_command(actions, "check", help="validate a corpus; report every problem with file and line",
                        description="Validate a domain's corpus and list every problem with its file and line; "
                                    "exits 1 when there is any.",
                        examples=["hyperalign data check news --path ccat50.jsonl", "hyperalign data check demo --json"])
    _common_arguments(check)
    check.set_defaults(func=check_data)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("domain", metavar="DOMAIN", help=domain_help())
    parser.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    parser.add_argument("--k", type=int, default=5, help="sample texts per user (default 5)")


def show_data(args: argparse.Namespace) -> int:
    items = domain_spec(args.domain).load_data(args.path, k=args.k, seed=args.seed, n=args.n)
    if args.items:
        return show_items(args, items)
    source, lines = args.path or "bundled demo set", summarise(items)
    if args.json:
        print_json({"domain": args.domain, "path": source, "summary": lines})
        return 0
    emit(f"{args.domain}: {source}")
    for line in lines:
        emit(f"  {line}")
    return 0


def show_items(args: argparse.Namespace, users: list) -> int:
    """One row per held-out item: what an outputs file names to say which item it answers."""
    if not users or not hasattr(users[0], "held_out"):
        raise InputError(f"--items lists the held-out items of a writing domain; '{args.domain}' has none")
    rows = [{"item_id": item.id, "user_id": user.id, "task": item.task} for user in users for item in user.held_out]
    if args.json:
        print_json({"domain": args.domain, "path": args.path or "bundled demo set", "items": rows})
        return 0
    for row in rows:
        emit(f"{row['item_id']}\t{row['user_id']}\t{row['task']}")
    return 0


def check_data(args: argparse.Namespace) -> int:
    spec = domain_spec(args.domain)
    problems = collect_problems(lambda found: spec.load_data(args.path, k=args.k, n=1, problems=found))
    source = args.path or "bundled demo set"
    if args.json:
        print_json({"domain": args.domain, "path": source, "ok": not problems.errors,
                    "errors": [str(e) for e in problems.errors], "warnings": [str(w) for w in problems.warnings]})
        return 1 if problems.errors else 0
    for error in problems.errors:
        emit(f"error: {error}")
    for warning in problems.warnings:
        emit(f"warning: {warning}")
    if problems.errors:
        emit(f"{source}: {len(problems.errors)} problem(s), {len(problems.warnings)} warning(s)")
        return 1
    emit(f"{source}: ok ({len(problems.warnings)} warning(s))")
    return 0
