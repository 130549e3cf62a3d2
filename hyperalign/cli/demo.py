"""`hyperalign demo`: the whole flow on the bundled demo users with the embedded LM."""

from __future__ import annotations

import argparse
import time

from hyperalign.cli.common import add_command, add_lm_arguments, emit, lm_from_args, print_json, progress
from hyperalign.cli.render import render_hypotheses, render_text
from hyperalign.core.errors import InputError
from hyperalign.data import load_demo_tasks, load_users


def register(sub: argparse._SubParsersAction) -> None:
    demo = add_command(
        sub, "demo", help="run hypotheses + personalized vs zero-shot text for one demo user",
        description="The whole flow on a bundled demo user, offline on the embedded LM by default: the user's "
                    "hypotheses with evidence, a personalized text and a zero-shot text for the same task.",
        examples=["hyperalign demo", "hyperalign demo --user dana_okafor --task \"Announce the new office\" --json"],
    )
    demo.add_argument("--user", help="demo user id (default: the first); see `hyperalign data show demo`")
    demo.add_argument("--task", help="what to write (default: the first demo task)")
    add_lm_arguments(demo)
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.api import personalize
    from hyperalign.core.lm import lm_context
    from hyperalign.core.lm_errors import lm_errors
    from hyperalign.programs import ZeroShot

    users = load_users("demo")
    by_id = {u.id: u for u in users}
    if args.user and args.user not in by_id:
        raise InputError(f"unknown demo user {args.user!r}; known: {', '.join(sorted(by_id))}")
    user = by_id[args.user] if args.user else users[0]
    task = args.task or load_demo_tasks()[0]
    lm = lm_from_args(args)

    progress(f"Demo user {user.id} ({', '.join(f'{k}: {v}' for k, v in user.attributes.items())}), "
             f"{len(user.samples)} sample e-mails; LM {lm.model}")
    calls_before, start = len(lm.history), time.perf_counter()
    progress("1/2 inferring hypotheses and writing the personalized text ...")
    result = personalize(user.samples, task, user.attributes, lm=lm)
    progress("2/2 writing the zero-shot text for comparison ...")
    with lm_context(lm), lm_errors():
        zero_shot = ZeroShot()(samples=user.samples, task=task).text
    elapsed, calls = time.perf_counter() - start, len(lm.history) - calls_before

    if args.json:
        print_json({"user": user.id, "attributes": user.attributes, "task": task, "personalized": result.to_dict(),
                    "zero_shot": zero_shot, "lm": lm.model, "lm_calls": calls, "seconds": round(elapsed, 2)})
        return 0
    emit(f"User: {user.id}   Task: {task}\n")
    emit(render_text("One of the user's own e-mails", user.samples[0]))
    emit()
    emit(render_hypotheses(result.hypotheses))
    emit()
    emit(render_text("Personalized (HyPerAlign)", result.text))
    emit()
    emit(render_text("Zero-shot (no personalization)", zero_shot))
    for warning in result.warnings:
        emit(f"\nwarning: {warning}")
    emit(f"\n{calls} LM calls, {elapsed:.1f} s, LM {lm.model}")
    return 0
