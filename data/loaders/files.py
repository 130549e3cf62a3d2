"""From a corpus file to users: read its documents, then split each author's texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems
from hyperalign.data.readers import require_file
from hyperalign.data.splits import build_users

ReadDocuments = Callable[[Path, Problems], list[Document]]


def users_from_file(
    path: Path | str, read_documents: ReadDocuments, k: int, seed: int, problems: Problems | None
) -> list[User]:
    problems = problems or Problems()
    path = require_file(path)
    return build_users(read_documents(path, problems), k, seed, problems, str(path))
