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


MID_RUN = r"""
import sys
from pathlib import Path
from hyperalign.core.errors import StoreError
from hyperalign.optimize.tracking.preflight import check_store
from hyperalign.optimize.tracking.store import log_report
folder = Path(sys.argv[1])
uri = check_store(f"sqlite:///{folder / 'store' / 'mlflow.db'}", write=True)  # writable when the run starts
report = folder / "report" / "report.md"
report.parent.mkdir()
report.write_text("# results")
(folder / "store" / "mlflow.db").chmod(0o444)  # ...and read-only by the time the report is logged
(folder / "store").chmod(0o555)
try:
    log_report("demo", "evaluate demo", params={"a": 1}, metrics={"m": 1.0}, files=[report], tracking_uri=uri)
except StoreError as exc:
    print(exc)
    sys.exit(4)
"""


def test_store_read_only_mid_run_is_one_line_and_keeps_the_report(tmp_path, can_drop_privileges):
    import subprocess
    import sys

    from tests.hardening.conftest import NO_DAC

    proc = subprocess.run([*NO_DAC, sys.executable, "-c", MID_RUN, str(tmp_path)], capture_output=True, text=True, timeout=300)
    (tmp_path / "store").chmod(0o755)
    assert proc.returncode == 4, proc.stderr[-2000:]
    assert "could not log the report" in proc.stdout and "readonly" in proc.stdout.replace("read-only", "readonly")
    assert f"kept in {tmp_path / 'report'}" in proc.stdout
    assert (tmp_path / "report" / "report.md").read_text() == "# results"
