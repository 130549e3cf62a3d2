"""stdout carries only results: library chatter (DSPy's bars, LiteLLM's notices) printed to stdout while a
command runs lands on stderr, progress is drawn on stderr, and --json prints one document."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hyperalign.cli import run_command
from hyperalign.cli.common import emit, print_json
from hyperalign.core.progress import note, stage


def chatty_command(args: argparse.Namespace) -> int:
    print("Average Metric: 1.00 / 2 (50.0%): 100%|##########| 2/2")  # what DSPy's Evaluate prints to stdout
    note("Planned: 3 LM call(s)")
    note("[compile] " + "a long status line that a log reader greps for, never wrapped at 80 columns " * 2)
    with stage("evaluating", total=2) as step:
        step.doing("judging")
        step.advance(2)
    if args.json:
        print_json({"score": 0.5})
    else:
        emit("score: 0.5")
    return 0


@pytest.mark.parametrize("as_json", [False, True])
def test_only_results_reach_stdout(capsys, as_json):
    code = run_command(argparse.Namespace(func=chatty_command, json=as_json))
    out, err = capsys.readouterr()
    assert code == 0
    assert (json.loads(out) == {"score": 0.5}) if as_json else (out == "score: 0.5\n")
    assert "Average Metric" in err and "Planned: 3 LM call(s)" in err
    assert "[evaluating] 2 item(s)" in err  # not a terminal: one line per stage, no bar
    assert "[compile] " + "a long status line that a log reader greps for, never wrapped at 80 columns " * 2 in err


def test_progress_on_a_terminal_shows_stage_counts_lm_calls_and_eta():
    import io

    from hyperalign.cli.progress import TerminalReporter
    from hyperalign.core.progress import lm_call, reporting

    screen = io.StringIO()
    reporter = TerminalReporter(screen, live=True)
    with reporting(reporter), stage("evaluating", total=4) as step:
        step.doing("generating")
        lm_call(3)
        step.advance()
        reporter._bar.refresh()
    reporter.close()
    drawn = screen.getvalue()
    assert "evaluating" in drawn and "1/4" in drawn and "LM calls 3" in drawn and "ETA" in drawn


@pytest.mark.slow
def test_an_lm_command_with_json_prints_one_document_and_nothing_else(tmp_path):
    """A real LM-calling command in a fresh process (embedded LM): stdout is exactly one JSON document."""
    samples = tmp_path / "samples.txt"
    samples.write_text("Team, the trucks leave at six. Be on time.\n\nBoard: volumes up 4%. We hold prices.\n")
    env = {**os.environ, "DSPY_CACHEDIR": str(tmp_path / "dspy-cache"), "HYPERALIGN_EMBEDDED_THREADS": "1"}
    result = subprocess.run([sys.executable, "-m", "hyperalign", "hypotheses", "--json", "-s", str(samples), "-v"],
                            capture_output=True, text=True, env=env, timeout=600, cwd=Path(__file__).parent)
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["samples"] == 2 and document["hypotheses"]
    assert "Inferring hypotheses" in result.stderr
