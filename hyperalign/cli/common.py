"""Options and output helpers shared by the CLI's commands.

- `add_command(...)`: a subcommand with a description and examples in its --help.
- `add_lm_arguments(parser)` / `lm_options(args)` / `lm_from_args(args)`: the LM options every
  LM-calling command takes, the same everywhere.
- `emit(...)` / `print_json(obj)`: results on stdout. While a command runs, main() sends everything
  else printed to stdout (DSPy's bars, LiteLLM's chatter, status lines) to stderr.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO, TypeVar

from hyperalign.core.errors import InputError
from hyperalign.optimize.domains import domain_names

T = TypeVar("T")

# Where results go: the real stdout, saved by main() before it redirects sys.stdout to stderr.
_results: TextIO | None = None


def add_command(
    sub: argparse._SubParsersAction,
    name: str,
    *,
    help: str,
    description: str,
    examples: Sequence[str],
    **kwargs: Any,
) -> argparse.ArgumentParser:
    """A subcommand whose --help shows `description` and an `examples:` section (one per line)."""
    epilog = "examples:\n" + "\n".join(f"  {example}" for example in examples)
    return sub.add_parser(name, help=help, description=description, epilog=epilog,
                          formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)


def add_lm_arguments(parser: argparse.ArgumentParser) -> None:
    """The LM options of every command that calls an LM (one definition, so they read the same)."""
    group = parser.add_argument_group("LM options (the same for every command that calls an LM)")
    group.add_argument("--lm", help="model: 'embedded' (default, offline) or a LiteLLM string, e.g. openai/gpt-4o-mini "
                       "(env HYPERALIGN_LM); keys come from the provider's env var")
    group.add_argument("--api-base", help="base URL of an OpenAI-compatible server (env HYPERALIGN_API_BASE)")
    group.add_argument("--temperature", type=float, help="sampling temperature (env HYPERALIGN_TEMPERATURE; default 0)")
    group.add_argument("--timeout", type=float, help="seconds to wait for one LM call to a server (default 120)")
    group.add_argument("--retries", type=int, help="retries of a failed LM call (default 3)")
    group.add_argument("--structured", choices=("auto", "schema", "json", "off"),
                       help="what a server is asked for: schema = the output's JSON schema (constrained decoding), "
                            "json = any JSON object, off = no response format; auto (default) = schema for servers "
                            "you run (an --api-base or ollama/hosted_vllm/lm_studio), off for hosted providers "
                            "(env HYPERALIGN_STRUCTURED)")
    group.add_argument("--api-key-env", metavar="NAME",
                       help="environment variable holding the key for --api-base (default $HYPERALIGN_API_KEY); "
                            "no provider key from the environment is ever sent to a custom --api-base")
    group.add_argument("--hypothesis-lm", metavar="MODEL",
                       help="infer the hypotheses with this LM and generate with --lm (MODEL or MODEL@URL for a "
                            "server; it does not take --api-base)")
    parser.set_defaults(uses_lm=True)


def lm_options(args: argparse.Namespace) -> dict[str, Any]:
    """The LM options given on the command line as `make_lm` keyword arguments (no key values:
    keys stay in environment variables). Options not given are left to make_lm's defaults."""
    if args.timeout is not None and args.timeout <= 0:
        raise InputError(f"--timeout must be a positive number of seconds (got {args.timeout:g})")
    if args.retries is not None and args.retries < 0:
        raise InputError(f"--retries cannot be negative (got {args.retries})")
    if getattr(args, "hypothesis_lm", None) and not getattr(args, "takes_hypothesis_lm", False):
        raise InputError("this command does not use --hypothesis-lm (hypotheses, personalize and batch do; "
                         "evaluate: --systems 'NAME=SPEC;hypothesis-lm=MODEL')")
    options = {"model": args.lm, "api_base": args.api_base, "temperature": args.temperature,
               "timeout": args.timeout, "num_retries": args.retries, "structured": args.structured,
               "api_key_env": args.api_key_env}
    return {key: value for key, value in options.items() if value is not None}


def hypothesis_lm_options(args: argparse.Namespace) -> dict[str, Any] | None:
    """`make_lm` keyword arguments for --hypothesis-lm (None when not given): the same settings as
    --lm except the model and the api base (a server for it is named as MODEL@URL)."""
    if not getattr(args, "hypothesis_lm", None):
        return None
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.core.lm import is_embedded

    options = {**lm_options(args), "model": args.hypothesis_lm, "api_base": ""}
    if is_embedded(args.hypothesis_lm.strip()):  # server settings do not apply to the embedded LM
        options.pop("structured", None)
        options.pop("api_key_env", None)
    return options


def lm_from_args(args: argparse.Namespace):
    """The LM the command's LM options describe."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.core.lm import make_lm

    return make_lm(**lm_options(args))


def hypothesis_lm_from_args(args: argparse.Namespace):
    """The LM --hypothesis-lm names, or None (then --lm infers too)."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.core.lm import make_lm

    options = hypothesis_lm_options(args)
    return make_lm(**options) if options else None


def config_from_args(config_class: type[T], args: argparse.Namespace, **values: Any) -> T:
    """A library config dataclass from the parsed flags: every field whose name is a flag's dest,
    then `values` for the fields the CLI words differently (--no-track -> track=False, an LM object)."""
    names = {field.name for field in dataclasses.fields(config_class)}  # type: ignore[arg-type]
    found = {name: getattr(args, name) for name in names if hasattr(args, name)}
    return config_class(**{**found, **values})


def domain_help(names: Sequence[str] | None = None) -> str:
    """'one of: news, email, ...' from the one domain registry."""
    return "one of: " + ", ".join(names if names is not None else domain_names())


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


def results_stream() -> TextIO:
    return _results or sys.stdout


def emit(*values: Any, sep: str = " ", end: str = "\n") -> None:
    """Print a result (what the command is for) on stdout."""
    stream = results_stream()
    stream.write(sep.join(str(v) for v in values) + end)
    stream.flush()


def print_json(obj: Any) -> None:
    """The command's one JSON document on stdout."""
    stream = results_stream()
    json.dump(obj, stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")
    stream.flush()


def progress(message: str) -> None:
    """A status line on stderr, so stdout stays clean for --json."""
    print(message, file=sys.stderr, flush=True)
