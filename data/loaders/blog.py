"""The Blog Authorship Corpus CSV (id, gender, age, topic, sign, date, text), grouped by blogger id."""

from __future__ import annotations

from pathlib import Path

from hyperalign.data.loaders.files import users_from_file
from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems
from hyperalign.data.readers import read_table
from hyperalign.data.text import first_sentence

COLUMNS = ["id", "gender", "age", "topic", "sign", "date", "text"]
# corpus column -> user attribute ("topic" is the blogger's industry; "indUnk" means unknown)
ATTRIBUTES = {"gender": "gender", "age": "age", "topic": "industry", "sign": "star sign"}
UNKNOWN = {"", "indUnk"}


def task_for(post: str) -> str:
    return f"Write a blog post that starts with the following: {first_sentence(post)}"


def load(path: Path | str, k: int = 5, seed: int = 0, problems: Problems | None = None) -> list[User]:
    return users_from_file(path, read_documents, k, seed, problems)


def read_documents(path: Path, problems: Problems) -> list[Document]:
    table = read_table(path, COLUMNS, problems)
    documents = []
    for index, row in table.records(["id", "text"], problems):
        raw = table.rows[index]
        attributes = {name: str(raw[col]).strip() for col, name in ATTRIBUTES.items() if str(raw[col]).strip() not in UNKNOWN}
        documents.append(
            Document(
                author=row["id"],
                text=row["text"],
                task=task_for(row["text"]),
                attributes=attributes,
                metadata={"date": str(raw["date"]).strip()},
            )
        )
    return documents
