"""Sections measured in a fresh process: cold start + peak memory of `personalize`, and compile cost.

Each child gets an empty DSPy cache directory, so nothing is answered from an earlier run, and the
cache it fills tells how many distinct LM calls it made.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_common import Settings, load_email

# A child forked from this (large) process inherits its RSS high-water mark across exec, so the peak is
# read one level down: a small launcher runs the command and reports its child's ru_maxrss.
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_measured(cmd: list[str], env: dict, timeout: float, cwd: Path) -> dict:
    """Run `cmd`; wall seconds, exit code and its own peak RSS (measured by a launcher, see LAUNCHER)."""
    rss_file = Path(cwd) / f".maxrss-{time.monotonic_ns()}"
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(rss_file), *cmd], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    out: dict[str, str] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: out.__setitem__(n, s.read())) for n, s in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for r in readers:
        r.start()
    proc.wait()
    seconds = time.perf_counter() - start
    killer.cancel()
    for r in readers:
        r.join()
    peak_kb = int(rss_file.read_text()) if rss_file.is_file() else None
    return {"seconds": round(seconds, 2), "returncode": proc.returncode, "timed_out": seconds >= timeout,
            "peak_rss_mb": round(peak_kb / 1024, 1) if peak_kb else None, "stdout": out.get("stdout", ""), "stderr": out.get("stderr", "")}


def cache_entries(cache_dir: Path) -> int:
    """Entries in a DSPy disk cache (diskcache FanoutCache: one sqlite file per shard)."""
    total = 0
    for db in cache_dir.rglob("cache.db"):
        with sqlite3.connect(db) as conn:
            total += conn.execute("SELECT COUNT(*) FROM Cache").fetchone()[0]
    return total


def _child_env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update(DSPY_CACHEDIR=str(tmp / "dspy-cache"), MLFLOW_TRACKING_URI=f"sqlite:///{tmp / 'mlflow.db'}",
               HYPERALIGN_EMBEDDED_THREADS=env.get("HYPERALIGN_EMBEDDED_THREADS", "1"))
    return env


def _cli_has(command: str) -> bool:
    exe = shutil.which("hyperalign")
    if not exe:
        return False
    probe = subprocess.run([exe, command, "--help"], capture_output=True, text=True, timeout=120)
    return probe.returncode == 0


FALLBACK_PERSONALIZE = """
import json, sys
from hyperalign.core.lm import lm_context
from hyperalign.programs import HyPerAlign
samples = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
with lm_context(sys.argv[3]):
    pred = HyPerAlign()(samples=samples, task=sys.argv[2])
print(json.dumps({"text": pred.text, "hypotheses": pred.hypotheses}))
"""


def cold_start(settings: Settings, model: str) -> dict:
    """Process start → first personalized output (hypotheses inferred, nothing cached), and peak RSS."""
    user = load_email(settings.k)[0]
    task = user.held_out[0].task
    with tempfile.TemporaryDirectory(prefix="hyperalign-bench-") as tmpdir:
        tmp = Path(tmpdir)
        samples = tmp / "samples.jsonl"
        samples.write_text("".join(json.dumps(s) + "\n" for s in user.samples), encoding="utf-8")
        if _cli_has("personalize"):
            how = "hyperalign personalize --samples FILE --task ... --json"
            cmd = [shutil.which("hyperalign"), "personalize", "--samples", str(samples), "--task", task, "--json"]
            if model != "embedded":
                cmd += ["--lm", model]
        else:
            how = "python -c (HyPerAlign through the library: the `hyperalign personalize` command is not available yet)"
            cmd = [sys.executable, "-c", FALLBACK_PERSONALIZE, str(samples), task, model]
        run = run_measured(cmd, _child_env(tmp), timeout=600, cwd=tmp)
        calls = cache_entries(tmp / "dspy-cache")
        # The floor under it: the same process doing nothing but import + model load.
        floor = None if not settings.cold_start_floor else run_measured([sys.executable, "-c", "import hyperalign.core.lm as l, hyperalign.core.embedded as e, time;"
                              "t=time.perf_counter(); l.make_lm('embedded'); e.warm_up(); print(round(time.perf_counter()-t,3))"],
                             _child_env(tmp), timeout=300, cwd=tmp)
    if run["returncode"] != 0:
        raise RuntimeError(f"{how} exited {run['returncode']}: {run['stderr'][-600:]}")
    output = json.loads(run["stdout"])
    return {"how": how, "k": len(user.samples), "task": task, "seconds_to_first_output": run["seconds"],
            "peak_rss_mb": run["peak_rss_mb"], "lm_calls": calls, "text_chars": len(output.get("text", "")),
            "import_and_model_load_only": floor and {"seconds": floor["seconds"], "peak_rss_mb": floor["peak_rss_mb"],
                                                     "model_load_s": _float(floor["stdout"])}}


def _float(text: str) -> float | None:
    try:
        return float(text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


COMPILE_SIZES = ["--train-users", "2", "--val-users", "1", "--train-tasks-per-user", "1", "--val-tasks-per-user", "1", "--k", "3"]


def compile_cost(settings: Settings, model: str) -> dict:
    """Wall time and LM calls of `hyperalign compile email --optimizer bootstrap` (demo e-mails)."""
    if not settings.compile:
        return {"measured": False, "reason": "skipped in --quick mode (a compile is minutes of LM calls)"}
    if not _cli_has("compile"):
        return {"measured": False, "reason": "`hyperalign compile` is not available in this checkout yet"}
    with tempfile.TemporaryDirectory(prefix="hyperalign-bench-") as tmpdir:
        tmp = Path(tmpdir)
        # The smallest compile that still bootstraps (sizes recorded below); the default light budget is larger.
        cmd = [shutil.which("hyperalign"), "compile", "email", "--optimizer", "bootstrap", *COMPILE_SIZES,
               "--out", str(tmp / "compiled"), "--tracking-uri", f"sqlite:///{tmp / 'mlflow.db'}"]
        if model != "embedded":
            cmd += ["--lm", model]
        run = run_measured(cmd, _child_env(tmp), timeout=settings.compile_timeout, cwd=tmp)
        calls = cache_entries(tmp / "dspy-cache")
    result = {"command": " ".join(["hyperalign", "compile", "email", "--optimizer", "bootstrap", *COMPILE_SIZES]), "seconds": run["seconds"], "lm_calls": calls,
              "peak_rss_mb": run["peak_rss_mb"], "returncode": run["returncode"]}
    if run["timed_out"]:
        result.update(measured=False, reason=f"stopped after {settings.compile_timeout:.0f} s (time budget); lm_calls is the count so far")
    elif run["returncode"] != 0:
        raise RuntimeError(f"compile exited {run['returncode']}: {run['stderr'][-600:]}")
    else:
        result.update(measured=True, tail=run["stdout"][-400:])
    return result
