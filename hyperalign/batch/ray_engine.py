"""The Ray engine: Ray Data reads the users, an actor pool personalizes them, Ray Data writes the rows.

    ray.data.read_text / read_parquet -> map_batches(RayUserWorker, ActorPoolStrategy(size=N)) -> write_json

Each actor builds one `UserWorker` (program, LM, profile store) in its constructor and is then fed
one user per batch. JSONL users are read as text lines and parsed in the actor, so a bad line fails
alone (pyarrow's JSON reader rejects a whole file for one bad line). Rows are written as JSONL parts
by Ray Data's writer; the driver merges them into the output file.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hyperalign.batch.worker import UserWorker, WorkerSpec
from hyperalign.core.errors import InputError


class RayUserWorker:
    """A Ray Data actor: one UserWorker per actor, one users row per batch."""
    def __init__(self, spec: WorkerSpec, path: str, fmt: str):
        self.worker = UserWorker(spec)
        self.path, self.fmt = path, fmt

    def __call__(self, batch):
        # Imported here: heavy: Parquet support loads only when a Parquet file is read or written.
        import pyarrow as pa

        from hyperalign.batch.rows import part_schema

        rows = []
        for record in batch.to_pylist():
            raw = record["text"] if self.fmt == "jsonl" else record
            location = f"{self.path} (user {record.get('user_id')})" if self.fmt == "parquet" else self.path
            if self.fmt == "jsonl" and not raw.strip():
                continue
            rows.extend(self.worker.run(raw, location))
        return pa.Table.from_pylist(rows, schema=part_schema())


def start_ray(address: str | None, workers: int) -> float:
    """Join the cluster at `address` ($RAY_ADDRESS), else start a local one; returns seconds taken.
    A local cluster gets one CPU more than the actors need, for Ray Data's read and write tasks
    (with every CPU held by an actor, the reader never runs)."""
    # Imported here: optional extra (ray[data]): only the Ray engine needs it.
    import ray

    started = time.perf_counter()
    if ray.is_initialized():
        return 0.0
    address = address or os.environ.get("RAY_ADDRESS")
    try:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers + 1, include_dashboard=False, log_to_driver=False)
    except ConnectionError as exc:
        raise InputError(f"cannot join the Ray cluster at {address!r} ({exc})") from exc
    return time.perf_counter() - started


def run_ray(users: Path, fmt: str, spec: WorkerSpec, run_dir: Path, workers: int) -> None:
    # Imported here: optional extra (ray[data]): only the Ray engine needs it.
    import ray.data

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = True
    dataset = ray.data.read_text(str(users)) if fmt == "jsonl" else ray.data.read_parquet(str(users))
    rows = dataset.map_batches(
        RayUserWorker,
        fn_constructor_kwargs={"spec": spec, "path": str(users), "fmt": fmt},
        batch_size=1,
        batch_format="pyarrow",
        # One user at a time per actor: a queue on a busy actor would leave another idle.
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        num_cpus=1,
    )
    rows.write_json(str(run_dir))
