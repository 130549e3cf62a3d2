"""The public API: personalize one task for one user."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.lm import as_lm, lm_context
from hyperalign.core.lm_errors import lm_errors

if TYPE_CHECKING:
    from hyperalign.profiles.store import ProfileStore

_default_program = None
_default_lock = threading.Lock()


@dataclass
class Personalization:
    """What `personalize` returns: the text, and why — the hypotheses with evidence and grounding."""
    text: str
    hypotheses: list[dict]
    hypotheses_cached: bool = False
    warnings: list[str] = field(default_factory=list)
    profile_reused: bool = False  # True: the hypotheses came from the user's stored profile (no inference)
    hypothesis_lm: str | None = None  # the model that inferred the hypotheses (None: the LM not known)
    dropped: list[dict] = field(default_factory=list)  # hypotheses left out of conditioning, each with its reason
    problems: list[str] = field(default_factory=list)  # checks the text still fails (after one regeneration)
    regenerated: bool = False  # True: the first text failed a check and was written again
    edits: list[str] = field(default_factory=list)  # habits a hypothesis rules out, taken out of the text (what, why)

    @property
    def grounded_hypotheses(self) -> list[dict]:
        return [h for h in self.hypotheses if h.get("grounded")]

    @property
    def valid_hypotheses(self) -> list[dict]:
        """The hypotheses the text was conditioned on."""
        return [h for h in self.hypotheses if h.get("valid", h.get("grounded"))]

    def to_dict(self) -> dict:
        return asdict(self)


def default_program() -> dspy.Module:
    """One process-wide uncompiled HyPerAlign, so its hypothesis cache serves repeated calls."""
    global _default_program
    with _default_lock:
        if _default_program is None:
            from hyperalign.programs import HyPerAlign

            _default_program = HyPerAlign()
        return _default_program


def personalize(
    samples: list[str],
    task: str,
    attributes: dict[str, str] | None = None,
    program: dspy.Module | None = None,
    lm: str | dspy.BaseLM | None = None,
    *,
    user_id: str | None = None,
    profiles: ProfileStore | str | Path | None = None,
    hypothesis_lm: str | dspy.BaseLM | None = None,
) -> Personalization:
    """Write `task` in the voice of the user who wrote `samples`.

    `program` is a loaded (compiled) program or the default HyPerAlign; `lm` a model string
    ("embedded", "openai/gpt-4o-mini", ...), a `dspy.LM`, or None for the current context's LM
    (else $HYPERALIGN_LM, else the embedded LM). With `user_id`, the user's profile in the profile
    store (`profiles`: a ProfileStore or its path; default the data dir's) is reused when the
    samples, LM and program match (no inference call), else inferred and stored; hypotheses the
    user rejected are never used. With `hypothesis_lm` (a model string or LM), that LM infers the
    hypotheses and `lm` writes; `Personalization.hypothesis_lm` says which model inferred them.
    """
    program = program or default_program()
    reused, kwargs = False, {}
    with lm_context(lm) as writing, lm_errors():
        inferring = as_lm(hypothesis_lm) if hypothesis_lm is not None else writing
        if user_id is not None or hypothesis_lm is not None:
            from hyperalign.profiles.reuse import generate_kwargs, hypotheses_for_user, takes_stored_hypotheses
            from hyperalign.profiles.store import ProfileStore

            if not takes_stored_hypotheses(program):
                raise InputError(f"{type(program).__name__} cannot be given stored hypotheses; personalize without "
                                 "a user id or a hypothesis LM")
            store = None
            if user_id is not None:
                store = profiles if isinstance(profiles, ProfileStore) else ProfileStore(profiles)
            with lm_context(inferring):  # the profile records the LM that inferred it
                found = hypotheses_for_user(program, store, user_id or "", samples, attributes)
            reused, kwargs = found.reused, generate_kwargs(program, found)
        pred = program(samples=samples, task=task, attributes=attributes, **kwargs)
    return Personalization(
        text=pred.text,
        hypotheses=list(pred.get("hypotheses", None) or []),
        hypotheses_cached=reused or bool(pred.get("hypotheses_cached", False)),
        warnings=list(pred.get("warnings", None) or []),
        profile_reused=reused,
        hypothesis_lm=getattr(inferring, "model", None),
        dropped=list(pred.get("dropped", None) or []),
        problems=list(pred.get("problems", None) or []),
        regenerated=bool(pred.get("regenerated", False)),
        edits=list(pred.get("edits", None) or []),
    )


def infer_hypotheses(
    samples: list[str],
    attributes: dict[str, str] | None = None,
    program: dspy.Module | None = None,
    lm: str | dspy.BaseLM | None = None,
) -> list[dict]:
    """Only the hypotheses (with evidence and grounding) for a user, without writing anything.

    Every program that infers hypotheses (HyPerAlign, Deliberative, compiled variants) answers
    `program.infer_hypotheses(samples, attributes) -> (hypotheses, cached)`.
    """
    program = program or default_program()
    if not callable(getattr(program, "infer_hypotheses", None)):
        raise InputError(f"{type(program).__name__} infers no hypotheses: use a HyPerAlign or Deliberative program")
    with lm_context(lm), lm_errors():
        hypotheses, _ = program.infer_hypotheses(samples, attributes)
    return hypotheses
