"""Which held-out items every system covers: an outputs file may answer a subset of them.

The comparison runs on the items all systems cover, and the report states each file's coverage
(items matched, rows that match no item). A file that matches no item is an error naming a few of
its rows, and so is a set of files that share no item.
"""

from __future__ import annotations

from dataclasses import dataclass

import dspy

from hyperalign.core.errors import InputError
from hyperalign.optimize.evaluation.systems import System

SHOWN = 3


@dataclass(frozen=True)
class Coverage:
    """One system's coverage of the evaluated items."""

    system: str
    items: int  # held-out items evaluated
    matched: int  # of those, items the system has a text for
    rows: int | None = None  # rows in its outputs file
    unmatched_rows: int | None = None  # rows that match no evaluated item

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def describe(self) -> str:
        text = f"{self.system}: {self.matched}/{self.items} item(s)"
        if self.rows is not None:
            text += f" ({self.rows} row(s), {self.unmatched_rows} matching no evaluated item)"
        return text


def covered_items(systems: list[System], examples: list[dspy.Example], domain: str) -> tuple[list[dspy.Example], list[Coverage]]:
    """(the items every system covers, each system's coverage)."""
    coverage, shared = [], list(examples)
    for system in systems:
        if system.outputs is None:
            coverage.append(Coverage(system.name, len(examples), len(examples)))
            continue
        matched = [e for e in examples if system.covers(e)]
        used = {id(system._row(e)) for e in matched}
        unmatched = [row for row in system.outputs.rows if id(row) not in used]
        if not matched:
            shown = "; ".join(row.describe() for row in unmatched[:SHOWN])
            raise InputError(f"{system.name}={system.spec}: none of its {len(system.outputs.rows)} row(s) matches one of the "
                             f"{len(examples)} held-out item(s) evaluated (e.g. {shown}); rows match by item_id, else by "
                             f"user_id and task (see `hyperalign data show {domain} --items`)")
        coverage.append(Coverage(system.name, len(examples), len(matched), len(system.outputs.rows), len(unmatched)))
        shared = [e for e in shared if system.covers(e)]
    if not shared:
        raise InputError("the systems share no held-out item: " + "; ".join(c.describe() for c in coverage))
    return shared, coverage
