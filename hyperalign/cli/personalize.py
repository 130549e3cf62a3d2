"""`hyperalign hypotheses` and `hyperalign personalize`: one user's samples from a file, one task."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import (
    add_attribute_arguments,
    add_command,
    add_lm_arguments,
    emit,
    hypothesis_lm_from_args,
    lm_from_args,
    parse_attributes,
    print_json,
    progress,
)
from hyperalign.cli.profiles import add_profiles_option
from hyperalign.cli.render import render_hypotheses, render_text
from hyperalign.data.samples_file import read_samples


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", "-s", required=True, metavar="FILE",
                        help="the user's texts: JSONL (one string or {\"text\": ...} per line) or plain text "
                             "(blank-line- or ---separated blocks)")
    add_attribute_arguments(parser)
    add_lm_arguments(parser)
    parser.set_defaults(takes_hypothesis_lm=True)
    parser.add_argument("--program", metavar="REF", help="a compiled program: directory or models:/hyperalign-DOMAIN@champion")
    parser.add_argument("--allow-pickle", action="store_true", help="allow loading a pickled program (trusted files only)")


def register(sub: argparse._SubParsersAction) -> None:
    hyp = add_command(
        sub, "hypotheses", help="infer hypotheses (with evidence) about a user from their texts",
        description="Infer explicit hypotheses about a user's communication strategy, personality and style from "
                    "a few texts they wrote, each with quotes from the texts as evidence (and whether each quote "
                    "was found). Nothing is written for a task.",
        examples=["hyperalign hypotheses -s my_emails.txt",
                  "hyperalign hypotheses -s posts.jsonl -a role=teacher --lm openai/gpt-4o-mini --json"],
    )
    _add_common(hyp)
    hyp.set_defaults(func=run_hypotheses)

    per = add_command(
        sub, "personalize", help="write a task in the voice of the user who wrote the samples",
        description="Infer hypotheses about the user from their texts, then write the task conditioned on them, "
                    "so it sounds like the user; prints the hypotheses (the why) and the text.",
        examples=['hyperalign personalize -s my_emails.txt -t "Invite the team to Friday lunch"',
                  'hyperalign personalize -s my_emails.txt -t "Decline the offer" --program models:/hyperalign-email@champion --json'],
    )
    _add_common(per)
    per.add_argument("--task", "-t", required=True, help="what to write")
    per.add_argument("--user-id", metavar="USER",
                     help="reuse this user's stored profile when the samples, LM and program match (no inference "
                          "call), else infer and store it; rejected hypotheses are left out")
    add_profiles_option(per, "profile store for --user-id")
    per.set_defaults(func=run_personalize)


def _load_program(args: argparse.Namespace):
    if not args.program:
        return None
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.optimize.program_ref import load

    return load(args.program, allow_pickle=args.allow_pickle)


def run_hypotheses(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.api import infer_hypotheses

    samples = read_samples(args.samples)
    attributes = parse_attributes(args.attributes)
    program, lm = _load_program(args), hypothesis_lm_from_args(args) or lm_from_args(args)
    progress(f"Inferring hypotheses from {len(samples)} texts with {lm.model} ...")
    hypotheses = infer_hypotheses(samples, attributes, program=program, lm=lm)
    if args.json:
        from hyperalign.programs.hyperalign_program import dropped, hypothesis_warnings

        print_json({"hypotheses": hypotheses, "valid": sum(bool(h.get("valid", h.get("grounded"))) for h in hypotheses),
                    "dropped": dropped(hypotheses), "warnings": hypothesis_warnings(hypotheses),
                    "attributes": attributes, "samples": len(samples), "hypothesis_lm": lm.model})
    else:
        emit(render_hypotheses(hypotheses))
    return 0


def run_personalize(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.api import personalize
    from hyperalign.programs.inputs import clean_task

    samples = read_samples(args.samples)
    attributes = parse_attributes(args.attributes)
    clean_task(args.task)  # bad input is reported before a model is loaded
    program, lm, hypothesis_lm = _load_program(args), lm_from_args(args), hypothesis_lm_from_args(args)
    inferring = f" (hypotheses by {hypothesis_lm.model})" if hypothesis_lm is not None else ""
    progress(f"Personalizing for a user with {len(samples)} texts with {lm.model}{inferring} ...")
    result = personalize(samples, args.task, attributes, program=program, lm=lm, user_id=args.user_id,
                         profiles=args.profiles, hypothesis_lm=hypothesis_lm)
    if args.json:
        print_json({"task": args.task, **result.to_dict()})
    else:
        emit(render_hypotheses(result.hypotheses))
        emit()
        emit(render_text("Personalized text", result.text))
        for edit in result.edits:
            emit(f"\nedited: {edit}")
        for warning in result.warnings:
            emit(f"\nwarning: {warning}")
    return 0
