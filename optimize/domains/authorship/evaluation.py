"""`hyperalign evaluate` for writing domains: held-out users, the program vs comparators, the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dspy

from hyperalign.core.errors import InputError
from hyperalign.optimize.evaluation.config import EvaluateConfig
from hyperalign.optimize.evaluation.reports import track_report
from hyperalign.optimize.evaluation.systems import System, parse_against

DEFAULT_TRAIN_USERS, DEFAULT_VAL_USERS = 3, 2  # as compile's light budget, so the test users match
CACHE_FILE = "cache.sqlite"


def load_program(ref: str) -> System:
    """`baseline` (an uncompiled HyPerAlign) or a compiled program via hyperalign.load."""
    from hyperalign.optimize.program_ref import program_or_default
    from hyperalign.programs import HyPerAlign

    program = program_or_default(ref, {"baseline": HyPerAlign}, dspy.Module)
    if ref == "baseline":
        return System("hyperalign", program=program)
    return System(Path(ref).name if not ref.startswith("models:/") else ref.removeprefix("models:/"), program=program)


def held_out_users(args: EvaluateConfig, manifest: dict[str, Any]) -> tuple[list, list]:
    """(test users, all users). A compiled program's own train/validation users are never tested."""
    from hyperalign.data import load_users, split_users

    users = load_users(args.domain, args.path, k=args.k, seed=args.seed)
    split = manifest.get("split") or {}
    seen = set(split.get("train_users", [])) | set(split.get("val_users", []))
    if seen and args.train_users is None and args.val_users is None:
        test = [u for u in sorted(users, key=lambda u: u.id) if u.id not in seen]
    else:
        train = DEFAULT_TRAIN_USERS if args.train_users is None else args.train_users
        val = DEFAULT_VAL_USERS if args.val_users is None else args.val_users
        test = split_users(users, train, val, seed=args.seed).test
    if args.users is not None:
        if args.users < 1:
            raise InputError(f"--users must be at least 1 (got {args.users})")
        test = test[: args.users]
    if not test:
        raise InputError(f"domain '{args.domain}': no held-out users left to evaluate")
    return test, users


def build_examples(test_users: list, limit: int | None) -> list[dspy.Example]:
    from hyperalign.data import to_examples

    examples = to_examples(test_users)
    if limit is not None:
        if limit < 1:
            raise InputError(f"--limit must be at least 1 (got {limit})")
        examples = examples[:limit]
    return examples


def evaluate_authorship(args: EvaluateConfig) -> int:
    from hyperalign.core.lm import make_lm
    from hyperalign.optimize.evaluation.cache import DiskCache
    from hyperalign.optimize.evaluation.harness import Harness, describe_lm
    from hyperalign.optimize.evaluation.summary import (
        report_metrics,
        summarize,
        write_report,
    )

    program = load_program(args.program)
    manifest = getattr(program.program, "manifest", {}) or {}
    if manifest.get("domain") and manifest["domain"] != args.domain:
        raise InputError(f"{args.program} was compiled for domain '{manifest['domain']}', not '{args.domain}'")
    test_users, all_users = held_out_users(args, manifest)
    examples = build_examples(test_users, args.limit)
    comparators = parse_against(args.against, examples)
    task_lm = make_lm(args.lm)
    judge_lm = make_lm(args.judge_lm) if args.judge_lm else None
    # The stylometric judge compares with every other user (training users too: it learns nothing).
    background = {u.id: [list(o.samples) for o in all_users if o.id != u.id] for u in test_users}
    out = Path(args.out or Path("hyperalign-evaluation") / args.domain)
    with DiskCache(out / CACHE_FILE) as cache:
        harness = Harness(program, comparators, judge=args.judge, task_lm=task_lm, judge_lm=judge_lm,
                          background=background, cache=cache, progress=args.progress)
        result = harness.run(examples)
    summary = summarize(result, program.name, [c.name for c in comparators], seed=args.seed)
    meta = {
        "domain": args.domain, "path": args.path or "bundled demo set", "program": args.program,
        "against": args.against, "judge": args.judge, "lm": describe_lm(task_lm)["model"],
        "judge_lm": describe_lm(judge_lm or task_lm)["model"], "limit": args.limit, "seed": args.seed, "k": args.k,
    }
    files = write_report(summary, meta, out)
    print_summary(summary, files)
    track_report(args.domain, f"evaluate {program.name}", meta=meta, metrics=report_metrics(summary), files=files,
                 track=args.track, tracking_uri=args.tracking_uri)
    return 0


def print_summary(summary: dict[str, Any], files: list[Path]) -> None:
    from hyperalign.optimize.evaluation.reports import format_interval

    for name, result in summary["comparators"].items():
        rates = result["rates"]
        shown = ", ".join(f"{o} {format_interval(rates[o]['mean'], rates[o]['low'], rates[o]['high'])}" for o in ("win", "tie", "loss"))
        failures = result["counts"]["failure"]
        print(f"{summary['program']} vs {name}: {shown}" + (f", judge failures {failures}" if failures else ""))
    usage = summary["usage"]
    print(f"LM calls: {usage['lm_calls']}, tokens: {usage['total_tokens']}")
    print("wrote " + ", ".join(str(p) for p in files))
