"""A compile study: every optimizer on several corpora, each compile judged on its unseen test users.

One MLflow parent run (experiment `hyperalign-compile-study`) holds the study's settings, one metric
group per cell (`<corpus>.<optimizer>.difference`, `.low`, `.high`, `.lm_calls`, `.seconds`), the
table (markdown and JSON) and a comparison plot; each compile is a child run in its domain's
experiment. Compiles are not registered (a study must not move anyone's champion).

    from hyperalign.optimize.compile.study import Corpus, run_study
    rows = run_study([Corpus("demo", "email")], ["bootstrap"], metric="stylometric", out="study")
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from hyperalign.core.errors import HyperAlignError
from hyperalign.core.files import write_json, write_text
from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.optimize.compile.budgets import OPTIMIZERS
from hyperalign.optimize.compile.run import CompileConfig, compile_domain
from hyperalign.optimize.compile.scoring import say
from hyperalign.optimize.evaluation.reports import markdown_table, write_bar_chart
from hyperalign.optimize.tracking.store import experiment_id

EXPERIMENT = "hyperalign-compile-study"
COLUMNS = ("corpus", "optimizer", "before", "after", "difference [95% CI]", "test users", "LM calls", "wall time",
           "CPU time", "note")


@dataclass(frozen=True)
class Corpus:
    """One row group of the study: a name, the domain and corpus path it compiles, samples per user."""
    name: str
    domain: str
    path: str | None = None
    k: int = 5


@dataclass
class Cell:
    """One compile of the study, as measured (or why it did not finish)."""
    corpus: str
    optimizer: str
    before: float | None = None
    after: float | None = None
    difference: tuple[float, float, float] | None = None  # mean, low, high
    test_users: int = 0
    lm_calls: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: the wall time on an idle core (the embedded LM runs in-process)
    note: str = ""
    run_id: str | None = None

    def row(self) -> list[str]:
        if self.difference is None:
            return [self.corpus, self.optimizer, "-", "-", "-", "-", "-", f"{self.seconds / 60:.1f} min",
                    f"{self.cpu_seconds / 60:.1f} min", self.note]
        mean, low, high = self.difference
        return [self.corpus, self.optimizer, f"{self.before:.1f}", f"{self.after:.1f}",
                f"{mean:+.1f} [{low:+.1f}, {high:+.1f}]", str(self.test_users), str(self.lm_calls),
                f"{self.seconds / 60:.1f} min", f"{self.cpu_seconds / 60:.1f} min", self.note]


def compile_cell(corpus: Corpus, optimizer: str, *, metric: str | None, budget: str, lm, tracking_uri: str,
                 parent_run_id: str, seed: int, test_users: int | None = None) -> Cell:

    started, cpu = time.monotonic(), time.process_time()
    with tempfile.TemporaryDirectory(prefix="hyperalign-study-") as tmp:
        config = CompileConfig(domain=corpus.domain, optimizer=optimizer, budget=budget, metric=metric, path=corpus.path,
                               k=corpus.k, seed=seed, lm=lm, out=Path(tmp) / "program", tracking_uri=tracking_uri,
                               register=False, parent_run_id=parent_run_id, test_users=test_users)
        try:
            result = compile_domain(config)
        except HyperAlignError as exc:  # an LM or data failure ends this cell, not the study
            return Cell(corpus.name, optimizer, seconds=time.monotonic() - started,
                        cpu_seconds=time.process_time() - cpu, note=f"failed: {exc}")
    verdict = result.verdict
    d = verdict.vs_uncompiled
    note = f"rejected: {verdict.rejected}" if verdict.rejected else ""
    return Cell(corpus.name, optimizer, verdict.before, verdict.after, (d.mean, d.low, d.high), verdict.users,
                result.lm_calls, result.seconds, time.process_time() - cpu, note, result.run_id)


def run_study(corpora: list[Corpus], optimizers: list[str], *, metric: str | None = None, budget: str = "light",
              lm=None, out: Path | str = "compile-study", tracking_uri: str | None = None, seed: int = 0,
              test_users: int | None = None, jobs: int = 1, only: set[tuple[str, str]] | None = None) -> list[Cell]:
    """Compile every corpus with every optimizer; write `study.md`, `study.json`, `study.png` to `out`
    after each cell (an interrupted study keeps what finished) and log them to one parent run. With
    `jobs` > 1 the cells run in that many processes at once (one core each for the embedded LM),
    still under the one parent run. `only` limits the study to these (corpus name, optimizer) cells."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow import MlflowClient


    unknown = sorted(set(optimizers) - set(OPTIMIZERS))
    if unknown:
        from hyperalign.core.errors import InputError

        raise InputError(f"unknown optimizer(s) {', '.join(unknown)} (known: {', '.join(OPTIMIZERS)})")
    uri = resolve_tracking_uri(tracking_uri)
    client = MlflowClient(uri, uri)
    parent = client.create_run(experiment_id(client, EXPERIMENT.removeprefix("hyperalign-")), run_name=f"study-{metric or 'default'}-{budget}",
                               tags={"hyperalign.kind": "compile-study"})
    parent_id = parent.info.run_id
    settings = {"corpora": json.dumps([asdict(c) for c in corpora]), "optimizers": ",".join(optimizers),
                "metric": metric or "domain default", "budget": budget, "seed": seed,
                "test_users": test_users or "the budget's",
                "cells": ",".join(f"{c}:{o}" for c, o in sorted(only)) if only else "all"}
    for key, value in settings.items():
        client.log_param(parent_id, key, value)
    out = Path(out)
    cells: list[Cell] = []
    status = "FAILED"
    work = [(corpus, optimizer) for corpus in corpora for optimizer in optimizers
            if only is None or (corpus.name, optimizer) in only]
    options = {"metric": metric, "budget": budget, "lm": lm, "tracking_uri": uri, "parent_run_id": parent_id,
               "seed": seed, "test_users": test_users}
    try:
        for cell in _cells(work, options, jobs):
            cells.append(cell)
            log_cell(client, parent_id, cell)
            write_study(out, cells, settings)
        for path in write_study(out, cells, settings):
            client.log_artifact(parent_id, str(path))
        status = "FINISHED"
    finally:
        client.set_terminated(parent_id, status=status)
    return cells


