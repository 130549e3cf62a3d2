"""Read one user's sample texts from a file: JSONL, or plain text split into blocks.

JSONL (`.jsonl`/`.json`, or content starting with `{` or `"`): one text per line, either a JSON string
or an object with a "text" field. Plain text: one text per block separated by blank lines; if the file
has lines consisting only of `---`, those separate the texts instead (so texts may hold paragraphs).
"""

from __future__ import annotations

import re
from pathlib import Path

from hyperalign.core.errors import InputError
from hyperalign.core.files import read_limited, text_file
from hyperalign.core.jsonl import raise_problem, read_jsonl, where

MAX_FILE_BYTES = 50 * 1024 * 1024
_SEPARATOR = re.compile(r"^---+\s*$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{where(path, line)}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "re-save the file as UTF-8"
        ) from None


def _jsonl_texts(path: Path, content: str) -> list[str]:
    texts = []
    for number, value in read_jsonl(path, data=content.encode("utf-8"), on_problem=raise_problem(InputError)):
        if isinstance(value, dict):
            value = value.get("text")
        if not isinstance(value, str):
            raise InputError(f'{where(path, number)}: expected a JSON string or an object with a "text" string')
        texts.append(value)
    return texts


def _plain_texts(content: str) -> list[str]:
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    splitter = _SEPARATOR if _SEPARATOR.search(content) else _BLANK_LINES
    return splitter.split(content)


def read_samples(path: str | Path) -> list[str]:
    """The non-empty texts in the file, stripped; InputError naming the file for anything unusable."""
    # A regular file only: /dev/zero would be read forever, a FIFO would block.
    path = text_file(path, "file of samples (JSONL or plain text)")
    content = decode(path, read_limited(path, MAX_FILE_BYTES))
    if not content.strip():
        raise InputError(f"{path}: the file is empty")
    looks_json = path.suffix.lower() in (".jsonl", ".json") or content.lstrip()[:1] in ('{', '"')
    texts = _jsonl_texts(path, content) if looks_json else _plain_texts(content)
    texts = [t.strip() for t in texts if t.strip()]
    if not texts:
        raise InputError(f"{path}: no usable text in the file")
    return texts
