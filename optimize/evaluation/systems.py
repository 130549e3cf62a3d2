"""What is compared: a program (a DSPy module with the HyPerAlign call shape) or a file of outputs
produced elsewhere (`user_id, task, response` per JSONL line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dspy

from hyperalign.core.errors import DataError, InputError
from hyperalign.core.hashing import cache_key
from hyperalign.core.jsonl import read_jsonl, where

BASELINES = ("zero-shot", "few-shot")


@dataclass
class System:
    """A named source of texts: a program to run, or outputs read from a file."""

    name: str
    program: dspy.Module | None = None
    outputs: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def identity(self) -> dict[str, Any]:
        """What determines this system's texts (for cache keys): the program class and its state."""
        if self.program is None:
            return {"outputs": cache_key(sorted(self.outputs.items()))}
        state = self.program.dump_state()
        return {"program": type(self.program).__qualname__, "state": cache_key(state)}

    @property
    def calls_per_user(self) -> int:
        # Programs that infer hypotheses once per user (HyPerAlign) spend one extra call per user.
        return 1 if self.program is not None and hasattr(self.program, "infer_hypotheses") else 0

    @property
    def calls_per_item(self) -> int:
        if self.program is None:
            return 0
        return max(1, len(self.program.predictors()) - self.calls_per_user)


def baseline(name: str) -> System:
    from hyperalign.programs import FewShot, ZeroShot

    return System(name, program={"zero-shot": ZeroShot, "few-shot": FewShot}[name]())


def parse_against(spec: str, examples: list[dspy.Example]) -> list[System]:
    """`zero-shot,few-shot[,FILE]` → the comparator systems (FILE: a JSONL of outputs)."""
    names = [part.strip() for part in spec.split(",") if part.strip()]
    if not names:
        raise InputError("--against is empty: name zero-shot, few-shot and/or a JSONL file of outputs")
    systems = []
    for name in names:
        if name in BASELINES:
            systems.append(baseline(name))
        else:
            systems.append(outputs_file(Path(name), examples))
    if len({s.name for s in systems}) != len(systems):
        raise InputError(f"--against names a comparator twice: {spec}")
    return systems


def outputs_file(path: Path, examples: list[dspy.Example]) -> System:
    """Outputs produced elsewhere for the same held-out tasks; every evaluated task must be there."""
    if not path.is_file():
        raise InputError(f"{path}: not a comparator ({', '.join(BASELINES)}) and no such outputs file")
    outputs: dict[tuple[str, str], str] = {}
    for number, record in read_jsonl(path):
        missing = [k for k in ("user_id", "task", "response") if not isinstance(record, dict) or not isinstance(record.get(k), str)]
        if missing:
            raise DataError(f"{where(path, number)}: needs text fields user_id, task and response (missing or not text: {', '.join(missing)})")
        outputs[(record["user_id"], record["task"].strip())] = record["response"]
    absent = [(e.user_id, e.task) for e in examples if (e.user_id, e.task.strip()) not in outputs]
    if absent:
        shown = "; ".join(f"{user}: {task!r}" for user, task in absent[:5])
        more = f" and {len(absent) - 5} more" if len(absent) > 5 else ""
        raise InputError(f"{path}: no response for {len(absent)} evaluated task(s): {shown}{more}")
    return System(path.stem, outputs=outputs)
