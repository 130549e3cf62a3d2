"""Fault injection (and cases 6, 7): the LM times out, answers 429/500, answers garbage, or echoes the
key in a 401; every time one line, the right exit code, no traceback and no key, even with --verbose."""

from __future__ import annotations

import pytest

from tests.core.fake_server import fake_openai_server
from tests.hardening.conftest import CANARY, error_line, run_cli

LM_FAILURE = 3


@pytest.fixture()
def samples(tmp_path):
    path = tmp_path / "samples.txt"
    path.write_text("Short note one. Thanks.\n\nShort note two, with a question?\n")
    return path


@pytest.mark.parametrize("mode, fragment", [
    ("hang", "timed out"), ("rate-limit", "rate limit"), ("server-error", "failed"), ("garbage", "parsed"),
])
def test_lm_faults_are_one_line(tmp_path, samples, mode, fragment):
    with fake_openai_server(mode) as (api_base, _):
        proc = run_cli("hypotheses", "--samples", samples, "--lm", "openai/fake", "--api-base", api_base,
                       "--timeout", "1", "--retries", "0", tmp_path=tmp_path)
    line = error_line(proc)
    assert proc.returncode == LM_FAILURE and fragment in line.lower(), line


def test_verbose_traceback_never_shows_the_key(tmp_path, samples):
    """Before: with --verbose, a 401 whose message echoes the key printed it five times (only the
    last line was redacted)."""
    with fake_openai_server("auth-echo") as (api_base, seen):
        proc = run_cli("--verbose", "hypotheses", "--samples", samples, "--lm", "openai/fake", "--api-base", api_base,
                       "--api-key-env", "OPENAI_API_KEY", "--retries", "0", tmp_path=tmp_path)
    assert any(CANARY in str(request["headers"]) for request in seen), (seen, proc.stderr[-3000:])  # the server got (and echoed) it
    assert proc.returncode == LM_FAILURE
    assert "Traceback" in proc.stderr  # --verbose still shows where it failed...
    assert CANARY not in proc.stdout + proc.stderr  # ...with the key masked everywhere
