"""Shared helpers of the hardening tests: the real CLI in a subprocess, and a way to make paths
unwritable even for root (drop the capabilities that bypass file permissions)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

CANARY = "sk-canary-hardening-0123456789abcdef"
# As root, chmod blocks nothing; without these capabilities the file permissions apply again.
NO_DAC = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"]


def run_cli(*args, tmp_path=None, env_extra=None, timeout=300, unprivileged=False, stdin=None):
    """`python -m hyperalign ARGS` with its own caches; returns the CompletedProcess."""
    env = {**os.environ, "OPENAI_API_KEY": CANARY, **(env_extra or {})}
    if tmp_path is not None:  # the test's own caches and data dir (DSPy's cache ignores the api base)
        env["DSPY_CACHEDIR"] = str(tmp_path / "dspy-cache")
        env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    command = [sys.executable, "-m", "hyperalign", *map(str, args)]
    if unprivileged:
        command = NO_DAC + command
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, stdin=stdin)


def error_line(proc) -> str:
    """The one `hyperalign: error:` line of a failed run (and no traceback, no leaked key)."""
    assert proc.returncode not in (0, None), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("hyperalign: error:")]
    assert len(lines) == 1, proc.stderr
    assert CANARY not in proc.stdout + proc.stderr
    return lines[0]


@pytest.fixture(scope="session")
def can_drop_privileges() -> None:
    """Tests of unwritable paths need either a non-root user or setpriv to drop root's overrides."""
    if os.geteuid() != 0:
        NO_DAC.clear()
        return
    if shutil.which("setpriv") is None:
        pytest.fail("running as root without setpriv: cannot make a path unwritable for the test")
