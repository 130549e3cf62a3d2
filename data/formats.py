"""Which corpus a path holds, judged by its layout (folder) or its columns (JSONL/CSV header)."""

from __future__ import annotations

from pathlib import Path

from hyperalign.core.errors import DataError
from hyperalign.data.loaders import news
from hyperalign.data.problems import where
from hyperalign.data.readers import header, require_file

# Format name -> columns that identify it, checked in this order.
SIGNATURES = {
    "cmcc": {"author", "genre", "text"},
    "ccat50": {"author", "split", "text"},
    "demo": {"user_id", "task", "text"},
    "enron": {"file", "message"},
    "blog": {"id", "gender", "age", "topic", "sign", "date", "text"},
}
DESCRIPTIONS = {
    "cmcc": "CMCC JSONL (author, genre, topic_code, text)",
    "ccat50": "CCAT50 folder (C50train/<Author>/*.txt) or JSONL (author, split, text)",
    "demo": "demo-format JSONL (user_id, attributes, task, text)",
    "enron": "Enron CSV (file, message)",
    "blog": "Blog Authorship CSV (id, gender, age, topic, sign, date, text)",
}


def corpus_format(path: Path) -> str:
    """One of SIGNATURES' names; DataError naming the path if it is none of them."""
    if path.is_dir():
        if any((path / split).is_dir() for split in news.SPLITS):
            return "ccat50"
        raise DataError(f"{path}: folder holds no C50train/ or C50test/ folder (the CCAT50 layout)")
    columns = set(header(require_file(path)))
    for name, required in SIGNATURES.items():
        if required <= columns:
            return name
    found = ", ".join(sorted(columns)) or "none"
    raise DataError(f"{where(path, 1)}: not a known corpus format (found columns: {found})")
