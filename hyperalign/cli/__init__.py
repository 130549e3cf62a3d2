"""The `hyperalign` command line. Each subcommand lives in its own module with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# One module per command group; each defines register(subparsers) and sets `func` on its parsers.
COMMAND_MODULES = [
    "hyperalign.cli.personalize",
    "hyperalign.cli.demo",
    "hyperalign.cli.data",
    "hyperalign.cli.judge",
    "hyperalign.cli.evaluate",
    "hyperalign.cli.compile",
    "hyperalign.cli.runs",
    "hyperalign.cli.chat",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hyperalign",
        description="Personalize LLM output to one user from a few of their texts (HyPerAlign).",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="show tracebacks and LM debug logs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:  # a missing command module is a broken install: an error, not a gap
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Offline-friendly defaults before dspy/litellm are imported anywhere.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    from hyperalign.core.errors import HyperAlignError
    from hyperalign.core.redaction import configure_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    configure_logging(verbose=args.verbose)
    try:
        return int(args.func(args) or 0)
    except HyperAlignError as exc:
        if args.verbose:
            raise
        print(f"hyperalign: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hyperalign: interrupted", file=sys.stderr)
        return 130
