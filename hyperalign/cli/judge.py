"""`hyperalign judge validate DOMAIN --path P`: check the stylometric judge as an authorship attributor
on a corpus (each user's k samples are their profile; each held-out text is attributed among all users)."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import add_command, domain_help, emit, print_json, progress
from hyperalign.core.errors import InputError
from hyperalign.data.registry import WRITING_DOMAINS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "judge", help="check the stylometric judge on a corpus", description=__doc__,
                         examples=["hyperalign judge validate email --path ../shared/data/cmcc/cmcc.jsonl"])
    actions = parser.add_subparsers(dest="judge_action", metavar="ACTION", required=True)
    validate = add_command(
        actions, "validate",
        help="top-1 authorship attribution accuracy of the stylometric judge (and of a TF-IDF baseline)",
        description="Attribute every held-out text among all users of the corpus and report how often the "
        "true author comes first, beside a TF-IDF centroid baseline, with the most-confused authors.",
        examples=["hyperalign judge validate demo", "hyperalign judge validate news --path ccat50.jsonl --k 5 --json"],
    )
    validate.add_argument("domain", metavar="DOMAIN", help=domain_help(WRITING_DOMAINS))
    validate.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    validate.add_argument("--k", type=int, default=5, help="sample texts per user, the rest are held out (default 5)")
    validate.add_argument("--seed", type=int, default=0, help="seed of the sample/held-out split (default 0)")
    validate.add_argument("--confusions", type=int, default=5, help="most-confused author pairs to list (default 5)")
    validate.set_defaults(func=validate_judge)


def validate_judge(args: argparse.Namespace) -> int:
    from hyperalign.data import load_users
    from hyperalign.optimize.stylometry import BASELINE_METHOD, validate

    if args.k < 1:
        raise InputError(f"--k must be at least 1 (got {args.k})")
    if args.confusions < 0:
        raise InputError(f"--confusions cannot be negative (got {args.confusions})")
    users = load_users(args.domain, args.path, k=args.k, seed=args.seed)
    from hyperalign.core.progress import stage

    progress(f"attributing the held-out texts of {len(users)} users...")
    with stage("attributing", total=2, unit="method") as step:
        step.doing("stylometric judge")
        judge = validate(users, n_confusions=args.confusions)
        step.advance()
        step.doing("TF-IDF baseline")
        baseline = validate(users, BASELINE_METHOD, n_confusions=0)
        step.advance()
    if args.json:
        print_json({
            "domain": args.domain, "path": args.path, "k": args.k, "seed": args.seed, "writers": judge.n_writers,
            "held_out_texts": judge.n, "top1": judge.top1, "baseline_top1": baseline.top1, "chance": judge.chance,
            "confusions": [{"author": a, "chosen": b, "count": n} for a, b, n in judge.confusions],
        })
        return 0
    emit(f"{args.domain}: {args.path or 'bundled demo set'} — {judge.n_writers} writers, {args.k} samples each, "
          f"{judge.n} held-out texts (seed {args.seed})")
    emit(f"  stylometric judge  top-1 {judge.top1:.3f}  ({round(judge.top1 * judge.n)}/{judge.n})")
    emit(f"  TF-IDF baseline    top-1 {baseline.top1:.3f}  ({round(baseline.top1 * baseline.n)}/{baseline.n})")
    emit(f"  chance             top-1 {judge.chance:.3f}")
    if judge.confusions:
        emit("  most confused (true author -> chosen instead, times):")
        for author, chosen, n in judge.confusions:
            emit(f"    {author} -> {chosen}  {n}")
    return 0
