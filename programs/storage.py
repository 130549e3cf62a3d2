"""Saving and loading compiled-program directories (the MLflow registry side is optimize.tracking.registry).

A compiled program is a directory with `program.json` (the DSPy JSON state: demos, instructions)
and `manifest.json` (which program class, domain, optimizer, scores, ...). Loading instantiates
the class named in the manifest and loads the JSON state into it: no unpickling. A pickled
program (DSPy `save_program=True`, or an `mlflow.dspy` model) can run arbitrary code when loaded,
so it is refused unless the caller passes `allow_pickle=True`.
"""

from __future__ import annotations

import json
from pathlib import Path

import dspy

from hyperalign.core.errors import ProgramLoadError
from hyperalign.core.files import write_text
from hyperalign.programs.registry import program_class
from hyperalign.programs.state_check import checked_state

PROGRAM_FILE = "program.json"
MANIFEST_FILE = "manifest.json"
PICKLE_REFUSAL = "is a pickled program; loading it can run arbitrary code. Pass allow_pickle=True only if you trust its source"


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProgramLoadError(f"{directory}: no {MANIFEST_FILE}; not a compiled hyperalign program directory") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProgramLoadError(f"{path}: unreadable manifest ({exc})") from exc
    if not isinstance(manifest, dict) or "program" not in manifest:
        raise ProgramLoadError(f"{path}: the manifest does not name a program class ('program' is missing)")
    return manifest


def load_program_dir(directory: Path | str) -> dspy.Module:
    """The program saved in a compiled-program directory (manifest + JSON state), ready to call."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    state = directory / PROGRAM_FILE
    if not state.is_file():
        raise ProgramLoadError(f"{directory}: no {PROGRAM_FILE} beside the manifest")
    program = program_class(manifest["program"])()
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProgramLoadError(f"{state}: unreadable program state ({exc})") from exc
    checked_state(saved, program, str(state))
    try:
        program.load_state(saved)
    except Exception as exc:  # a corrupted or mismatched state: dspy raises KeyError/ValueError/TypeError
        raise ProgramLoadError(f"{state}: cannot load the program state into {manifest['program']!r} ({exc})") from exc
    program.manifest = manifest
    return program


# Where a compiled program sits inside a downloaded MLflow model (pyfunc artifacts, run artifacts).
MODEL_LAYOUTS = ("program", "artifacts/program")


def find_program_dir(root: Path, downloaded: bool = False) -> Path | None:
    """`root` if it is a compiled-program directory; for a downloaded MLflow model also its known
    sub-paths. Never a search: a parent folder must not load some unrelated program nested in it."""
    candidates = [root, *(root / layout for layout in MODEL_LAYOUTS)] if downloaded else [root]
    for candidate in candidates:
        if (candidate / MANIFEST_FILE).is_file():
            return candidate
    return None


def is_pickled(root: Path) -> bool:
    """A DSPy `save_program=True` directory, a .pkl file, or an MLflow model of the pickling dspy flavor."""
    if root.is_file():
        return root.suffix == ".pkl"
    if (root / "program.pkl").is_file():
        return True
    mlmodel = root / "MLmodel"
    return mlmodel.is_file() and _mlmodel_flavors(mlmodel).get("dspy") is not None


def _mlmodel_flavors(mlmodel: Path) -> dict:
    # Imported here: YAML loads only to read an MLflow model description.
    import yaml

    try:
        return (yaml.safe_load(mlmodel.read_text(encoding="utf-8")) or {}).get("flavors", {}) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProgramLoadError(f"{mlmodel}: unreadable MLflow model description ({exc})") from exc


def _load_pickled(root: Path) -> dspy.Module:
    if (root / "MLmodel").is_file():
        import mlflow.dspy

        return mlflow.dspy.load_model(str(root))
    return dspy.load(str(root if root.is_dir() else root.parent), allow_pickle=True)


def load_local(ref: str, root: Path, allow_pickle: bool = False, downloaded: bool = False) -> dspy.Module:
    """A program from a directory, a downloaded MLflow model or a pickle (only with `allow_pickle`)."""
    if root.is_file() and root.name == PROGRAM_FILE:
        root = root.parent
    program_dir = find_program_dir(root, downloaded) if root.is_dir() else None
    if program_dir is not None:
        return load_program_dir(program_dir)
    if is_pickled(root):
        if not allow_pickle:
            raise ProgramLoadError(f"{ref} {PICKLE_REFUSAL}")
        return _load_pickled(root)
    raise ProgramLoadError(f"{ref}: not a compiled hyperalign program (expected {MANIFEST_FILE} and {PROGRAM_FILE})")


def load_directory(ref: str | Path, *, allow_pickle: bool = False) -> dspy.Module:
    """A compiled program from a local path (a program directory, a downloaded model, a pickle)."""
    ref_text = str(ref)
    path = Path(ref_text).expanduser()
    if not path.exists():
        raise ProgramLoadError(f"{ref_text}: no such compiled-program directory")
    return load_local(ref_text, path, allow_pickle)


def save_program_dir(program: dspy.Module, manifest: dict, directory: Path) -> None:
    """Write the program's JSON state and its manifest into `directory` (no pickle)."""
    directory.mkdir(parents=True, exist_ok=True)
    program.save(str(directory / PROGRAM_FILE))
    write_text(directory / MANIFEST_FILE, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
