"""`EvaluateConfig`: everything an evaluation depends on, for every domain (the CLI builds it from
its flags; a library caller builds it directly).

    from hyperalign.optimize.domains import domain_spec
    from hyperalign.core.imports import import_attr
    config = EvaluateConfig(domain="email", limit=4, track=False)
    import_attr(domain_spec("email").evaluation)(config)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hyperalign.core.files import OutputDir
from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.optimize.tracking.preflight import check_store


@dataclass
class EvaluateConfig:
    """What to evaluate, against what, judged how, and where the report goes. None means: the
    domain's default (e.g. --users and --turns for aloe, the train/validation users of a split)."""

    domain: str
    path: str | None = None
    systems: str | None = None  # writing domains: "NAME=SPEC,..." (see optimize/evaluation/systems.py)
    program: str = "baseline"  # 'baseline' (uncompiled), a compiled-program directory or models:/ URI
    against: str = "zero-shot,few-shot"  # comparators, comma-separated (with `program`: the --systems shorthand)
    judge: str = "authorship"  # writing domains: authorship (composite), stylometric, or llm (pairwise)
    lm: Any = None  # model string or dspy.LM; None: $HYPERALIGN_LM, else embedded
    judge_lm: Any = None  # None: the task LM
    limit: int | None = None
    out: Path | str | None = None  # None: hyperalign-evaluation/DOMAIN
    overwrite: bool = False  # write into a non-empty --out hyperalign did not create
    users: int | None = None
    turns: int | None = None
    seed: int = 0
    k: int = 5
    train_users: int | None = None
    val_users: int | None = None
    track: bool = True  # log the report to MLflow
    tracking_uri: str | None = None
    progress: bool = True  # a progress bar on stderr

    def output(self) -> OutputDir:
        """The report folder's rules: a non-empty folder hyperalign did not write is refused unless
        `overwrite` (hyperalign.core.files.OutputDir)."""
        path = Path(self.out or Path("hyperalign-evaluation") / self.domain)
        return OutputDir(path, kind="evaluation", overwrite=self.overwrite)

    def out_dir(self) -> Path:
        """The report folder, claimed (created and marked) for this evaluation when its work starts."""
        return self.output().claim()

    def preflight(self) -> None:
        """Before any LM call: the report folder could be written (nothing is created yet, so a run
        that fails on its input leaves nothing behind) and the MLflow store is usable."""
        self.output().check()
        if self.track:
            check_store(resolve_tracking_uri(self.tracking_uri), write=True)
