"""`hyperalign evaluate` for writing domains: systems on held-out items, each text judged, every pair compared.

    from hyperalign.optimize.evaluation.config import EvaluateConfig
    outcome = evaluate_authorship(EvaluateConfig("email", systems="mine=out/prog,peer=peer.jsonl", track=False))

Systems are `NAME=SPEC` (`systems`), or the older shorthand `program` + `against`. Outputs files may
cover a subset of the items: the comparison runs on the items every system covers and the report
states each file's coverage. When every system is a file (and the judge needs no LM) no LM is set up.
"""

from __future__ import annotations

import time
from typing import Any

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.lm import as_lm
from hyperalign.data import load_users, split_users, to_examples
from hyperalign.optimize.evaluation.cache import DiskCache
from hyperalign.optimize.evaluation.config import EvaluateConfig
from hyperalign.optimize.evaluation.coverage import covered_items
from hyperalign.optimize.evaluation.harness import Harness, describe_lm
from hyperalign.optimize.evaluation.outcome import EvaluationOutcome
from hyperalign.optimize.evaluation.reports import format_interval, small_sample_note, track_report
from hyperalign.optimize.evaluation.summary import report_metrics, summarize, write_report
from hyperalign.optimize.evaluation.systems import System, build_system, parse_systems, program_label, shorthand
from hyperalign.optimize.judges.authorship import AuthorshipJudge
from hyperalign.optimize.program_ref import program_or_default
from hyperalign.programs import HyPerAlign

DEFAULT_TRAIN_USERS, DEFAULT_VAL_USERS = 3, 2  # as compile's light budget, so the test users match
CACHE_FILE = "cache.sqlite"
JUDGES = ("authorship", "stylometric", "llm")


def load_program(ref: str) -> System:
    """`baseline` (an uncompiled HyPerAlign) or a compiled program (directory or models:/ URI)."""
    program = program_or_default(ref, {"baseline": HyPerAlign}, dspy.Module)
    if ref == "baseline":
        return System("hyperalign", program=program, spec="hyperalign")
    return System(program_label(ref), program=program, spec=ref, manifest=dict(getattr(program, "manifest", {}) or {}))


def build_systems(config: EvaluateConfig) -> list[System]:
    if config.systems:
        systems = [build_system(name, spec) for name, spec in parse_systems(config.systems)]
    else:  # --program (its own errors for a bad program reference) and --against
        systems = [load_program(config.program), *(build_system(n, s) for n, s in shorthand(config.program, config.against)[1:])]
    for system in systems:
        domain = system.manifest.get("domain")
        if domain and domain != config.domain:
            raise InputError(f"{system.spec} was compiled for domain '{domain}', not '{config.domain}'")
    return systems


def held_out_users(config: EvaluateConfig, systems: list[System]) -> tuple[list, list]:
    """(evaluated users, all users). Users a compiled program trained or validated on are never tested.
    With --train-users/--val-users, or the --program/--against shorthand without a compiled program,
    the seeded split's test users are (as compile's); with --systems, every user no program saw."""
    users = load_users(config.domain, config.path, k=config.k, seed=config.seed)
    seen: set[str] = set()
    for system in systems:
        split = system.manifest.get("split") or {}
        seen |= set(split.get("train_users", [])) | set(split.get("val_users", []))
    explicit = config.train_users is not None or config.val_users is not None
    if explicit or (not seen and not config.systems):
        train = DEFAULT_TRAIN_USERS if config.train_users is None else config.train_users
        val = DEFAULT_VAL_USERS if config.val_users is None else config.val_users
        test = [u for u in split_users(users, train, val, seed=config.seed).test if u.id not in seen]
    else:
        test = [u for u in sorted(users, key=lambda u: u.id) if u.id not in seen]
    if config.users is not None:
        if config.users < 1:
            raise InputError(f"--users must be at least 1 (got {config.users})")
        test = test[: config.users]
    if not test:
        raise InputError(f"domain '{config.domain}': no held-out users left to evaluate")
    return test, users


def make_scorer(judge: str, domain: str, background: dict[str, list[list[str]]]):
    """(example, text) -> (score, parts): the stylometric judge, or the authorship judge (also the
    per-system score when pairs are decided by the LLM judge)."""
    if judge == "stylometric":
        from hyperalign.optimize.stylometry import stylometric_score

        def stylometric(example: dspy.Example, text: str) -> tuple[float, dict[str, float]]:
            return float(stylometric_score(list(example.samples), text, background[example.user_id]).score), {}

        return stylometric

    judges: dict[str, Any] = {}

    def authorship(example: dspy.Example, text: str) -> tuple[float, dict[str, float]]:
        if example.user_id not in judges:
            judges[example.user_id] = AuthorshipJudge(background[example.user_id], domain=domain)
        verdict = judges[example.user_id](samples=list(example.samples), task=example.task, candidate=text)
        return float(verdict.score), {k: float(v) for k, v in dict(verdict.parts).items()}

    return authorship


