"""The batch's output rows: their schema, the checkpoint parts a run writes, and the final file.

While a batch runs, finished rows go to `OUT.parts/<run id>/` (JSONL files, appended row by row by
the local engine, written block by block by Ray Data). A rerun reads them (and a finished OUT) to
skip rows already done. At the end the parts and the rows of an earlier OUT are merged into OUT,
written atomically (Parquet or JSONL by its extension), and the parts are removed. A failed row is
retried by the next run; its old error row is replaced.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hyperalign.core.files import write_atomically
from hyperalign.core.jsonl import read_jsonl

# What a row says (the output file) and what it cost (kept in the parts for the summary only).
OUTPUT_COLUMNS = ("user_id", "task", "text", "hypotheses", "error")
STAT_COLUMNS = ("lm_calls", "cached_calls", "prompt_tokens", "completion_tokens", "inferred", "profile_reused",
                "seconds", "cpu_seconds", "worker", "peak_rss_mb")
PARTS_SUFFIX = ".parts"


def part_schema():
    # Imported here: heavy: Parquet support loads only when a Parquet file is read or written.
    import pyarrow as pa

    return pa.schema([
        ("user_id", pa.string()), ("task", pa.string()), ("text", pa.string()),
        ("hypotheses", pa.string()),  # JSON: a program's hypotheses have no fixed schema
        ("error", pa.string()),
        ("lm_calls", pa.int64()), ("cached_calls", pa.int64()), ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()), ("inferred", pa.bool_()), ("profile_reused", pa.bool_()),
        ("seconds", pa.float64()), ("cpu_seconds", pa.float64()), ("worker", pa.string()),
        ("peak_rss_mb", pa.float64()),
    ])


def make_row(user_id: str | None, task: str | None, *, text: str | None = None, hypotheses: list[dict] | None = None,
             error: str | None = None, **stats) -> dict:
    row = {"user_id": user_id, "task": task, "text": text,
           "hypotheses": json.dumps(hypotheses, ensure_ascii=False) if hypotheses is not None else None,
           "error": error}
    defaults = {"lm_calls": 0, "cached_calls": 0, "prompt_tokens": 0, "completion_tokens": 0, "inferred": False,
                "profile_reused": False, "seconds": 0.0, "cpu_seconds": 0.0, "worker": "", "peak_rss_mb": 0.0}
    return {**row, **defaults, **stats}


def key(row: dict) -> tuple[str, str] | None:
    """The (user_id, task) a row answers, or None for a row that could not be attributed."""
    if row.get("user_id") is None or row.get("task") is None:
        return None
    return (row["user_id"], row["task"])


def parts_dir(out: Path) -> Path:
    return out.with_name(out.name + PARTS_SUFFIX)


def new_run_dir(out: Path) -> Path:
    """This run's part folder; names sort by start time, so later runs win in the merge."""
    run = parts_dir(out) / time.strftime("run-%Y%m%dT%H%M%S", time.gmtime())
    run = run.with_name(f"{run.name}-{time.time_ns() % 1_000_000_000:09d}")
    run.mkdir(parents=True)
    return run


@dataclass
class PartRows:
    """Rows read from part files; a line cut off by a killed run is counted, not used."""
    rows: list[dict] = field(default_factory=list)
    torn_lines: int = 0


def read_parts(folder: Path) -> PartRows:
    found = PartRows()

    def torn(location: str, message: str) -> None:
        found.torn_lines += 1

    for path in sorted(folder.rglob("*.json*")):
        found.rows.extend(value for _, value in read_jsonl(path, on_problem=torn) if isinstance(value, dict))
    return found


def read_output(out: Path) -> list[dict]:
    """The rows of a finished output file (hypotheses as JSON text, as in the parts)."""
    if not out.is_file():
        return []
    if out.suffix.lower() in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return pq.read_table(out).to_pylist()
    rows = [value for _, value in read_jsonl(out)]
    for row in rows:
        if row.get("hypotheses") is not None:
            row["hypotheses"] = json.dumps(row["hypotheses"], ensure_ascii=False)
    return rows


def done_keys(out: Path) -> tuple[set[tuple[str, str]], int]:
    """Keys answered without error by an earlier run (finished output or leftover parts), and the
    number of torn lines found in the parts."""
    parts = read_parts(parts_dir(out)) if parts_dir(out).is_dir() else PartRows()
    rows = read_output(out) + parts.rows
    return {k for row in rows if not row.get("error") and (k := key(row)) is not None}, parts.torn_lines


def merge(old: list[dict], new: list[dict]) -> list[dict]:
    """One row per key: a row without error beats an error row; among equals, the later one wins.
    Rows without a key (unreadable input lines) are kept from `new` only: this run re-read their input."""
    merged: dict[tuple[str, str], dict] = {}
    for row in old + new:
        k = key(row)
        if k is not None and (k not in merged or not row.get("error") or merged[k].get("error")):
            merged[k] = row
    return list(merged.values()) + [r for r in new if key(r) is None]


def finalize(out: Path, this_run: Path) -> list[dict]:
    """Merge the earlier output, every run's parts and this run's rows into `out` (atomically), then
    remove the parts. Returns this run's rows (with their statistics) for the summary."""
    folder = parts_dir(out)
    current = read_parts(this_run).rows
    earlier = PartRows()
    for run in sorted(p for p in folder.iterdir() if p.is_dir() and p != this_run):
        earlier.rows.extend(read_parts(run).rows)
    old = [r for r in read_output(out) + earlier.rows if not r.get("error")]
    rows = merge(old, current)
    write_rows(out, rows)
    shutil.rmtree(folder)
    return current


def write_rows(out: Path, rows: list[dict]) -> None:
    rows = sorted(rows, key=lambda r: (r.get("user_id") is None, r.get("user_id") or "", r.get("task") or ""))
    if out.suffix.lower() in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema([part_schema().field(c) for c in OUTPUT_COLUMNS])
        table = pa.Table.from_pylist([{c: r.get(c) for c in OUTPUT_COLUMNS} for r in rows], schema=schema)
        write_atomically(out, lambda handle: pq.write_table(table, handle))
        return

    def lines() -> Iterator[bytes]:
        for row in rows:
            record = {c: row.get(c) for c in OUTPUT_COLUMNS}
            if record["hypotheses"] is not None:
                record["hypotheses"] = json.loads(record["hypotheses"])
            yield (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")

    write_atomically(out, lambda handle: handle.writelines(lines()))
