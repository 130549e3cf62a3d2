"""One CLI: every subcommand's --help has a description and an example, LM-calling commands share
the same LM options, --json/--verbose work in any position, and --json prints one JSON document
with nothing else on stdout."""

from __future__ import annotations

import argparse
import json

import pytest

from hyperalign.cli import build_parser, main

SHARED_LM_OPTIONS = ("--lm", "--api-base", "--temperature", "--timeout", "--retries")
# Commands that call an LM (a new LM-calling command must be added here and take the shared options).
LM_COMMANDS = {"hypotheses", "personalize", "demo", "evaluate", "compile", "chat", "batch"}


def leaf_parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(command path, parser) of every runnable subcommand."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from leaf_parsers(sub, (*path, name))
    if path and parser.get_default("func") is not None:
        yield path, parser


LEAVES = list(leaf_parsers(build_parser()))


def test_the_walk_finds_every_command():
    names = {path[0] for path, _ in LEAVES}
    assert {"hypotheses", "personalize", "demo", "data", "judge", "evaluate", "compile", "runs", "chat"} <= names


@pytest.mark.parametrize("path, parser", LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_help_has_a_description_and_an_example(path, parser, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*path, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert parser.description and len(parser.description.split()) >= 5, f"{' '.join(path)}: no description"
    assert parser.description.split()[0] in text
    examples = text.split("examples:", 1)
    assert len(examples) == 2, f"{' '.join(path)}: no examples section"
    assert f"hyperalign {' '.join(path)}" in examples[1], f"{' '.join(path)}: the example does not run this command"
    for flag in ("--json", "--verbose"):
        assert flag in text


@pytest.mark.parametrize("path, parser", [(p, q) for p, q in LEAVES if p[0] in LM_COMMANDS],
                         ids=[" ".join(p) for p, _ in LEAVES if p[0] in LM_COMMANDS])
def test_lm_commands_take_the_shared_lm_options(path, parser):
    options = {opt for action in parser._actions for opt in action.option_strings}
    missing = [opt for opt in SHARED_LM_OPTIONS if opt not in options]
    assert not missing, f"{' '.join(path)} lacks {missing}"


def test_lm_options_are_the_same_everywhere():
    """Any command with an LM option has them all, with the same help, type and default (one shared
    definition, never a command's own --lm)."""
    seen: dict[str, set] = {}
    for path, parser in LEAVES:
        options = {opt for action in parser._actions for opt in action.option_strings}
        if not options & set(SHARED_LM_OPTIONS):
            continue
        assert set(SHARED_LM_OPTIONS) <= options, f"{' '.join(path)} has only some of the LM options"
        for action in parser._actions:
            for opt in set(action.option_strings) & set(SHARED_LM_OPTIONS):
                seen.setdefault(opt, set()).add((action.help, action.type, action.default))
    assert set(seen) == set(SHARED_LM_OPTIONS)
    assert all(len(variants) == 1 for variants in seen.values()), seen


@pytest.mark.parametrize("argv", [
    ["--json", "data", "show", "demo"],
    ["data", "--json", "show", "demo"],
    ["data", "show", "demo", "--json"],
    ["-v", "data", "show", "demo"],
    ["data", "show", "demo", "--verbose"],
])
def test_global_flags_in_any_position(argv):
    args = build_parser().parse_args(argv)
    assert args.json == ("--json" in argv)
    assert args.verbose == ("--verbose" in argv or "-v" in argv)


def test_an_unknown_domain_lists_every_registered_domain(capsys):
    from hyperalign.optimize.domains import domain_names

    assert main(["evaluate", "nosuch", "--no-track"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nosuch" in err
    for name in domain_names():
        assert name in err


@pytest.mark.parametrize("argv", [
    ["data", "show", "demo", "--json"],
    ["--json", "data", "check", "demo"],
    ["judge", "validate", "demo", "--json"],
])
def test_json_output_is_one_document_and_nothing_else(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    json.loads(out)  # the whole of stdout is one JSON document