def evaluate_authorship(config: EvaluateConfig) -> EvaluationOutcome:
    """Run the evaluation, write the report files, log them to MLflow (unless `track` is False)."""
    started = time.time()
    if config.judge not in JUDGES:
        raise InputError(f"unknown judge {config.judge!r} (known: {', '.join(JUDGES)})")
    systems = build_systems(config)
    test_users, all_users = held_out_users(config, systems)
    examples, coverage = covered_items(systems, to_examples(test_users), config.domain)
    if config.limit is not None:
        if config.limit < 1:
            raise InputError(f"--limit must be at least 1 (got {config.limit})")
        examples = examples[: config.limit]
    needs_lm = any(s.program is not None for s in systems) or config.judge == "llm"
    task_lm = as_lm(config.lm) if needs_lm else None  # files alone: no LM is set up, none is called
    judge_lm = as_lm(config.judge_lm) if config.judge_lm else task_lm
    pairwise = None
    if config.judge == "llm":
        from hyperalign.optimize.judges import PairwiseStyleJudge

        pairwise = PairwiseStyleJudge(lm=judge_lm)
    # The judge compares with every other user (training users too: it learns nothing).
    background = {u.id: [list(o.samples) for o in all_users if o.id != u.id] for u in test_users}
    scorer = make_scorer("stylometric" if config.judge == "stylometric" else "authorship", config.domain, background)
    out = config.out_dir()
    with DiskCache(out / CACHE_FILE) as cache:
        harness = Harness(systems, scorer=scorer, cache=cache, task_lm=task_lm, pairwise=pairwise, judge_lm=judge_lm)
        result = harness.run(examples)
    summary = summarize(result, [s.name for s in systems], [c.as_dict() for c in coverage], seed=config.seed)
    meta = {
        "domain": config.domain, "path": config.path or "bundled demo set",
        "systems": ",".join(f"{s.name}={s.spec}" for s in systems), "judge": config.judge,
        "lm": describe_lm(task_lm)["model"], "judge_lm": describe_lm(judge_lm)["model"] if pairwise else None,
        "limit": config.limit, "seed": config.seed, "k": config.k,
    }
    files = write_report(summary, meta, out)
    users = len(summary["users"])
    run_name = f"evaluate {config.domain}: {' vs '.join(s.name for s in systems)}, {users} user{'' if users == 1 else 's'}"
    run_id = track_report(config.domain, run_name, meta=meta, metrics=report_metrics(summary), files=files,
                          track=config.track, tracking_uri=config.tracking_uri, started=started)
    data = {"meta": meta, **{k: v for k, v in summary.items() if k != "items"}}
    return EvaluationOutcome(summary_lines(summary), data, files, run_id)


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """Each system's mean score, each pair's win/tie/loss (intervals only from MIN_USERS_FOR_INTERVAL
    users on), coverage, LM usage."""
    users, lines = len(summary["users"]), []
    for name, result in summary["scores"].items():
        score = result["score"]
        parts = ", ".join(f"{p} {v['mean']:.2f}" for p, v in result["parts"].items())
        lines.append(f"{name}: score {format_interval(score['mean'], score['low'], score['high'], percent=False, users=users)}"
                     + (f" ({parts})" if parts else ""))
    for pair in summary["pairs"].values():
        rates = pair["rates"]
        shown = ", ".join(f"{o} {format_interval(rates[o]['mean'], rates[o]['low'], rates[o]['high'], users=users)}"
                          for o in ("win", "tie", "loss"))
        failures = pair["counts"]["failure"]
        lines.append(f"{pair['a']} vs {pair['b']}: {shown}" + (f", judge failures {failures}" if failures else ""))
    partial = [c for c in summary["coverage"] if c["matched"] < c["items"]]
    lines.append(f"{summary['n_items']} item(s) of {users} user(s) compared"
                 + ("; coverage " + ", ".join(f"{c['system']} {c['matched']}/{c['items']}" for c in partial) if partial else ""))
    note = small_sample_note(users)
    if note:
        lines.append(note)
    usage = summary["usage"]
    lines.append(f"LM calls: {usage['lm_calls']}, tokens: {usage['total_tokens']}")
    return lines
