"""Reading corpus files: JSONL and CSV through `datasets` (Arrow-cached), plain text directly.

Loading goes through `datasets.load_dataset`, whose cache makes a second load fast. When it fails
(bad JSON, undecodable bytes, ragged CSV rows) the file is re-read line by line by our own scanner,
which names the line of each problem; `data check` uses the scanner alone so that it can report
every problem in one run instead of stopping at the first.
"""

from __future__ import annotations

import contextlib
import csv
import io
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from hyperalign.core.errors import DataError
from hyperalign.core.files import text_file
from hyperalign.core.jsonl import read_jsonl, where
from hyperalign.data.problems import Problems
from hyperalign.data.text import normalise

Kind = Literal["json", "csv"]
JSONL_SUFFIXES = (".jsonl", ".json", ".ndjson")


@dataclass
class Table:
    """Rows of one JSONL or CSV file, able to say on which line each row starts."""
    path: Path
    kind: Kind
    columns: list[str]
    rows: list[Any]
    lines: list[int] | None = None  # known when scanned; worked out on demand otherwise

    def where(self, index: int) -> str:
        if self.lines is None:  # rows came from datasets: rescan only to report a problem
            self.lines = _scan(self.path, self.kind, Problems(strict=False)).lines
        return where(self.path, self.lines[index])

    def records(self, names: Sequence[str], problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
        """(index, {name: text}) for each row whose `names` are all non-empty; reports the others."""
        for index, row in enumerate(self.rows):
            values = {name: normalise("" if row.get(name) is None else str(row[name])) for name in names}
            empty = [name for name, value in values.items() if not value]
            if empty:
                problems.error(self.where(index), f"empty or missing {', '.join(repr(n) for n in empty)}")
                continue
            yield index, values


def kind_of(path: Path) -> Kind:
    if path.suffix.lower() in JSONL_SUFFIXES:
        return "json"
    if path.suffix.lower() == ".csv":
        return "csv"
    raise DataError(f"{path}: unsupported file type '{path.suffix}' (expected .jsonl or .csv)")


def require_file(path: Path | str) -> Path:
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    # A folder, a FIFO (reading blocks) or a device (never ends) is named as what it is.
    return text_file(path, "corpus file (.jsonl or .csv)", DataError)


def read_table(path: Path, required: Sequence[str], problems: Problems) -> Table:
    """Read a JSONL or CSV file and check that it has the `required` columns."""
    kind = kind_of(path)
    if problems.strict:
        try:
            table = _load_with_datasets(path, kind)
        except Exception:  # any datasets/pyarrow/pandas failure: our scanner names the line
            table = _scan(path, kind, problems)
    else:
        table = _scan(path, kind, problems)
    missing = [c for c in required if c not in table.columns]
    if missing:
        found = ", ".join(table.columns) or "nothing"
        location = where(path, 1) if kind == "csv" else where(path)
        problems.error(location, f"missing column(s) {', '.join(missing)} (found: {found})")
        table.rows, table.lines = [], []  # nothing usable; keep checking other files
    return table


def read_jsonl_values(path: Path, problems: Problems) -> Table:
    """A JSONL file of plain values (e.g. one JSON string a line), read directly."""
    return _scan_jsonl(path, problems, objects=False)


def read_text(path: Path, problems: Problems) -> str:
    """A UTF-8 text file with its line ends normalised."""
    return normalise(_decode(path, path.read_bytes(), problems))


def header(path: Path) -> list[str]:
    """Column names of a CSV file, or keys of the first object in a JSONL file."""
    if kind_of(path) == "csv":
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as f:
            return next(csv.reader(f), [])
    with open(path, "rb") as f:
        for number, raw in enumerate(f, 1):
            if raw.strip():  # the first record decides; its bytes are checked when the file is read
                text = raw.decode("utf-8", errors="replace").encode("utf-8")
                for _, record in read_jsonl(path, data=text, first_line=number):
                    return list(record) if isinstance(record, dict) else []
    return []


@contextlib.contextmanager
def _quiet_datasets() -> Iterator[None]:
    """No progress bars, and no datasets error log for failures we report ourselves."""
    # Imported here: heavy: `datasets` (and pandas) load only when a corpus file is read.
    import datasets
    from datasets.utils import logging as ds_logging

    bars, verbosity = datasets.is_progress_bar_enabled(), ds_logging.get_verbosity()
    datasets.disable_progress_bars()
    ds_logging.set_verbosity(ds_logging.CRITICAL + 10)
    try:
        yield
    finally:
        ds_logging.set_verbosity(verbosity)
        if bars:
            datasets.enable_progress_bars()


def _load_with_datasets(path: Path, kind: Kind) -> Table:
    # Imported here: heavy: `datasets` (and pandas) load only when a corpus file is read.
    import datasets

    options: dict[str, Any] = {}
    if kind == "csv":
        # Every column as text, no NA guessing, and a ragged row is an error (pandas only warns).
        columns = header(path)
        options = dict(
            features=datasets.Features({c: datasets.Value("string") for c in columns}),
            index_col=False, keep_default_na=False, na_filter=False,
        )
    with _quiet_datasets(), warnings.catch_warnings():
        if kind == "csv":  # pandas only warns about a row with too many fields
            from pandas.errors import ParserWarning

            warnings.simplefilter("error", ParserWarning)
        dataset = datasets.load_dataset(kind, data_files=str(path.resolve()), split="train", **options)
    return Table(path, kind, list(dataset.column_names), dataset.to_list())


def _scan(path: Path, kind: Kind, problems: Problems) -> Table:
    return _scan_jsonl(path, problems) if kind == "json" else _scan_csv(path, problems)


def _decode(path: Path, data: bytes, problems: Problems, first_line: int = 1) -> str:
    """UTF-8 text of `data` (which starts at `first_line` of the file); every undecodable line is
    reported, then decoded with U+FFFD."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        for number, raw in enumerate(data.split(b"\n"), first_line):
            try:
                raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                byte = raw[exc.start]
                problems.error(where(path, number), f"undecodable bytes (0x{byte:02x} is not UTF-8)")
        return data.decode("utf-8-sig", errors="replace")


def _scan_jsonl(path: Path, problems: Problems, objects: bool = True) -> Table:
    rows, lines, columns = [], [], {}
    wanted, expected = (dict, "a JSON object") if objects else (str, "a JSON string")
    for number, record in read_jsonl(path, on_problem=problems.error, on_warning=problems.warn):
        if not isinstance(record, wanted):
            problems.error(where(path, number), f"expected {expected}, found {type(record).__name__}")
            continue
        if objects:
            columns.update(dict.fromkeys(record))
        rows.append(record)
        lines.append(number)
    return Table(path, "json", list(columns), rows, lines)


def _scan_csv(path: Path, problems: Problems) -> Table:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # raw e-mails can exceed the 128 KB default
    reader = csv.reader(io.StringIO(_decode(path, path.read_bytes(), problems), newline=""))
    rows, lines = [], []
    try:
        columns = next(reader, [])
        start = reader.line_num + 1
        for record in reader:
            if record and len(record) != len(columns):
                problems.error(where(path, start), f"{len(record)} fields, but the header has {len(columns)}")
            elif record:
                rows.append(dict(zip(columns, record)))
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.error(where(path, reader.line_num), f"malformed CSV ({exc})")
    return Table(path, "csv", columns, rows, lines)
