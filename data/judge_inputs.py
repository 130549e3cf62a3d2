"""The files `hyperalign judge score` reads besides a samples file: candidates to score (JSONL rows
`{id, text, task?}`) and background writers (JSONL rows `{user_id, text}`). Every problem is an
InputError naming the file and line; nothing is scored until both files have been read whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hyperalign.core.errors import InputError
from hyperalign.core.files import read_limited, text_file
from hyperalign.core.jsonl import raise_problem, read_jsonl, where

MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    id: str
    text: str
    task: str


def _rows(path: str | Path, what: str) -> list[tuple[Path, int, dict]]:
    path = text_file(path, what)
    data = read_limited(path, MAX_FILE_BYTES)
    rows = []
    for number, value in read_jsonl(path, data=data, on_problem=raise_problem(InputError)):
        if not isinstance(value, dict):
            raise InputError(f"{where(path, number)}: expected a JSON object")
        rows.append((path, number, value))
    if not rows:
        raise InputError(f"{path}: no rows in the file")
    return rows


def _text_field(path: Path, number: int, row: dict, name: str, required: bool = True) -> str | None:
    value = row.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError(f'{where(path, number)}: "{name}" must be a non-empty string')
    return value


def read_candidates(path: str | Path, task: str | None = None) -> list[Candidate]:
    """Candidates in file order; a row without a "task" takes `task` (an error when neither is given).
    An empty "text" is allowed: it scores 0. Ids must be unique."""
    candidates, seen = [], set()
    for file, number, row in _rows(path, "file of candidates (JSONL rows {id, text, task?})"):
        raw_id = row.get("id")
        if not isinstance(raw_id, (str, int)) or isinstance(raw_id, bool) or str(raw_id) == "":
            raise InputError(f'{where(file, number)}: "id" must be a string or an integer')
        if str(raw_id) in seen:
            raise InputError(f'{where(file, number)}: id {raw_id!r} appears twice')
        seen.add(str(raw_id))
        if not isinstance(row.get("text"), str):
            raise InputError(f'{where(file, number)}: "text" must be a string')
        row_task = _text_field(file, number, row, "task", required=False) or task
        if not row_task or not row_task.strip():
            raise InputError(f'{where(file, number)}: no task for candidate {raw_id!r} (give --task or a "task" field)')
        candidates.append(Candidate(str(raw_id), row["text"], row_task))
    return candidates


def read_background(path: str | Path) -> list[list[str]]:
    """Other writers' texts, one list per user_id (in order of first appearance)."""
    writers: dict[str, list[str]] = {}
    for file, number, row in _rows(path, "background file (JSONL rows {user_id, text})"):
        user = row.get("user_id")
        if not isinstance(user, (str, int)) or isinstance(user, bool) or str(user) == "":
            raise InputError(f'{where(file, number)}: "user_id" must be a string or an integer')
        writers.setdefault(str(user), []).append(_text_field(file, number, row, "text"))
    return list(writers.values())
