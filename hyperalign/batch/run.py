"""`run_batch(BatchConfig(...))`: personalize many users' tasks into one output file, resumably."""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hyperalign.batch.inputs import existing_table, read_tasks, table_format, user_records
from hyperalign.batch.rows import done_keys, finalize, new_run_dir
from hyperalign.batch.worker import WorkerSpec
from hyperalign.core.errors import InputError
from hyperalign.core.progress import lm_call, note

ENGINES = ("local", "ray")


@dataclass
class BatchConfig:
    """What to personalize, where to write it, and how to run it.

        summary = run_batch(BatchConfig(users="users.jsonl", tasks="tasks.jsonl", out="out.parquet",
                                        engine="ray", workers=2))
    """
    users: Path | str
    out: Path | str
    tasks: Path | str | None = None
    engine: str = "local"
    workers: int | None = None  # default: the machine's core count
    program: str | None = None  # compiled program REF; None: the default HyPerAlign
    allow_pickle: bool = False
    lm_options: dict = field(default_factory=dict)  # keyword arguments of hyperalign.core.lm.make_lm
    hypothesis_lm_options: dict | None = None  # the LM that infers the hypotheses (None: the same LM)
    profiles: Path | str | None = None  # profile store; None: the default store in the data dir
    use_profiles: bool = True
    ray_address: str | None = None  # join this cluster ($RAY_ADDRESS); None: start a local one


@dataclass
class BatchSummary:
    """What a run did: rows done and failed this run, rows skipped as already done, LM cost."""
    out: str
    engine: str
    workers: int
    users: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    inferred: int = 0  # users whose hypotheses were inferred in this run
    profiles_reused: int = 0  # users whose stored profile was used (no inference call)
    lm_calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time the workers spent on this run's rows (all workers together)
    startup_seconds: float = 0.0  # Ray: joining or starting the cluster
    outputs_per_s: float = 0.0
    peak_rss_mb_per_worker: float = 0.0
    torn_lines: int = 0  # lines of a killed run's parts that were cut off (their rows are redone)
    first_error: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _check(config: BatchConfig) -> tuple[Path, str, Path, int]:
    if config.engine not in ENGINES:
        raise InputError(f"unknown engine {config.engine!r}; use one of: {', '.join(ENGINES)}")
    users, fmt = existing_table(config.users, "users")
    out = Path(config.out)
    table_format(out, "output")
    if out.is_dir():
        raise InputError(f"{out}: is a folder; --out names the output file")
    workers = config.workers or os.cpu_count() or 1
    if workers < 1:
        raise InputError(f"--workers must be at least 1, got {workers}")
    return users, fmt, out, workers


def worker_threads(engine: str, workers: int) -> int:
    """Embedded LM threads per worker: a local worker's share of this machine's cores; a Ray actor
    holds one CPU. More threads than cores spin against each other (docs/performance.md)."""
    return 1 if engine == "ray" else max(1, (os.cpu_count() or 1) // workers)


@contextmanager
def only_run(out: Path) -> Iterator[None]:
    """One run per output file at a time: two would merge and remove each other's parts."""
    lock = out.with_name(f".{out.name}.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise InputError(f"{out}: another batch run is writing it (lock {lock})") from exc
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)


def run_batch(config: BatchConfig) -> BatchSummary:
    """Run the batch: hypotheses once per user (stored profile or one inference), then one generation
    per (user, task) not yet in the output. Failing rows record their error; the run goes on."""
    users, fmt, out, workers = _check(config)
    with only_run(out):
        return _run(config, users, fmt, out, workers)


def _run(config: BatchConfig, users: Path, fmt: str, out: Path, workers: int) -> BatchSummary:
    tasks = read_tasks(config.tasks)
    done, torn = done_keys(out)
    profiles = None
    if config.use_profiles:
        from hyperalign.profiles.store import ProfileStore, default_path

        profiles = str(ProfileStore(config.profiles or default_path()).path)  # created (and checked) once, here
    spec = WorkerSpec(program=config.program, allow_pickle=config.allow_pickle, lm_options=dict(config.lm_options),
                      hypothesis_lm_options=config.hypothesis_lm_options,
                      profiles=profiles, tasks=tasks, done=frozenset(done), threads=worker_threads(config.engine, workers))
    summary = BatchSummary(out=str(out), engine=config.engine, workers=workers, torn_lines=torn)
    if done:
        note(f"Resuming: {len(done)} row(s) already in {out} or its parts are skipped")
    started = time.perf_counter()
    run_dir = new_run_dir(out)
    if config.engine == "ray":
        from hyperalign.batch.ray_engine import run_ray, start_ray

        summary.startup_seconds = round(start_ray(config.ray_address, workers), 2)
        run_ray(users, fmt, spec, run_dir, workers)  # Ray Data shows its own progress on stderr
    else:
        from hyperalign.batch.local import run_local

        run_local(user_records(users, fmt), spec, run_dir, workers)
    rows = finalize(out, run_dir)
    summary.seconds = round(time.perf_counter() - started, 2)
    _count(summary, rows, done)
    if config.engine == "ray":
        lm_call(summary.lm_calls)  # made in the actors, out of the CLI's sight
    return summary


def _count(summary: BatchSummary, rows: list[dict], done: set) -> None:
    failed = [r for r in rows if r.get("error")]
    summary.done, summary.failed = len(rows) - len(failed), len(failed)
    summary.first_error = failed[0]["error"] if failed else None
    summary.users = len({r["user_id"] for r in rows if r.get("user_id") is not None})
    summary.skipped = len(done)
    for name in ("lm_calls", "cached_calls", "prompt_tokens", "completion_tokens"):
        setattr(summary, name, sum(int(r.get(name) or 0) for r in rows))
    summary.cpu_seconds = round(sum(float(r.get("cpu_seconds") or 0) for r in rows), 2)
    summary.inferred = sum(1 for r in rows if r.get("inferred"))
    summary.profiles_reused = sum(1 for r in rows if r.get("profile_reused"))
    summary.outputs_per_s = round(summary.done / summary.seconds, 4) if summary.seconds else 0.0
    summary.peak_rss_mb_per_worker = max((float(r.get("peak_rss_mb") or 0) for r in rows), default=0.0)
