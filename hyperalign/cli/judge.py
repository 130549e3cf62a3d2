"""`hyperalign judge score ...` and `hyperalign judge validate DOMAIN --path P`: score candidate texts
with the authorship judge (style x originality x fidelity x sanity; no LM), and check the judges on a
corpus (authorship attribution, and the real text against adversaries)."""

from __future__ import annotations

import argparse
import json

from hyperalign.cli.common import add_command, domain_help, emit, print_json, progress
from hyperalign.core.errors import InputError
from hyperalign.core.progress import stage
from hyperalign.data import load_users
from hyperalign.data.judge_inputs import read_background, read_candidates
from hyperalign.data.registry import WRITING_DOMAINS
from hyperalign.data.samples_file import read_samples


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "judge", help="score texts with the authorship judge, or check it on a corpus",
                         description=__doc__, examples=["hyperalign judge validate demo",
                                                        "hyperalign judge score -s me.txt -c outputs.jsonl --domain email"])
    actions = parser.add_subparsers(dest="judge_action", metavar="ACTION", required=True)
    score = add_command(
        actions, "score",
        help="score candidate texts for one user with the authorship judge",
        description="Score each candidate (JSONL rows {id, text, task?}) as a text the user who wrote the samples "
        "would write for its task: style (against background writers), originality (not copied from the samples "
        "or the task), fidelity (on task) and sanity, multiplied. No LM; one process scores hundreds of candidates.",
        examples=[
            "hyperalign judge score --samples me.txt --candidates outputs.jsonl --task 'Reply to ...' --domain email "
            "--path ../shared/data/cmcc/cmcc.jsonl",
            "hyperalign judge score --samples me.jsonl --candidates outputs.jsonl --background others.jsonl --json",
        ],
    )
    score.add_argument("--samples", "-s", required=True, metavar="FILE", help="the user's texts (JSONL or plain text, as personalize reads)")
    score.add_argument("--candidates", "-c", required=True, metavar="FILE", help="JSONL rows {id, text, task?}")
    score.add_argument("--task", "-t", help="the task of every candidate row without its own \"task\"")
    score.add_argument("--background", metavar="FILE", help="other writers: JSONL rows {user_id, text}")
    score.add_argument("--domain", help="the domain: fixes the style method (news, email, essay, blog, demo); with --path, "
                       "its corpus's users are the background")
    score.add_argument("--path", help="corpus of the domain whose users' samples are the background")
    score.add_argument("--k", type=int, default=5, help="with --path: sample texts per corpus user (default 5)")
    score.add_argument("--json", action="store_true", help="one JSON object per line and candidate: id, score, parts, rank (the user's place among "
                       "the writers by style), place (among the candidates), feedback")
    score.set_defaults(func=score_candidates)

    validate = add_command(
        actions, "validate",
        help="check the judges on a corpus: attribution top-1 and the real text's win rate against adversaries",
        description="Attribute every held-out text among all users of the corpus and report how often the true author "
        "comes first (stylometric judge, with the domain's fixed method, beside a TF-IDF centroid baseline); then "
        "judge each user's real held-out text against adversaries (a copy of a sample, shuffled sample sentences, "
        "their own text for another task, another user's text for the same task, the real text with a junk tail, "
        "a one-sentence answer) with the authorship judge: the real text's win rate, 95%% interval over users.",
        examples=["hyperalign judge validate demo --no-adversarial",
                  "hyperalign judge validate news --path ../shared/data/ccat50/ccat50.jsonl --k 5 --json"],
    )

    validate.add_argument("domain", metavar="DOMAIN", help=domain_help(WRITING_DOMAINS))
    validate.add_argument("--path", help="corpus file or folder (email and demo default to the bundled demo set)")
    validate.add_argument("--k", type=int, default=5, help="sample texts per user, the rest are held out (default 5)")
    validate.add_argument("--seed", type=int, default=0, help="seed of the sample/held-out split and the adversaries (default 0)")
    validate.add_argument("--confusions", type=int, default=5, help="most-confused author pairs to list (default 5)")
    validate.add_argument("--items", type=int, default=2, help="held-out texts per user in the adversarial table (default 2)")
    validate.add_argument("--no-adversarial", action="store_true", help="attribution only (skip the adversarial table)")
    validate.add_argument("--json", action="store_true", help="print the results as JSON")
    validate.set_defaults(func=validate_judge)


