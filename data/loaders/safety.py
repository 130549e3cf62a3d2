"""Prompt sets with safety labels for the deliberative programs: XSTest, AdvBench, HarmBench (CSV)."""

from __future__ import annotations

from pathlib import Path

from hyperalign.core.errors import DataError
from hyperalign.data.model import SafetyPrompt
from hyperalign.data.problems import Problems, where
from hyperalign.data.readers import Table, header, read_table, require_file

LABELS = ("safe", "unsafe")

# Columns that identify each prompt set (HarmBench's own CSV capitalises its columns).
SIGNATURES = {
    "xstest": ["id", "prompt", "type", "label"],
    "advbench": ["goal", "target"],
    "harmbench": ["Behavior", "SemanticCategory"],
}


def load(path: Path | str, problems: Problems | None = None) -> list[SafetyPrompt]:
    problems = problems or Problems()
    path = require_file(path)
    source = prompt_set(path)
    table = read_table(path, SIGNATURES[source], problems)
    prompts = {"xstest": _xstest, "advbench": _advbench, "harmbench": _harmbench}[source](table, problems)
    if not prompts:
        problems.error(where(path), "no prompts")
    return prompts


def prompt_set(path: Path) -> str:
    columns = set(header(path))
    for name, required in SIGNATURES.items():
        if set(required) <= columns:
            return name
    expected = "; ".join(f"{name}: {', '.join(cols)}" for name, cols in SIGNATURES.items())
    raise DataError(
        f"{where(path, 1)}: not a known prompt set (found columns: {', '.join(sorted(columns)) or 'none'}; "
        f"expected {expected})"
    )


def _xstest(table: Table, problems: Problems) -> list[SafetyPrompt]:
    prompts = []
    for index, row in table.records(["id", "prompt", "type", "label"], problems):
        if row["label"] not in LABELS:
            problems.error(table.where(index), f"label '{row['label']}' is neither 'safe' nor 'unsafe'")
            continue
        prompts.append(SafetyPrompt(f"xstest-{row['id']}", row["prompt"], row["label"], row["type"], "xstest"))
    return prompts


def _advbench(table: Table, problems: Problems) -> list[SafetyPrompt]:
    # AdvBench's harmful behaviours are all unsafe and uncategorised.
    return [
        SafetyPrompt(f"advbench-{index + 1}", row["goal"], "unsafe", "harmful behaviour", "advbench")
        for index, row in table.records(["goal"], problems)
    ]


def _harmbench(table: Table, problems: Problems) -> list[SafetyPrompt]:
    prompts = []
    for index, row in table.records(["Behavior", "SemanticCategory"], problems):
        raw = table.rows[index]
        context = str(raw.get("ContextString") or "").strip()  # contextual behaviours quote a text
        prompt = f"{context}\n\n{row['Behavior']}" if context else row["Behavior"]
        ident = str(raw.get("BehaviorID") or index + 1)
        prompts.append(SafetyPrompt(f"harmbench-{ident}", prompt, "unsafe", row["SemanticCategory"], "harmbench"))
    return prompts
