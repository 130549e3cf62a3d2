"""Programs by reference: a compiled-program directory or a registered `models:/` URI, or a named
default; the one place that loads a program a command or an evaluation was pointed at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import dspy

from hyperalign.core.errors import InputError
from hyperalign.optimize.tracking.registry import is_registry_ref, load_registered
from hyperalign.programs.storage import load_directory


def load(ref: str | Path, *, allow_pickle: bool = False, tracking_uri: str | None = None) -> dspy.Module:
    """A compiled program, ready to call, from a directory or a registered MLflow model.

    `ref` is a compiled-program directory, `models:/hyperalign-<domain>/<version>` or
    `models:/hyperalign-<domain>@champion` (looked up in `tracking_uri`, else $MLFLOW_TRACKING_URI,
    else the per-user store). Pickled programs are refused unless `allow_pickle=True`.

        program = load("models:/hyperalign-email@champion")
        program(samples=[...], task="Write an e-mail ...").text
    """
    if is_registry_ref(ref):
        return load_registered(str(ref), allow_pickle=allow_pickle, tracking_uri=tracking_uri)
    return load_directory(ref, allow_pickle=allow_pickle)


def program_or_default(
    ref: str | None,
    defaults: dict[str | None, Callable[[], dspy.Module]],
    expected: type[dspy.Module],
    *,
    tracking_uri: str | None = None,
) -> dspy.Module:
    """`defaults[ref]()` when `ref` names a default (None included), else the program `ref` loads,
    which must be an `expected` (InputError naming what it holds otherwise)."""
    if ref in defaults:
        return defaults[ref]()
    program = load(ref, tracking_uri=tracking_uri)
    if not isinstance(program, expected):
        raise InputError(f"{ref} holds a {type(program).__name__}, not a {expected.__name__} program")
    return program
