"""The safety specification the deliberative programs follow: a plain-text policy of ID'd clauses.

Format: one clause a line, `ID: text` (ID = letters then digits, e.g. `D3`); `#` lines and blank
lines are ignored. The default ships as programs/safety_spec.txt; a user may pass their own file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hyperalign.core.errors import DataError, InputError

DEFAULT_SPEC = Path(__file__).resolve().parent / "safety_spec.txt"
_CLAUSE = re.compile(r"^([A-Za-z]+\d+)\s*:\s*(\S.*)$")
_CLAUSE_ID = re.compile(r"\b([A-Za-z]+\d+)\b")


@dataclass(frozen=True)
class SafetySpec:
    """Clauses by ID, in file order."""

    clauses: dict[str, str]
    source: str = "default"

    def as_lines(self) -> list[str]:
        return [f"{cid}: {text}" for cid, text in self.clauses.items()]

    def known(self, cited: list[str]) -> list[str]:
        """The clause IDs among what an LM cited ('D3', 'D3: Do not...', 'clause d3'), deduplicated,
        in citation order; anything that names no clause of this spec is dropped."""
        by_upper = {cid.upper(): cid for cid in self.clauses}
        found: list[str] = []
        for item in cited:
            for token in _CLAUSE_ID.findall(str(item)):
                cid = by_upper.get(token.upper())
                if cid and cid not in found:
                    found.append(cid)
                    break
        return found


def parse_spec(text: str, source: str = "<text>") -> SafetySpec:
    clauses: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _CLAUSE.match(line)
        if not match:
            raise DataError(f"{source}:{number}: not a clause; expected 'ID: text' with an ID such as D3")
        cid, body = match.group(1).upper(), match.group(2).strip()
        if cid in clauses:
            raise DataError(f"{source}:{number}: clause {cid} is defined twice")
        clauses[cid] = body
    if not clauses:
        raise DataError(f"{source}: the safety specification has no clauses")
    return SafetySpec(clauses, source)


def load_spec(spec: SafetySpec | str | Path | None = None) -> SafetySpec:
    """A spec object as given, or read from a file (the bundled default when None)."""
    if isinstance(spec, SafetySpec):
        return spec
    path = Path(spec) if spec is not None else DEFAULT_SPEC
    if not path.is_file():
        raise InputError(f"safety specification not found: {path}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    return parse_spec(text, "default" if spec is None else str(path))
