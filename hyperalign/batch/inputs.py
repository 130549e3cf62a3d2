"""The batch's input tables: users (JSONL or Parquet) and an optional tasks table.

A users row is `{"user_id": ..., "samples": [...], "attributes": {...}, "tasks": [...]}`
(`attributes` and `tasks` optional). A tasks table has `task` and, optionally, `user_id`: a task
without a user id goes to every user. A users row that cannot be used fails alone, as an error row;
a tasks table that cannot be read stops the command before any work (it is small and configures
the whole run).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hyperalign.core.errors import InputError
from hyperalign.core.jsonl import read_jsonl, where

JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")
PARQUET_SUFFIXES = (".parquet", ".pq")


def table_format(path: Path, role: str) -> str:
    """'jsonl' or 'parquet', from the file name's extension."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    raise InputError(f"{path}: the {role} file must end in .jsonl or .parquet (got '{suffix or 'no extension'}')")


def existing_table(path: Path | str, role: str) -> tuple[Path, str]:
    path = Path(path)
    fmt = table_format(path, role)
    if not path.is_file():
        raise InputError(f"{path}: no such {role} file")
    return path, fmt


@dataclass
class UserRow:
    """One user of the batch, checked: a non-empty id, texts, attributes as text, tasks as text."""
    user_id: str
    samples: list[str]
    attributes: dict[str, str]
    tasks: list[str] = field(default_factory=list)


class BadRow(InputError):
    """A users row that cannot be used; carries the user id when the row had one."""

    def __init__(self, message: str, user_id: str | None = None, tasks: list[str] | None = None):
        super().__init__(message)
        self.user_id = user_id
        self.tasks = tasks or []


def _texts(value: Any, name: str, user_id: str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise BadRow(f"'{name}' must be a list of texts", user_id)
    return list(value)


@dataclass
class Unreadable:
    """A users line that could not be read at all (not JSON, not UTF-8)."""
    problem: str


def parse_user(record: Any, location: str) -> UserRow:
    """A users row (a dict from JSON or Parquet, or a JSONL line's text) as a UserRow, or BadRow
    naming the problem."""
    if isinstance(record, Unreadable):
        raise BadRow(f"{location}: {record.problem}")
    if isinstance(record, str):
        try:
            record = json.loads(record)
        except json.JSONDecodeError as exc:
            raise BadRow(f"{location}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(record, dict):
        raise BadRow(f"{location}: expected a JSON object with user_id and samples, got {type(record).__name__}")
    raw_id = record.get("user_id")
    user_id = str(raw_id).strip() if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else ""
    if not user_id:
        raise BadRow(f"{location}: missing or empty 'user_id'")
    tasks = _texts(record.get("tasks"), "tasks", user_id)
    try:
        samples = [s for s in _texts(record.get("samples"), "samples", user_id) if s.strip()]
    except BadRow as exc:
        raise BadRow(str(exc), user_id, tasks) from exc
    if not samples:
        raise BadRow("no sample texts: 'samples' must hold at least one non-empty text", user_id, tasks)
    attributes = record.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise BadRow("'attributes' must be an object of name to value", user_id, tasks)
    # Parquet structs give every row every field; a missing one is None there.
    attributes = {str(k): str(v) for k, v in attributes.items() if v is not None}
    return UserRow(user_id, samples, attributes, tasks)


def user_records(path: Path, fmt: str) -> Iterator[tuple[Any, str]]:
    """(raw record, location) for every users row; a JSONL line that is not JSON comes through as
    its text, so that it fails alone when parsed."""
    if fmt == "parquet":
        number = 0
        for batch in _parquet(path).iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                number += 1
                yield record, f"{path} row {number}"
        return
    problems: dict[int, str] = {}

    def keep(location: str, message: str) -> None:
        problems[int(location.rsplit(":", 1)[1])] = message

    values = read_jsonl(path, on_problem=keep)
    for number, value in values:
        for bad in sorted(n for n in problems if n < number):
            yield Unreadable(problems.pop(bad)), where(path, bad)
        yield value, where(path, number)
    for bad in sorted(problems):
        yield Unreadable(problems.pop(bad)), where(path, bad)


def _parquet(path: Path):
    # Imported here: heavy: Parquet support loads only when a Parquet file is read or written.
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid/OSError variants for non-Parquet files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from exc


@dataclass
class TaskTable:
    """Tasks per user id, and tasks for every user."""
    by_user: dict[str, list[str]] = field(default_factory=dict)
    for_all: list[str] = field(default_factory=list)

    def for_user(self, user: UserRow) -> list[str]:
        """The user's own tasks, then the table's, each once, in order."""
        return list(dict.fromkeys([*user.tasks, *self.by_user.get(user.user_id, []), *self.for_all]))

    def __len__(self) -> int:
        return len(self.for_all) + sum(len(v) for v in self.by_user.values())


def read_tasks(path: Path | str | None) -> TaskTable:
    table = TaskTable()
    if path is None:
        return table
    path, fmt = existing_table(path, "tasks")
    if fmt == "parquet":
        rows = ((f"{path} row {i}", r) for i, r in enumerate(_parquet(path).read().to_pylist(), 1))
    else:
        rows = ((where(path, n), r) for n, r in read_jsonl(path))
    for location, row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("task"), str):
            raise InputError(f"{location}: a tasks row needs 'task' (text) and optionally 'user_id'")
        user_id = row.get("user_id")
        if user_id is None or str(user_id).strip() == "":
            table.for_all.append(row["task"])
        else:
            table.by_user.setdefault(str(user_id).strip(), []).append(row["task"])
    if not len(table):
        raise InputError(f"{path}: no tasks")
    return table
