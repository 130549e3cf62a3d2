"""What an evaluation hands back: the summary a person reads, the report's data, the files, the run.

Evaluations print nothing; the CLI shows `lines` (or `data` as JSON with --json).

    outcome = evaluate_authorship(EvaluateConfig(domain="demo", limit=2, track=False))
    print("\n".join(outcome.lines))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class EvaluationOutcome:
    """`lines`: the summary (one result per line); `data`: the report as JSON-ready data; `files`:
    the report files written; `run_id`: the MLflow run, if the report was logged."""

    lines: list[str]
    data: dict[str, Any]
    files: list[Path] = field(default_factory=list)
    run_id: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {**self.data, "files": [str(p) for p in self.files], "mlflow_run_id": self.run_id}
