"""A domain's compile runs as rows: optimizer, metric, scores, LM, date, registered version, champion."""

from __future__ import annotations

from datetime import datetime, timezone

from hyperalign.optimize.tracking.registry import ALIAS, current_champion
from hyperalign.optimize.tracking.store import client, experiment_name, model_name

COLUMNS = ("run", "status", "date", "optimizer", "budget", "metric", "before", "after", "lm_calls", "lm", "version", "champion")


def list_variants(domain: str, tracking_uri: str, limit: int = 50) -> list[dict]:
    mlflow_client = client(tracking_uri)
    experiment = mlflow_client.get_experiment_by_name(experiment_name(domain))
    if experiment is None:
        return []
    runs = mlflow_client.search_runs(
        [experiment.experiment_id],
        filter_string="tags.`hyperalign.kind` = 'compile'",
        order_by=["attributes.start_time DESC"],
        max_results=limit,
    )
    versions = _versions_by_run(mlflow_client, model_name(domain))
    champion = current_champion(mlflow_client, model_name(domain))
    rows = []
    for run in runs:
        params, metrics = run.data.params, run.data.metrics
        version = versions.get(run.info.run_id)
        rows.append(
            {
                "run": run.info.run_id[:8],
                "status": run.info.status,
                "date": datetime.fromtimestamp(run.info.start_time / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M"),
                "optimizer": params.get("optimizer", ""),
                "budget": params.get("budget", ""),
                "metric": params.get("metric", ""),
                # test users' scores since compiles are judged on unseen users; older runs: validation
                "before": _score(metrics.get("test_score_before", metrics.get("val_score_before"))),
                "after": _score(metrics.get("test_score_after", metrics.get("val_score_after"))),
                "lm_calls": _count(metrics.get("lm_calls")),
                "lm": params.get("lm", ""),
                "version": version or "",
                "champion": ALIAS if champion is not None and version == str(champion.version) else "",
            }
        )
    return rows


def _versions_by_run(mlflow_client, name: str) -> dict[str, str]:
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow.exceptions import MlflowException

    try:
        found = mlflow_client.search_model_versions(f"name = '{name}'")
    except MlflowException:
        return {}
    return {v.run_id: str(v.version) for v in found if v.run_id}


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _count(value: float | None) -> str:
    return "" if value is None else str(int(value))


def render_table(rows: list[dict]) -> list[str]:
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in COLUMNS}
    lines = ["  ".join(c.ljust(widths[c]) for c in COLUMNS)]
    lines += ["  ".join(str(r[c]).ljust(widths[c]) for c in COLUMNS) for r in rows]
    return lines
