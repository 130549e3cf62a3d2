"""`hyperalign hypotheses` and `hyperalign personalize`: one user's samples from a file, one task."""

from __future__ import annotations

import argparse

from hyperalign.cli.common import (
    add_attribute_arguments,
    add_lm_arguments,
    lm_from_args,
    parse_attributes,
    print_json,
    progress,
)
from hyperalign.cli.render import render_hypotheses, render_text


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--samples", "-s", required=True, metavar="FILE",
                        help="the user's texts: JSONL (one string or {\"text\": ...} per line) or plain text "
                             "(blank-line- or ---separated blocks)")
    add_attribute_arguments(parser)
    add_lm_arguments(parser)
    parser.add_argument("--program", metavar="REF", help="a compiled program: directory or models:/hyperalign-DOMAIN@champion")
    parser.add_argument("--allow-pickle", action="store_true", help="allow loading a pickled program (trusted files only)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def register(sub: argparse._SubParsersAction) -> None:
    hyp = sub.add_parser("hypotheses", help="infer hypotheses (with evidence) about a user from their texts")
    _add_common(hyp)
    hyp.set_defaults(func=run_hypotheses)

    per = sub.add_parser("personalize", help="write a task in the voice of the user who wrote the samples")
    _add_common(per)
    per.add_argument("--task", "-t", required=True, help="what to write")
    per.set_defaults(func=run_personalize)


def _load_program(args: argparse.Namespace):
    if not args.program:
        return None
    from hyperalign.optimize.program_ref import load

    return load(args.program, allow_pickle=args.allow_pickle)


def run_hypotheses(args: argparse.Namespace) -> int:
    from hyperalign.api import infer_hypotheses
    from hyperalign.data.samples_file import read_samples

    samples = read_samples(args.samples)
    attributes = parse_attributes(args.attributes)
    program, lm = _load_program(args), lm_from_args(args)
    progress(f"Inferring hypotheses from {len(samples)} texts with {lm.model} ...")
    hypotheses = infer_hypotheses(samples, attributes, program=program, lm=lm)
    if args.json:
        print_json({"hypotheses": hypotheses, "attributes": attributes, "samples": len(samples)})
    else:
        print(render_hypotheses(hypotheses))
    return 0


def run_personalize(args: argparse.Namespace) -> int:
    from hyperalign.api import personalize
    from hyperalign.data.samples_file import read_samples
    from hyperalign.programs.inputs import clean_task

    samples = read_samples(args.samples)
    attributes = parse_attributes(args.attributes)
    clean_task(args.task)  # bad input is reported before a model is loaded
    program, lm = _load_program(args), lm_from_args(args)
    progress(f"Personalizing for a user with {len(samples)} texts with {lm.model} ...")
    result = personalize(samples, args.task, attributes, program=program, lm=lm)
    if args.json:
        print_json({"task": args.task, **result.to_dict()})
    else:
        print(render_hypotheses(result.hypotheses))
        print()
        print(render_text("Personalized text", result.text))
        for warning in result.warnings:
            print(f"\nwarning: {warning}")
    return 0
