"""The `hyperalign` command line. Each subcommand lives in its own module with a `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from contextlib import ExitStack, redirect_stdout

from hyperalign.cli import common
from hyperalign.cli.progress import TerminalReporter
from hyperalign.core.errors import HyperAlignError
from hyperalign.core.progress import count_lm_calls, reporting
from hyperalign.core.redaction import configure_logging, redact, redacted_traceback

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
    "hyperalign.cli.batch",
    "hyperalign.cli.profiles",
    "hyperalign.cli.doctor",
]


class Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors: `hyperalign: error: ... (see 'hyperalign CMD --help')`."""
    def error(self, message: str):
        self.exit(2, f"hyperalign: error: {message} (see '{self.prog} --help')\n")


def add_global_flags(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """--verbose and --json, accepted before or after any subcommand. Only the top parser sets the
    defaults; a subparser's copy (SUPPRESS) never overwrites a flag given earlier."""
    default = False if top else argparse.SUPPRESS
    flags = {("--verbose", "-v"): "show tracebacks and LM debug logs",
             ("--json",): "print the result as one JSON document on stdout (nothing else goes there)"}
    for names, help_text in flags.items():
        own = parser._option_string_actions.get(names[0])
        if own is not None:  # a command that declared the flag itself: same meaning, never overriding the top's
            own.default = default
            continue
        parser.add_argument(*names, action="store_true", default=default, help=help_text)


def subparsers_of(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):  # aliases map to the same parser
                found += [sub, *subparsers_of(sub)]
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="hyperalign",
        description="Personalize LLM output to one user from a few of their texts (HyPerAlign).",
        epilog="examples:\n  hyperalign demo\n  hyperalign personalize -s my_emails.txt -t \"Invite the team to lunch\"\n"
               "  hyperalign COMMAND --help",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_global_flags(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:  # a missing command module is a broken install: an error, not a gap
        importlib.import_module(name).register(sub)
    for subparser in subparsers_of(parser):
        add_global_flags(subparser, top=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Offline-friendly defaults before dspy/litellm are imported anywhere.
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    configure_logging(verbose=args.verbose)
    try:
        return run_command(args)
    except HyperAlignError as exc:
        if args.verbose:  # the traceback, with any key a server echoed masked
            sys.stderr.write(redacted_traceback(exc))
        print(f"hyperalign: error: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("hyperalign: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, or a failure nobody foresaw: show it, never with a secret in it
        sys.stderr.write(redacted_traceback(exc))
        return 1


def run_command(args: argparse.Namespace) -> int:
    """Run the command with stdout reserved for its results: anything else printed to stdout while it
    runs (DSPy's progress bars, LiteLLM's notices) goes to stderr, and library progress is drawn
    there (a rich bar on a terminal, a line per stage otherwise)."""


    saved, common._results = common._results, sys.stdout
    reporter = TerminalReporter(sys.stderr, live=False if getattr(args, "no_progress", False) else None)
    try:
        with ExitStack() as stack:
            stack.enter_context(redirect_stdout(sys.stderr))
            stack.enter_context(reporting(reporter))
            if getattr(args, "uses_lm", False):
                stack.enter_context(count_lm_calls())
            return int(args.func(args) or 0)
    finally:
        reporter.close()
        common._results = saved
