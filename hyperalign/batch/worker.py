"""One batch worker: loads the program and its LM once, then does users one at a time.

For each user, two stages: the hypotheses (from the profile store when they still fit, else one
inference), then one generation per pending task. Every failure is recorded in its row; nothing
stops the worker but a broken program or LM set-up, which fails at start.
"""

from __future__ import annotations

import os
import re
import resource
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hyperalign.batch.inputs import BadRow, TaskTable, UserRow, parse_user
from hyperalign.batch.rows import make_row
from hyperalign.core.lm import lm_context, make_lm
from hyperalign.core.lm_errors import lm_errors
from hyperalign.core.redaction import redact
from hyperalign.profiles.store import ProfileStore


@dataclass(frozen=True)
class WorkerSpec:
    """What every worker needs to build its own program, LM and store (picklable, no key in it)."""
    program: str | None = None  # a compiled program's REF; None: the default HyPerAlign
    allow_pickle: bool = False
    lm_options: dict = field(default_factory=dict)  # keyword arguments of make_lm
    hypothesis_lm_options: dict | None = None  # make_lm kwargs of the LM that infers (None: lm_options')
    profiles: str | None = None  # profile store path; None: no store
    tasks: TaskTable = field(default_factory=TaskTable)
    done: frozenset = frozenset()  # (user_id, task) answered by an earlier run
    threads: int | None = None  # embedded LM threads per worker (its share of the cores); None: the default


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB. Linux's VmHWM belongs to the process's own address
    space; ru_maxrss (the fallback elsewhere) includes the parent's peak, which a spawned child inherits
    across exec."""
    status = Path("/proc/self/status")
    found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(encoding="ascii"), re.M) if status.exists() else None
    if found:
        return int(found.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clock() -> tuple[float, float]:
    """(wall, CPU) time of this process: CPU time is what a row costs whatever else runs."""
    return time.perf_counter(), time.process_time()


def error_text(exc: BaseException) -> str:
    return redact(f"{type(exc).__name__}: {exc}")[:500]


class Usage:
    """LM calls and tokens since the last `take()`, read from the LMs' histories (cache hits apart)."""
    def __init__(self, *lms):
        self.lms = lms
        for lm in lms:
            lm.history.clear()

    def take(self) -> dict:
        entries = []
        for lm in self.lms:
            entries.extend(lm.history)
            lm.history.clear()
        live = [e for e in entries if not getattr(e.get("response"), "cache_hit", False)]
        usage = [e.get("usage") or {} for e in live]
        return {"lm_calls": len(live), "cached_calls": len(entries) - len(live),
                "prompt_tokens": sum(u.get("prompt_tokens") or 0 for u in usage),
                "completion_tokens": sum(u.get("completion_tokens") or 0 for u in usage)}


class UserWorker:
    """Builds the program, LM and profile store once; `run(record, location)` returns the user's rows.

        worker = UserWorker(WorkerSpec(lm_options={"model": "embedded"}))
        rows = worker.run({"user_id": "u1", "samples": [...], "tasks": ["Write ..."]}, "users.jsonl:1")
    """
    def __init__(self, spec: WorkerSpec):
        # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
        from hyperalign.profiles.reuse import program_version, takes_stored_hypotheses

        self.spec = spec
        if spec.threads and "HYPERALIGN_EMBEDDED_THREADS" not in os.environ:  # set before the model loads
            os.environ["HYPERALIGN_EMBEDDED_THREADS"] = str(spec.threads)
        self.program = self._load_program(spec)
        self.lm = make_lm(**spec.lm_options)
        self.hypothesis_lm = make_lm(**spec.hypothesis_lm_options) if spec.hypothesis_lm_options else self.lm
        self.store = ProfileStore(spec.profiles) if spec.profiles else None
        self.two_stage = takes_stored_hypotheses(self.program)
        self.version = program_version(self.program)
        self.usage = Usage(*{id(lm): lm for lm in (self.lm, self.hypothesis_lm)}.values())
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    @staticmethod
    def _load_program(spec: WorkerSpec):
        if spec.program:
            from hyperalign.loading import load

            return load(spec.program, allow_pickle=spec.allow_pickle)
        # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
        from hyperalign.programs import HyPerAlign

        return HyPerAlign()

    def _row(self, user_id, task, started: tuple[float, float], **fields) -> dict:
        wall, cpu = started
        return make_row(user_id, task, seconds=round(time.perf_counter() - wall, 3),
                        cpu_seconds=round(time.process_time() - cpu, 3), worker=self.name,
                        peak_rss_mb=round(peak_rss_mb(), 1), **self.usage.take(), **fields)

    def run(self, record: Any, location: str) -> list[dict]:
        started = clock()
        try:
            user = parse_user(record, location)
        except BadRow as exc:  # the row fails alone: one error row per task it asked for
            tasks = self.spec.tasks.for_user(UserRow(exc.user_id, [], {}, exc.tasks)) if exc.user_id else []
            return [self._row(exc.user_id, t, started, error=f"InputError: {exc}") for t in tasks or [None]]
        tasks = self.spec.tasks.for_user(user)
        if not tasks:
            return [self._row(user.user_id, None, started, error="InputError: no tasks for this user")]
        pending = [t for t in tasks if (user.user_id, t) not in self.spec.done]
        if not pending:
            return []
        with lm_context(self.lm):
            return self._personalize(user, pending, started)

    def _personalize(self, user: UserRow, tasks: list[str], started: tuple[float, float]) -> list[dict]:
        kwargs, first = {}, {}
        if self.spec.hypothesis_lm_options and not self.two_stage:
            problem = f"InputError: {type(self.program).__name__} does not infer hypotheses; a hypothesis LM cannot apply"
            return [self._row(user.user_id, t, started, error=problem) for t in tasks]
        if self.two_stage:
            from hyperalign.profiles.reuse import generate_kwargs, hypotheses_for_user

            try:
                with lm_errors(), lm_context(self.hypothesis_lm):  # the profile records the LM that inferred
                    found = hypotheses_for_user(self.program, self.store, user.user_id, user.samples,
                                                user.attributes, self.version)
            except Exception as exc:  # recorded in every row of the user; the batch goes on
                return [self._row(user.user_id, t, started, error=error_text(exc)) for t in tasks]
            kwargs = generate_kwargs(self.program, found)
            first = {"inferred": not found.reused, "profile_reused": found.reused}
        rows = []
        for task in tasks:
            try:
                with lm_errors():
                    pred = self.program(samples=user.samples, task=task, attributes=user.attributes, **kwargs)
                rows.append(self._row(user.user_id, task, started, text=pred.text,
                                      hypotheses=list(pred.get("hypotheses", None) or []), **first))
            except Exception as exc:  # recorded in the row; the batch goes on
                rows.append(self._row(user.user_id, task, started, error=error_text(exc), **first))
            first, started = {}, clock()
        return rows