def score_candidates(args: argparse.Namespace) -> int:
    if args.task is not None and not args.task.strip():
        raise InputError("--task is empty")
    if (args.background is None) == (args.path is None):
        raise InputError("give the background writers: --background FILE, or --domain D --path P (not both)")
    if args.path is not None and not args.domain:
        raise InputError("--path needs --domain (which of the corpus's domains to read)")
    samples = read_samples(args.samples)
    candidates = read_candidates(args.candidates, args.task)
    background = read_background(args.background) if args.background else _corpus_background(args)
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.judges import AuthorshipJudge

    judge = AuthorshipJudge(background, domain=args.domain)
    progress(f"scoring {len(candidates)} candidate(s) against {len(background)} background writer(s)...")
    verdicts = []
    with stage("scoring candidates", total=len(candidates), unit="candidate") as step:
        for candidate in candidates:
            verdicts.append(judge(samples=samples, task=candidate.task, candidate=candidate.text))
            step.advance()
    order = sorted(range(len(verdicts)), key=lambda i: -verdicts[i].score)
    place = {i: n for n, i in enumerate(order, 1)}
    for i, (candidate, verdict) in enumerate(zip(candidates, verdicts)):
        if args.json:  # one line per candidate (JSONL)
            emit(json.dumps({"id": candidate.id, "score": verdict.score, "parts": verdict.parts, "rank": verdict.rank,
                             "place": place[i], "feedback": verdict.feedback}, ensure_ascii=False))
        else:
            parts = "  ".join(f"{name} {value:.2f}" for name, value in verdict.parts.items())
            emit(f"{candidate.id}\t{verdict.score:.3f}\t{parts}\tplace {place[i]}/{len(candidates)}")
    return 0


def _corpus_background(args: argparse.Namespace) -> list[list[str]]:
    if args.k < 1:
        raise InputError(f"--k must be at least 1 (got {args.k})")
    return [u.samples for u in load_users(args.domain, args.path, k=args.k, seed=0)]


def validate_judge(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.stylometry import BASELINE_METHOD, validate

    if args.k < 1:
        raise InputError(f"--k must be at least 1 (got {args.k})")
    if args.confusions < 0:
        raise InputError(f"--confusions cannot be negative (got {args.confusions})")
    if args.items < 1:
        raise InputError(f"--items must be at least 1 (got {args.items})")
    users = load_users(args.domain, args.path, k=args.k, seed=args.seed)

    progress(f"attributing the held-out texts of {len(users)} users...")
    with stage("attributing", total=2, unit="method") as step:
        step.doing("stylometric judge")
        judge = validate(users, domain=args.domain, n_confusions=args.confusions)
        step.advance()
        step.doing("TF-IDF baseline")
        baseline = validate(users, BASELINE_METHOD, n_confusions=0)
        step.advance()
    table = None
    if not args.no_adversarial:
        from hyperalign.optimize.judges.adversarial import adversarial_table

        table = adversarial_table(users, domain=args.domain, seed=args.seed, items_per_user=args.items)
    if args.json:
        print_json({
            "domain": args.domain, "path": args.path, "k": args.k, "seed": args.seed, "writers": judge.n_writers,
            "held_out_texts": judge.n, "top1": judge.top1, "baseline_top1": baseline.top1, "chance": judge.chance,
            "confusions": [{"author": a, "chosen": b, "count": n} for a, b, n in judge.confusions],
            "adversarial": table.as_dict() if table else None,
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
    if table:
        emit_table(table)
    return 0


def emit_table(table) -> None:
    """The adversarial table as aligned text."""
    parts = ", ".join(f"{name} {value:.2f}" for name, value in table.real_parts.items())
    emit(f"  authorship judge: real held-out texts ({table.n_real} judgements, {table.n_users} users) score {parts}")
    emit("  real text vs adversary (win rate, 95% Wilson interval over users; a tie counts half):")
    emit(f"    {'adversary':<40} {'pairs':>5} {'users':>5}  {'win rate':>8}  {'95% interval':<15} {'real':>5} {'adv.':>5}")
    for r in table.results:
        emit(f"    {r.description:<40} {r.n_pairs:>5} {r.n_users:>5}  {r.win_rate:>8.3f}  [{r.low:.3f}, {r.high:.3f}]  "
             f"{r.real_score:>5.2f} {r.adversary_score:>5.2f}")
    for note in table.notes:
        emit(f"  note: {note}")
    if table.with_copies:
        kept = ", ".join(f"{r.adversary} {r.win_rate:.3f}" for r in table.with_copies)
        emit(f"  with those pairs kept: {kept}")
