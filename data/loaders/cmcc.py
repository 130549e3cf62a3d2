"""The Cross-Genre Cross-Topic corpus (CMCC): JSONL with author, genre, topic_code/topic, text."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from hyperalign.data.loaders.files import users_from_file
from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems
from hyperalign.data.readers import read_table

# hyperalign domain -> CMCC genre
GENRES = {"email": "Emails", "essay": "Essays", "blog": "Blogs"}

# The six CMCC topics, phrased as the question a writer was answering.
TOPIC_QUESTIONS = {
    "C": "Should the Catholic Church change its teachings and practices to fit life in the twenty-first century?",
    "G": "Should same-sex couples have the legal right to marry?",
    "P": "How private should what people post on the internet be, and should schools or employers be allowed to look at it?",
    "M": "Should the use of marijuana be made legal?",
    "I": "Was the war in Iraq justified, and what should happen there now?",
    "S": "Is gender discrimination still a problem today, and what should be done about it?",
}
# Fallback when a file has only the topic name: a keyword of each topic.
TOPIC_KEYWORDS = {"catholic": "C", "gay": "G", "privacy": "P", "marijuana": "M", "iraq": "I", "gender": "S"}

TASK_TEMPLATES = {
    "Emails": "Write an email response to someone who asked you the following: {question}",
    "Essays": "Write an approximately 500 word essay to the following prompt: {question}",
    "Blogs": "Write a blog post that answers the following question: {question}",
}


def load(
    path: Path | str, genre: str, k: int = 5, seed: int = 0, problems: Problems | None = None
) -> list[User]:
    """Users of one CMCC `genre` (Emails, Essays or Blogs); the other genres' rows are ignored."""
    return users_from_file(path, partial(read_documents, genre=genre), k, seed, problems)


def read_documents(path: Path, problems: Problems, genre: str) -> list[Document]:
    table = read_table(path, ["author", "genre", "text"], problems)
    documents = []
    for index, row in table.records(["author", "genre", "text"], problems):
        if row["genre"] != genre:
            continue
        raw = table.rows[index]
        code = topic_code(str(raw.get("topic_code") or ""), str(raw.get("topic") or ""))
        if code is None:
            problems.error(table.where(index), f"unknown topic (topic_code {raw.get('topic_code')!r}, topic {raw.get('topic')!r})")
            continue
        documents.append(
            Document(
                author=row["author"],
                text=row["text"],
                task=TASK_TEMPLATES[genre].format(question=TOPIC_QUESTIONS[code]),
                metadata={"topic_code": code, "genre": genre, "file": str(raw.get("file") or path)},
            )
        )
    return documents


def topic_code(code: str, topic: str) -> str | None:
    if code.strip().upper() in TOPIC_QUESTIONS:
        return code.strip().upper()
    return next((c for word, c in TOPIC_KEYWORDS.items() if word in topic.lower()), None)