def _cells(work: list[tuple[Corpus, str]], options: dict, jobs: int, compile_one=None):
    """Each (corpus, optimizer) compiled, in order (one process) or as they finish (`jobs` processes).
    `compile_one` (a module-level function, so a spawned process can import it) defaults to compile_cell."""
    compile_one = compile_one or compile_cell
    if jobs <= 1:
        for corpus, optimizer in work:
            say(f"study: {corpus.name} x {optimizer}")
            yield compile_one(corpus, optimizer, **options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Spawned, not forked: llama.cpp's threads do not survive a fork.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {pool.submit(compile_one, corpus, optimizer, **options): (corpus, optimizer) for corpus, optimizer in work}
        for future in as_completed(futures):
            corpus, optimizer = futures[future]
            say(f"study: {corpus.name} x {optimizer} finished")
            yield future.result()


def log_cell(client, run_id: str, cell: Cell) -> None:
    if cell.difference is None:
        return
    prefix = f"{cell.corpus}.{cell.optimizer}"
    values = {"before": cell.before, "after": cell.after, "difference": cell.difference[0],
              "difference_low": cell.difference[1], "difference_high": cell.difference[2],
              "lm_calls": cell.lm_calls, "seconds": cell.seconds, "cpu_seconds": cell.cpu_seconds}
    for name, value in values.items():
        client.log_metric(run_id, f"{prefix}.{name}", float(value))


def write_study(out: Path, cells: list[Cell], settings: dict) -> list[Path]:
    """The table (markdown, JSON) and the comparison plot: each cell's difference with its interval."""
    table = markdown_table(COLUMNS, [cell.row() for cell in cells])
    paths = [write_text(out / "study.md", table + "\n"),
             write_json(out / "study.json", {"settings": settings, "cells": [asdict(c) for c in cells]})]
    measured = [c for c in cells if c.difference is not None]
    if measured:
        paths.append(write_bar_chart(
            out / "study.png", [f"{c.corpus}\n{c.optimizer}" for c in measured],
            {"compiled − uncompiled": [c.difference for c in measured]},
            title="test users: compiled − uncompiled (95% CI over users)", ylabel="score difference (points)",
            ylim=(min(-10.0, *(c.difference[1] - 2 for c in measured)), max(10.0, *(c.difference[2] + 2 for c in measured))),
        ))
    return paths
