"""CCAT50 / Reuter_50_50 news: the native layout (C50train/<Author>/*.txt) or JSONL (author, split, text)."""

from __future__ import annotations

from pathlib import Path

from hyperalign.core.errors import DataError
from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems, where
from hyperalign.data.readers import read_table, read_text, require_file
from hyperalign.data.splits import build_users
from hyperalign.data.text import first_sentence

SPLITS = ("C50train", "C50test")
TEST_SPLIT = "C50test"  # never used as a sample: held out, as the corpus intends


def task_for(article: str) -> str:
    return f"Write an article that starts with the following: {first_sentence(article)}"


def load(path: Path | str, k: int = 5, seed: int = 0, problems: Problems | None = None) -> list[User]:
    problems = problems or Problems()
    path = Path(path)
    documents = read_folder(path, problems) if path.is_dir() else read_jsonl(path, problems)
    return build_users(documents, k, seed, problems, str(path))


def read_folder(root: Path, problems: Problems) -> list[Document]:
    split_dirs = [root / split for split in SPLITS if (root / split).is_dir()]
    if not split_dirs:
        raise DataError(f"{root}: no C50train/ or C50test/ folder (expected <split>/<Author>/*.txt)")
    documents = []
    for split_dir in split_dirs:
        for author_dir in sorted(p for p in split_dir.iterdir() if p.is_dir()):
            for file in sorted(author_dir.glob("*.txt")):
                text = read_text(file, problems)
                if not text:
                    problems.error(where(file), "empty file")
                    continue
                documents.append(_document(author_dir.name, split_dir.name, text, str(file)))
    if not documents:
        problems.error(where(root), "no .txt files under C50train/<Author>/ or C50test/<Author>/")
    return documents


def read_jsonl(path: Path, problems: Problems) -> list[Document]:
    table = read_table(require_file(path), ["author", "split", "text"], problems)
    documents = []
    for index, row in table.records(["author", "split", "text"], problems):
        if row["split"] not in SPLITS:
            problems.error(table.where(index), f"unknown split '{row['split']}' (expected C50train or C50test)")
            continue
        origin = str(table.rows[index].get("file") or path)
        documents.append(_document(row["author"], row["split"], row["text"], origin))
    return documents


def _document(author: str, split: str, text: str, origin: str) -> Document:
    return Document(
        author=author,
        text=text,
        task=task_for(text),
        metadata={"split": split, "file": origin},
        sample_ok=split != TEST_SPLIT,
    )
