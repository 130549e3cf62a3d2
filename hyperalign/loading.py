"""Load a compiled program in an app: `hyperalign.load(ref)`, from a directory or the MLflow registry.

A compiled program is a directory with `program.json` (the DSPy JSON state: demos, instructions)
and `manifest.json` (which program class, domain, optimizer, scores, ...). Loading instantiates
the class named in the manifest and loads the JSON state into it: no unpickling. A pickled
program (DSPy `save_program=True`, or an `mlflow.dspy` model) can run arbitrary code when loaded,
so it is refused unless the caller passes `allow_pickle=True`.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import dspy

from hyperalign.errors import ProgramLoadError

PROGRAM_FILE = "program.json"
MANIFEST_FILE = "manifest.json"
MODELS_SCHEME = "models:/"
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
    from hyperalign.programs.registry import program_class

    directory = Path(directory)
    manifest = read_manifest(directory)
    state = directory / PROGRAM_FILE
    if not state.is_file():
        raise ProgramLoadError(f"{directory}: no {PROGRAM_FILE} beside the manifest")
    program = program_class(manifest["program"])()
    try:
        program.load(str(state))
    except Exception as exc:  # a corrupted or mismatched state: dspy raises KeyError/ValueError/JSON errors
        raise ProgramLoadError(f"{state}: cannot load the program state into {manifest['program']!r} ({exc})") from exc
    program.manifest = manifest
    return program


def find_program_dir(root: Path) -> Path | None:
    """The compiled-program directory inside a downloaded MLflow model (or `root` itself)."""
    if (root / MANIFEST_FILE).is_file():
        return root
    for manifest in sorted(root.rglob(MANIFEST_FILE)):
        if (manifest.parent / PROGRAM_FILE).is_file():
            return manifest.parent
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


def _load_local(ref: str, root: Path, allow_pickle: bool) -> dspy.Module:
    if root.is_file() and root.name == PROGRAM_FILE:
        root = root.parent
    program_dir = find_program_dir(root) if root.is_dir() else None
    if program_dir is not None:
        return load_program_dir(program_dir)
    if is_pickled(root):
        if not allow_pickle:
            raise ProgramLoadError(f"{ref} {PICKLE_REFUSAL}")
        return _load_pickled(root)
    raise ProgramLoadError(f"{ref}: not a compiled hyperalign program (expected {MANIFEST_FILE} and {PROGRAM_FILE})")


def parse_models_uri(ref: str) -> tuple[str, str | None, str | None]:
    """`models:/NAME/VERSION` or `models:/NAME@ALIAS` → (name, version, alias)."""
    body = ref[len(MODELS_SCHEME):].strip("/")
    if "@" in body:
        name, _, alias = body.partition("@")
        return name, None, alias
    name, _, version = body.rpartition("/")
    if not name or not version:
        raise ProgramLoadError(f"{ref}: expected models:/NAME/VERSION or models:/NAME@ALIAS")
    return name, version, None


def _download(ref: str, tracking_uri: str | None, destination: str) -> Path:
    """Download a registered version's model files, looked up in this store (not MLflow's global one)."""
    import mlflow.artifacts
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    from hyperalign.optimize.tracking import resolve_tracking_uri

    uri = resolve_tracking_uri(tracking_uri)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    name, version, alias = parse_models_uri(ref)
    try:
        found = client.get_model_version_by_alias(name, alias) if alias else client.get_model_version(name, version)
        source = found.source
        model_id = found.model_id or (source[len(MODELS_SCHEME):] if source.startswith(MODELS_SCHEME + "m-") else None)
        if model_id:  # MLflow 3 logged model: its files live at the logged model's artifact location
            source = client.get_logged_model(model_id).artifact_location
        return Path(mlflow.artifacts.download_artifacts(artifact_uri=source, dst_path=destination, tracking_uri=uri))
    except MlflowException as exc:
        raise ProgramLoadError(f"{ref}: not found in the MLflow registry at {uri} ({exc.message.splitlines()[0]})") from exc


def load(ref: str | Path, *, allow_pickle: bool = False, tracking_uri: str | None = None) -> dspy.Module:
    """A compiled program, ready to call, from a directory or a registered MLflow model.

    `ref` is a compiled-program directory, `models:/hyperalign-<domain>/<version>` or
    `models:/hyperalign-<domain>@champion` (looked up in `tracking_uri`, else $MLFLOW_TRACKING_URI,
    else the per-user store). Pickled programs are refused unless `allow_pickle=True`.
    """
    ref_text = str(ref)
    if not ref_text.startswith(MODELS_SCHEME):
        path = Path(ref_text).expanduser()
        if not path.exists():
            raise ProgramLoadError(f"{ref_text}: no such compiled-program directory")
        return _load_local(ref_text, path, allow_pickle)
    with tempfile.TemporaryDirectory(prefix="hyperalign-load-") as tmp:
        root = _download(ref_text, tracking_uri, tmp)
        return _load_local(ref_text, root, allow_pickle)
