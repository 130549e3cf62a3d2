"""The one `"module:attr"` resolver: registries name their entries by import path, so listing an
entry costs nothing until it is used."""

from __future__ import annotations

import importlib
from typing import Any

from hyperalign.core.errors import InputError


def import_attr(path: str, what: str | None = None) -> Any:
    """The object at `"package.module:attr"` (attr may be dotted).

    When the module itself is missing (not a dependency it imports), and `what` names the entry,
    that is an InputError "WHAT is not installed"; every other import failure propagates.

        import_attr("hyperalign.programs.baselines:ZeroShot")
    """
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise ValueError(f"not a 'module:attr' path: {path!r}")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if what is not None and exc.name and module_name.startswith(exc.name):
            raise InputError(f"{what} is not installed ({module_name} is missing)") from exc
        raise
    target: Any = module
    for part in attr.split("."):
        target = getattr(target, part)
    return target
