"""The benchmark's --quick mode runs end to end on the embedded LM and writes valid JSON with every section.

No timing assertions: the figures depend on the machine. Every section must succeed: a section that
failed records its error in the JSON, and the assertion shows it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SCRIPT = REPO_ROOT / "tests" / "benchmarks" / "run.py"
sys.path.insert(0, str(SCRIPT.parent))
from run import SECTIONS  # noqa: E402


@pytest.mark.slow
def test_quick_benchmark_writes_every_section(tmp_path):
    run = subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads((tmp_path / "benchmark.json").read_text(encoding="utf-8"))
    assert results["quick"] is True and results["lm"] == "embedded"
    assert results["machine"]["cores"] >= 1
    assert set(SECTIONS) <= set(results["sections"])
    for name, section in results["sections"].items():
        assert section["ok"] is True, (name, section.get("error"))
    tasks = results["sections"]["lm_calls_for_tasks"]
    assert tasks["cached"]["lm_calls"] == 1 + tasks["T"]  # hypotheses once, then one call per task
    assert tasks["reinfer"]["lm_calls"] == 2 * tasks["T"]
    markdown = (tmp_path / "benchmark.md").read_text(encoding="utf-8")
    assert results["date"] in markdown and "| figure | value | note |" in markdown
