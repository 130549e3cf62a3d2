"""The project's own demo set: fictional writers' e-mails (data/demo/email.jsonl) and demo tasks."""

from __future__ import annotations

from pathlib import Path

from hyperalign.data.loaders.files import users_from_file
from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems
from hyperalign.data.readers import read_table, require_file

DEMO_DIR = Path(__file__).resolve().parents[1] / "demo"
EMAILS = DEMO_DIR / "email.jsonl"
TASKS = DEMO_DIR / "tasks.jsonl"
COLUMNS = ["user_id", "task", "text"]


def load(path: Path | str | None = None, k: int = 5, seed: int = 0, problems: Problems | None = None) -> list[User]:
    """Users from a JSONL of {user_id, attributes, task, text} (the bundled demo e-mails by default)."""
    return users_from_file(path or EMAILS, read_documents, k, seed, problems)


def read_documents(path: Path, problems: Problems) -> list[Document]:
    table = read_table(path, COLUMNS, problems)
    documents = []
    for index, row in table.records(COLUMNS, problems):
        attributes = table.rows[index].get("attributes") or {}
        if not isinstance(attributes, dict):
            problems.error(table.where(index), "'attributes' must be an object of strings")
            continue
        documents.append(
            Document(
                author=row["user_id"],
                text=row["text"],
                task=row["task"],
                attributes={str(key): str(value) for key, value in attributes.items() if value is not None},
            )
        )
    return documents


def load_demo_tasks(path: Path | str | None = None, problems: Problems | None = None) -> list[str]:
    """Fresh e-mail tasks for demos (JSONL of {task}); the bundled ones by default."""
    problems = problems or Problems()
    path = require_file(path or TASKS)
    table = read_table(path, ["task"], problems)
    tasks = [row["task"] for _, row in table.records(["task"], problems)]
    if not tasks:
        problems.error(str(path), "no tasks")
    return tasks
