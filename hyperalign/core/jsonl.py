"""The one JSONL reader: every caller gets the same error contract, `FILE:LINE: problem`.

    for number, value in read_jsonl(path):
        ...

Blank lines are skipped. Bytes that are not UTF-8 and lines that are not JSON are problems naming the
file and line. By default the first problem raises `DataError`; pass `on_problem(location, message)`
to collect them all and read on (the `data check` way). Several JSON values written back to back on
one line (a lost newline, seen in the wild) are all read, and reported through `on_warning`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from hyperalign.core.errors import DataError, HyperAlignError

Report = Callable[[str, str], None]


def where(path: Path | str, line: int | None = None) -> str:
    """`path:line` (or just `path`): how every problem in a file is located."""
    return f"{path}:{line}" if line else str(path)


def raise_problem(error: type[HyperAlignError] = DataError) -> Report:
    """A problem handler that raises `error("FILE:LINE: message")` at the first problem."""

    def report(location: str, message: str) -> None:
        raise error(f"{location}: {message}")

    return report


def decode_line(path: Path | str, number: int, raw: bytes, on_problem: Report) -> str:
    """Line `number` as text; undecodable bytes are reported, then decoded as U+FFFD."""
    try:
        return raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        on_problem(where(path, number), f"undecodable bytes (0x{raw[exc.start]:02x} is not UTF-8)")
        return raw.decode("utf-8", errors="replace")


def json_values(line: str) -> list[Any]:
    """All JSON values on a line written back to back (usually one)."""
    decoder, values, position = json.JSONDecoder(), [], 0
    while position < len(line):
        value, position = decoder.raw_decode(line, position)
        values.append(value)
        while position < len(line) and line[position].isspace():
            position += 1
    return values


def read_jsonl(
    path: Path | str,
    *,
    data: bytes | None = None,
    on_problem: Report | None = None,
    on_warning: Report | None = None,
    first_line: int = 1,
) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every JSON value in the file (or in `data`, its bytes, which start
    at line `first_line` of the file)."""
    path = Path(path)
    on_problem = on_problem or raise_problem()
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            on_problem(where(path), f"cannot read the file ({exc.strerror or exc})")
            return
    for number, raw in enumerate(data.split(b"\n"), first_line):
        line = decode_line(path, number, raw, on_problem).strip()
        if not line:
            continue
        try:
            values = json_values(line)
        except json.JSONDecodeError as exc:
            on_problem(where(path, number), f"not valid JSON ({exc.msg}, column {exc.colno})")
            continue
        if len(values) > 1 and on_warning is not None:
            on_warning(where(path, number), f"{len(values)} JSON values on one line; read them all")
        for value in values:
            yield number, value
