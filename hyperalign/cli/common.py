"""Options and output helpers shared by the CLI's commands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from hyperalign.core.errors import InputError


def add_lm_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lm", help="model: 'embedded' (default, offline) or a LiteLLM string, e.g. openai/gpt-4o-mini "
                        "(env HYPERALIGN_LM); keys come from the provider's env var")
    parser.add_argument("--api-base", help="base URL of an OpenAI-compatible server (env HYPERALIGN_API_BASE)")
    parser.add_argument("--temperature", type=float, help="sampling temperature (env HYPERALIGN_TEMPERATURE; default 0)")
    parser.add_argument("--timeout", type=float, help="seconds to wait for one LM call to a server (default 120)")
    parser.add_argument("--retries", type=int, default=3, help="retries of a failed LM call (default 3)")


def lm_from_args(args: argparse.Namespace):
    from hyperalign.core.lm import make_lm

    return make_lm(args.lm, api_base=args.api_base, temperature=args.temperature, timeout=args.timeout,
                   num_retries=args.retries)


def add_attribute_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--attributes", "-a", nargs="*", default=[], metavar="KEY=VALUE",
                        help="known facts about the user, e.g. role=teacher audience=parents")


def parse_attributes(items: list[str]) -> dict[str, str]:
    attributes = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"attribute {item!r} is not KEY=VALUE")
        attributes[key.strip()] = value.strip()
    return attributes


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def progress(message: str) -> None:
    """A status line on stderr, so stdout stays clean for --json."""
    print(message, file=sys.stderr, flush=True)
