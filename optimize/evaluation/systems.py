"""What is compared: systems named on the command line as `NAME=SPEC`.

A SPEC is a baseline (`hyperalign`, an uncompiled HyPerAlign; `zero-shot`; `few-shot`), a compiled
program (its directory or a `models:/` URI), or an outputs FILE produced elsewhere (JSONL rows
`user_id, response` and `item_id` or `task`; see outputs.py). A system that is a file needs no LM.
A program SPEC may end in `;hypothesis-lm=MODEL`: MODEL infers the hypotheses, the task LM writes
(`--systems "self=hyperalign,transfer=hyperalign;hypothesis-lm=openai/gpt-4o-mini"`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.hashing import cache_key
from hyperalign.core.lm import lm_identity, make_lm
from hyperalign.optimize.evaluation.outputs import OutputsFile, read_outputs
from hyperalign.programs import FewShot, HyPerAlign, ZeroShot

BASELINES = ("hyperalign", "zero-shot", "few-shot")
HYPOTHESIS_LM = ";hypothesis-lm="


@dataclass
class System:
    """A named source of texts: a program to run, or outputs read from a file."""
    name: str
    program: dspy.Module | None = None
    outputs: OutputsFile | None = None
    spec: str = ""
    manifest: dict = field(default_factory=dict)  # a compiled program's manifest (its split, domain)
    hypothesis_lm: dspy.BaseLM | None = None  # infers the hypotheses (the task LM writes); None: the task LM

    @property
    def kind(self) -> str:
        if self.outputs is not None:
            return "file"
        return "compiled" if self.manifest else "baseline"

    @property
    def identity(self) -> dict[str, Any]:
        """What determines this system's texts (for cache keys): the program class and its state."""
        if self.program is None:
            return {"outputs": cache_key(sorted((r.line, r.response) for r in self.outputs.rows))}
        identity = {"program": type(self.program).__qualname__, "state": cache_key(self.program.dump_state())}
        if self.hypothesis_lm is not None:
            identity["hypothesis_lm"] = lm_identity(self.hypothesis_lm)
        return identity

    @property
    def calls_per_user(self) -> int:
        # Programs that infer hypotheses once per user (HyPerAlign) spend one extra call per user.
        return 1 if self.program is not None and hasattr(self.program, "infer_hypotheses") else 0

    @property
    def calls_per_item(self) -> int:
        if self.program is None:
            return 0
        return max(1, len(self.program.predictors()) - self.calls_per_user)

    @property
    def extra_calls(self) -> tuple[int, int]:
        """At most how many more calls (per user, per item) the program's own checks may add: repair
        calls of hypothesis inference, one regeneration of a text that fails its checks."""
        if self.program is None:
            return 0, 0
        inference, generation = getattr(self.program, "inference", None), getattr(self.program, "generation", None)
        return int(getattr(inference, "max_repairs", 0)), int(bool(getattr(generation, "check", False)))

    def covers(self, example: dspy.Example) -> bool:
        return self.outputs is None or self._row(example) is not None

    def response_for(self, example: dspy.Example) -> str:
        row = self._row(example)
        if row is None:  # the harness runs only on covered items
            raise InputError(f"{self.name}: no response for user {example.user_id!r}, task {example.task!r}")
        return row.response

    def _row(self, example: dspy.Example):
        return self.outputs.match(example.get("item_id"), example.user_id, example.task)


def parse_systems(text: str) -> list[tuple[str, str]]:
    """`NAME=SPEC,NAME=SPEC,...` → [(name, spec)]; a bare baseline name is its own NAME."""
    pairs = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, spec = part.partition("=")
        name, spec = (name.strip(), spec.strip()) if sep else (part, part)
        if not name or not spec:
            raise InputError(f"--systems: {part!r} is not NAME=SPEC (e.g. mine=models:/hyperalign-email@champion)")
        pairs.append((name, spec))
    if len(pairs) < 2:
        raise InputError("--systems needs at least two systems to compare, as NAME=SPEC,NAME=SPEC")
    names = [name for name, _ in pairs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError(f"--systems names {', '.join(twice)} more than once")
    return pairs


def needs_lm(systems: str | None, judge: str) -> bool:
    """False when every system in `systems` (NAME=SPEC,...) is an outputs file and `judge` is offline:
    such an evaluation sets up no LM (so none need be configured). Malformed specs: True (the
    evaluation itself reports them)."""
    if not systems or judge == "llm":
        return True
    specs = [part.partition("=")[2].strip() or part.strip() for part in systems.split(",") if part.strip()]
    return not specs or not all(spec not in BASELINES and Path(spec).is_file() for spec in specs)


def shorthand(program: str, against: str) -> list[tuple[str, str]]:
    """`--program P --against A,B` as systems: the program first, then each comparator."""
    names = [part.strip() for part in against.split(",") if part.strip()]
    if not names:
        raise InputError("--against is empty: name zero-shot, few-shot and/or a JSONL file of outputs")
    first = ("hyperalign", "hyperalign") if program in ("baseline", "hyperalign") else (program_label(program), program)
    rest = [(Path(n).stem if n not in BASELINES else n, n) for n in names]
    systems = [first, *rest]
    if len({name for name, _ in systems}) != len(systems):
        raise InputError(f"--against names a comparator twice: {against}")
    return systems


def program_label(ref: str) -> str:
    return ref.removeprefix("models:/") if ref.startswith("models:/") else Path(ref).name


def build_system(name: str, spec: str) -> System:
    """The system a SPEC names (see the module docstring); an unknown SPEC says what it may be."""
    spec, _, hypothesis_model = spec.partition(HYPOTHESIS_LM)
    if hypothesis_model.strip():
        return with_hypothesis_lm(build_system(name, spec.strip()), hypothesis_model.strip())
    if spec in BASELINES:
        return baseline(name, spec)
    path = Path(spec)
    if spec.startswith("models:/") or path.is_dir():
        from hyperalign.optimize.program_ref import load

        program = load(spec)
        return System(name, program=program, spec=spec, manifest=dict(getattr(program, "manifest", {}) or {}))
    if path.is_file():
        return System(name, outputs=read_outputs(path), spec=spec)
    raise InputError(f"{name}={spec}: not a baseline ({', '.join(BASELINES)}), a compiled-program directory, "
                     "a models:/ URI, or an existing outputs file")


def baseline(name: str, spec: str) -> System:
    return System(name, program={"hyperalign": HyPerAlign, "zero-shot": ZeroShot, "few-shot": FewShot}[spec](), spec=spec)


def with_hypothesis_lm(system: System, model: str) -> System:
    """The same program with its hypotheses inferred by `model` (a model string as for --lm; a
    server for it is named MODEL@URL)."""
    if system.program is None or not callable(getattr(system.program, "infer_hypotheses", None)):
        raise InputError(f"{system.name}: hypothesis-lm needs a program that infers hypotheses (e.g. hyperalign), "
                         f"not {system.spec!r}")
    system.hypothesis_lm = make_lm(model, api_base="")
    system.spec += HYPOTHESIS_LM + model
    return system
