"""`hyperalign data show|check DOMAIN`: summarise a corpus, or validate it and list every problem."""

from __future__ import annotations

import argparse

from hyperalign.optimize.domains import domain_names


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="summarise or validate a corpus", description=__doc__)
    actions = parser.add_subparsers(dest="data_action", metavar="ACTION", required=True)

    show = actions.add_parser("show", help="load a corpus and print a summary")
    _common_arguments(show)
    show.add_argument("--seed", type=int, default=0, help="seed of the sample/held-out split (default 0)")
    show.add_argument("--n", type=int, default=10, help="aloe only: simulated users to pair (default 10)")
    show.set_defaults(func=show_data)

    check = actions.add_parser("check", help="validate a corpus; report every problem with file and line")
    _common_arguments(check)
    check.set_defaults(func=check_data)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("domain", metavar="DOMAIN", help=", ".join(domain_names()))
    parser.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    parser.add_argument("--k", type=int, default=5, help="sample texts per user (default 5)")


def show_data(args: argparse.Namespace) -> int:
    from hyperalign.data.summary import summarise
    from hyperalign.optimize.domains import domain_spec

    items = domain_spec(args.domain).load_data(args.path, k=args.k, seed=args.seed, n=args.n)
    print(f"{args.domain}: {args.path or 'bundled demo set'}")
    for line in summarise(items):
        print(f"  {line}")
    return 0


def check_data(args: argparse.Namespace) -> int:
    from hyperalign.data import collect_problems
    from hyperalign.optimize.domains import domain_spec

    spec = domain_spec(args.domain)
    problems = collect_problems(lambda found: spec.load_data(args.path, k=args.k, n=1, problems=found))
    for error in problems.errors:
        print(f"error: {error}")
    for warning in problems.warnings:
        print(f"warning: {warning}")
    source = args.path or "bundled demo set"
    if problems.errors:
        print(f"{source}: {len(problems.errors)} problem(s), {len(problems.warnings)} warning(s)")
        return 1
    print(f"{source}: ok ({len(problems.warnings)} warning(s))")
    return 0
