"""Without the research corpora, the README's test command still passes on a fresh clone: corpus
tests skip with ONE summary line saying where to put them; under CI=true a missing corpus fails."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS_TESTS = "tests/data/test_data_news.py"  # 5 tests read CCAT50, the others need no corpus


def run_pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update({"HYPERALIGN_CORPORA": str(tmp_path / "no-corpora-here"), **env})
    return subprocess.run([sys.executable, "-m", "pytest", CORPUS_TESTS, "-q", "-p", "no:cacheprovider"],
                          cwd=REPO, env=environment, capture_output=True, text=True, timeout=600)


def test_missing_corpora_skip_with_one_summary_line(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    lines = [line for line in result.stdout.splitlines() if "reference corpora not found" in line]
    assert len(lines) == 1, result.stdout[-2000:]
    assert lines[0].startswith("SKIPPED [5]") and str(tmp_path / "no-corpora-here") in lines[0]
    assert "HYPERALIGN_CORPORA" in lines[0]
    assert "5 skipped" in result.stdout


def test_missing_corpora_fail_under_ci(tmp_path):
    result = run_pytest(tmp_path, CI="true")
    assert result.returncode != 0
    assert "reference corpora not found" in result.stdout and "5 error" in result.stdout


def test_the_corpora_location_can_be_set(tmp_path, shared_data):
    result = run_pytest(tmp_path, HYPERALIGN_CORPORA=str(shared_data))
    assert result.returncode == 0 and "skipped" not in result.stdout, result.stdout[-2000:]
