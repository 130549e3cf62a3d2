"""Outputs produced elsewhere (a peer system, an earlier run): read a JSONL file and match its rows to
held-out items.

Each line is `{"user_id": ..., "response": ..., "item_id": ...}` or `{"user_id": ..., "response": ...,
"task": ...}` (both keys may be present). A row matches an item by `item_id` when it has one (the ids
`hyperalign data show DOMAIN --items` lists), else by user and task compared with whitespace
normalised (line breaks, runs of spaces). A file may cover a subset of the items; its coverage is
reported, and a file that matches no item at all is an error naming a few of its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hyperalign.core.errors import DataError, InputError
from hyperalign.core.jsonl import read_jsonl, where

TEXT_FIELDS = ("user_id", "response")
KEY_FIELDS = ("item_id", "task")
SHOWN_UNMATCHED = 3


def normalize_task(task: str) -> str:
    """A task as compared: whitespace runs collapsed to one space, ends stripped."""
    return " ".join(task.split())


@dataclass(frozen=True)
class OutputRow:
    line: int
    user_id: str
    response: str
    item_id: str | None
    task: str | None

    def describe(self) -> str:
        key = f"item_id {self.item_id!r}" if self.item_id else f"task {shorten(self.task or '')!r}"
        return f"line {self.line} (user {self.user_id!r}, {key})"


@dataclass
class OutputsFile:
    """The rows of one outputs file, indexed for matching."""

    path: Path
    rows: list[OutputRow]
    by_id: dict[str, OutputRow] = field(default_factory=dict)
    by_task: dict[tuple[str, str], OutputRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.rows:
            if row.item_id:
                self.by_id[row.item_id] = row
            if row.task:
                self.by_task[(row.user_id, normalize_task(row.task))] = row

    def match(self, item_id: str | None, user_id: str, task: str) -> OutputRow | None:
        """The row for a held-out item: by item id, else by user and normalised task."""
        if item_id and item_id in self.by_id:
            row = self.by_id[item_id]
            return row if row.user_id == user_id else None
        return self.by_task.get((user_id, normalize_task(task)))


def shorten(text: str, limit: int = 60) -> str:
    text = normalize_task(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_row(path: Path, number: int, value: Any) -> OutputRow:
    if not isinstance(value, dict):
        raise DataError(f"{where(path, number)}: expected a JSON object with user_id, response and item_id or task")
    bad = [k for k in TEXT_FIELDS if not isinstance(value.get(k), str) or not value[k].strip()]
    if bad:
        raise DataError(f"{where(path, number)}: {', '.join(bad)} missing, empty or not text")
    keys = {k: value.get(k) for k in KEY_FIELDS}
    wrong = [k for k, v in keys.items() if v is not None and (not isinstance(v, str) or not v.strip())]
    if wrong:
        raise DataError(f"{where(path, number)}: {', '.join(wrong)} must be non-empty text")
    if not any(keys.values()):
        raise DataError(f"{where(path, number)}: needs an item_id or a task to match the row to a held-out item")
    return OutputRow(number, value["user_id"].strip(), value["response"], keys["item_id"], keys["task"])


def read_outputs(path: Path | str) -> OutputsFile:
    """Every row of an outputs file; the first malformed row is a DataError naming its line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such outputs file")
    rows, seen = [], {}
    for number, value in read_jsonl(path):
        row = parse_row(path, number, value)
        key = row.item_id or (row.user_id, normalize_task(row.task or ""))
        if key in seen:
            raise DataError(f"{where(path, number)}: a second response for the item of line {seen[key]}")
        seen[key] = number
        rows.append(row)
    if not rows:
        raise DataError(f"{path}: no outputs (an empty file)")
    return OutputsFile(path, rows)
