"""MLflow tracking: where the store lives, one run per report or compile, nothing secret logged.

The default store is a sqlite file in the per-user data directory, never `mlflow.db` in the working
directory (MLflow 3.17's silent default). `MLFLOW_TRACKING_URI` or an explicit URI override it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hyperalign.core.paths import resolve_tracking_uri
from hyperalign.core.redaction import redact
from hyperalign.optimize.tracking.preflight import store_errors

EXPERIMENT_PREFIX = "hyperalign-"
# MLflow caps a param value at 6000 characters; longer values are cut, not refused.
MAX_PARAM_CHARS = 6000


@contextmanager
def use_store(uri: str) -> Iterator[str]:
    """Point MLflow's global (fluent) API at `uri` for the block, then put everything back.

    `mlflow.set_tracking_uri` also rewrites $MLFLOW_TRACKING_URI for the whole process; a library
    call must not leave that behind, so the previous globals and env values are restored. The
    active model (MLflow sets one when a model is loaded or logged) belongs to one store; it is
    cleared on the way in and out, or runs here would link to a model this store does not hold.
    """
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow
    from mlflow.tracking._model_registry import utils as registry_utils
    from mlflow.tracking._tracking_service import utils as tracking_utils

    saved_tracking, saved_registry = tracking_utils._tracking_uri, registry_utils._registry_uri
    saved_env = {name: os.environ.get(name) for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    mlflow.clear_active_model()
    try:
        yield uri
    finally:
        mlflow.clear_active_model()
        mlflow.set_tracking_uri(saved_tracking)
        registry_utils._registry_uri = saved_registry
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def experiment_name(domain: str) -> str:
    return f"{EXPERIMENT_PREFIX}{domain}"


def model_name(domain: str) -> str:
    """The registered model name of a domain's compiled programs."""
    return f"{EXPERIMENT_PREFIX}{domain}"


def clean_params(params: dict[str, Any]) -> dict[str, str]:
    """Params as MLflow stores them (strings), with anything key-like masked."""
    return {str(k): redact(str(v))[:MAX_PARAM_CHARS] for k, v in params.items() if v is not None}


# Metrics are rounded so the MLflow UI shows -17.24, not -17.239999999999995 (floating-point noise).
METRIC_DECIMALS = 4


def clean_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """Metrics as MLflow stores them (floats, rounded for display); None and NaN are left out."""
    return {str(k): round(float(v), METRIC_DECIMALS) for k, v in metrics.items() if v is not None and v == v}


def client(tracking_uri: str | None = None):
    """An MlflowClient on the resolved store (tracking and registry in the same place)."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow import MlflowClient

    uri = resolve_tracking_uri(tracking_uri)
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def artifact_location(tracking_uri: str, name: str) -> str | None:
    """Artifacts of a sqlite store live beside the database file; MLflow's default would be
    ./mlruns in whatever directory the process happens to run in. Servers choose their own."""
    prefix = "sqlite:///"
    if not tracking_uri.startswith(prefix):
        return None
    database = Path(tracking_uri[len(prefix):])
    return (database.parent / f"{database.stem}-artifacts" / name).resolve().as_uri()


def experiment_id(mlflow_client, domain: str) -> str:
    """The id of the domain's experiment, created on first use (artifacts beside a sqlite store)."""
    name = experiment_name(domain)
    experiment = mlflow_client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment.experiment_id
    return mlflow_client.create_experiment(name, artifact_location=artifact_location(mlflow_client.tracking_uri, name))


def log_report(
    domain: str,
    run_name: str,
    *,
    params: dict,
    metrics: dict,
    files: list[Path],
    tracking_uri: str | None = None,
    started: float | None = None,
) -> str:
    """Log one finished report (params, metrics, files as artifacts) as a run in `hyperalign-<domain>`.

    `started` (time.time() when the work began) is the run's start, so its duration covers the work.
    Uses its own client, so it neither needs nor changes MLflow's global active run. Returns the run id.
    """
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow
    from mlflow.entities import Metric, Param

    # log_batch links metrics to MLflow's active model, which loading any model sets and which may
    # live in another store (a foreign key error here); a report belongs to no model.

    mlflow.clear_active_model()
    mlflow_client = client(tracking_uri)
    kept = f"the report files are kept in {files[0].parent}" if files else ""
    # The store can fail long after the check at the start (made read-only, disk full): one line.
    with store_errors(mlflow_client.tracking_uri, "log the report", kept):
        run = mlflow_client.create_run(experiment_id(mlflow_client, domain), run_name=run_name, tags={"hyperalign.kind": "report"},
                                       start_time=int(started * 1000) if started is not None else None)
        run_id = run.info.run_id
        try:
            timestamp = run.info.start_time
            mlflow_client.log_batch(
                run_id,
                metrics=[Metric(k, v, timestamp, 0) for k, v in clean_metrics(metrics).items()],
                params=[Param(k, v) for k, v in clean_params(params).items()],
            )
            for path in files:
                mlflow_client.log_artifact(run_id, str(path))
        except BaseException:
            mlflow_client.set_terminated(run_id, status="FAILED")
            raise
        mlflow_client.set_terminated(run_id, status="FINISHED")
    return run_id
