"""Program classes by name, so a saved program (JSON state + manifest) can be rebuilt without pickle.

A manifest records `program: <name>`; loading instantiates the class and loads the JSON state into it.
Entries are import paths, so listing a program here costs nothing until it is used.
"""

from __future__ import annotations

import dspy

from hyperalign.core.errors import ProgramLoadError
from hyperalign.core.imports import import_attr

PROGRAMS: dict[str, str] = {
    "hyperalign": "hyperalign.programs.hyperalign_program:HyPerAlign",
    "zero-shot": "hyperalign.programs.baselines:ZeroShot",
    "few-shot": "hyperalign.programs.baselines:FewShot",
    "conversational": "hyperalign.programs.conversational:Conversational",
    "deliberative": "hyperalign.programs.deliberative:Deliberative",
    "deliberative-direct": "hyperalign.programs.deliberative_baselines:DirectAnswer",
    "deliberative-spec-only": "hyperalign.programs.deliberative_baselines:SpecOnly",
}


def program_class(name: str) -> type[dspy.Module]:
    if name not in PROGRAMS:
        raise ProgramLoadError(f"unknown program {name!r}; known: {', '.join(sorted(PROGRAMS))}")
    return import_attr(PROGRAMS[name])


def program_name(program: dspy.Module) -> str:
    """The registry name of a program instance (the inverse of program_class)."""
    cls = type(program)
    for name, path in PROGRAMS.items():
        if path == f"{cls.__module__}:{cls.__qualname__}":
            return name
    raise ProgramLoadError(f"{cls.__name__} is not a registered program; add it to hyperalign.programs.registry")
