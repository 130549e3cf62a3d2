"""The local engine: N worker processes (`concurrent.futures`), each loading the program and LM once.

Each process appends its finished rows to its own part file, one line per row, flushed at once, so
a killed run keeps every finished row. Processes are spawned, not forked: llama.cpp and the LM
clients' threads do not survive a fork.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from hyperalign.batch.worker import UserWorker, WorkerSpec
from hyperalign.core.errors import HyperAlignError
from hyperalign.core.progress import lm_call, stage

_worker: UserWorker | None = None
_part: Any = None


def _start(spec: WorkerSpec, run_dir: str) -> None:
    """Process initializer: build the worker once (program, LM, store) and open this process's part."""
    global _worker, _part
    _worker = UserWorker(spec)
    _part = open(Path(run_dir) / f"local-{os.getpid()}.jsonl", "a", encoding="utf-8")


def _do_user(record: Any, location: str) -> tuple[int, int, int]:
    """One user's rows, appended to this process's part. Returns (rows, failed rows, LM calls)."""
    rows = _worker.run(record, location)
    for row in rows:
        _part.write(json.dumps(row, ensure_ascii=False) + "\n")
        _part.flush()
    return len(rows), sum(1 for r in rows if r["error"]), sum(r["lm_calls"] for r in rows)


def run_local(records: Iterable[tuple[Any, str]], spec: WorkerSpec, run_dir: Path, workers: int) -> None:
    """Do every user record with `workers` processes; rows land in `run_dir`."""
    records = list(records)
    workers = max(1, min(workers, len(records)))  # no process for nothing to do
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start,
                             initargs=(spec, str(run_dir))) as pool, \
            stage("personalizing", total=len(records), unit="user") as step:
        futures = [pool.submit(_do_user, record, location) for record, location in records]
        try:
            for future in as_completed(futures):
                _, _, calls = future.result()
                lm_call(calls)
                step.advance()
        except BrokenProcessPool as exc:
            raise HyperAlignError(f"a worker process died ({exc}); the finished rows are kept in {run_dir.parent}: "
                                  "run the same command again to resume") from exc
        finally:  # Ctrl-C or an error: drop the queued users; finished rows stay in the parts
            for future in futures:
                future.cancel()
