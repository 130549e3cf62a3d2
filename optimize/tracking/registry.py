"""Registered models: `models:/NAME/VERSION` and `models:/NAME@ALIAS` references, looked up in one
store (not MLflow's global one), downloaded and loaded without unpickling."""

from __future__ import annotations

import tempfile
from pathlib import Path

import dspy

from hyperalign.core.errors import ProgramLoadError
from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.optimize.tracking.preflight import check_store
from hyperalign.programs.storage import load_local

MODELS_SCHEME = "models:/"
# The alias of the registered version that beat every earlier one on like-for-like validation.
ALIAS = "champion"


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


def download(ref: str, tracking_uri: str | None, destination: str) -> Path:
    """Download a registered version's model files, looked up in this store (not MLflow's global one)."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow.artifacts
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    uri = check_store(resolve_tracking_uri(tracking_uri), write=False)  # never creates a store
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


def is_registry_ref(ref: str | Path) -> bool:
    return str(ref).startswith(MODELS_SCHEME)


def load_registered(ref: str, *, allow_pickle: bool = False, tracking_uri: str | None = None) -> dspy.Module:
    """The program of a registered model version, ready to call."""
    with tempfile.TemporaryDirectory(prefix="hyperalign-load-") as tmp:
        root = download(ref, tracking_uri, tmp)
        return load_local(ref, root, allow_pickle, downloaded=True)


def current_champion(client, name: str):
    """The version the champion alias points at, or None."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow.exceptions import MlflowException

    try:
        return client.get_model_version_by_alias(name, ALIAS)
    except MlflowException:
        return None
