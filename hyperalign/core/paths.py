"""Where hyperalign keeps its files: the per-user data directory and the MLflow store.

Resolving the tracking URI needs no MLflow import, so the CLI can name the store cheaply.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_TRACKING_URI = "MLFLOW_TRACKING_URI"


def data_dir() -> Path:
    """The per-user data directory: $XDG_DATA_HOME/hyperalign, else ~/.local/share/hyperalign."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hyperalign"


def resolve_tracking_uri(uri: str | None = None) -> str:
    """The tracking URI to use: the argument, else $MLFLOW_TRACKING_URI, else the per-user sqlite store.

    Never MLflow 3.17's silent default (`mlflow.db` in whatever directory the process runs in).
    """
    uri = uri or os.environ.get(ENV_TRACKING_URI)
    if uri:
        return uri
    directory = data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{directory / 'mlflow.db'}"
