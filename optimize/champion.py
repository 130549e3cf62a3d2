"""The `champion` alias of a domain's registered model: it moves only to a version that beats the
current champion on the same validation users (same tasks, samples, metric and LM).

Each compile run records a key of what its validation score was measured on. If the champion's run
has the same key, its recorded score is compared; otherwise the champion is re-scored now on this
compile's validation set, so the comparison is always like for like.
"""

from __future__ import annotations

import hashlib
import json

ALIAS = "champion"


def val_key(data: dict, metric: str, lm: str | None) -> str:
    """A short hash of what a validation score depends on."""
    parts = {key: data[key] for key in ("path", "k", "seed", "val_users", "val_tasks")}
    blob = json.dumps({**parts, "metric": metric, "lm": lm}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def current_champion(client, name: str):
    from mlflow.exceptions import MlflowException

    try:
        return client.get_model_version_by_alias(name, ALIAS)
    except MlflowException:
        return None


def champion_score(plan, champion, uri: str, client) -> float:
    """The champion's validation score on this compile's validation set (recorded, or measured now)."""
    import mlflow

    from hyperalign.lm import lm_context
    from hyperalign.optimize.compile import evaluate, lm_string, say

    run = client.get_run(champion.run_id)
    key = val_key(plan.data, plan.metric_name, lm_string(plan.lm))
    recorded = run.data.metrics.get("val_score_after")
    if run.data.tags.get("hyperalign.val_key") == key and recorded is not None:
        return float(recorded)
    from hyperalign.loading import load

    say(f"re-scoring champion version {champion.version} on this compile's validation users")
    program = load(f"models:/{champion.name}/{champion.version}", tracking_uri=uri)
    with lm_context(plan.lm):
        score = evaluate(program, plan.valset, plan.metric)
    mlflow.log_metric("champion_val_score", score)
    return score


def maybe_promote(plan, version: str, score: float, uri: str) -> tuple[bool, str]:
    """Point `champion` at `version` if it beats the current champion; say what happened."""
    import mlflow

    from hyperalign.optimize.tracking import model_name

    client = mlflow.MlflowClient(uri, uri)
    name = model_name(plan.spec.name)
    champion = current_champion(client, name)
    if champion is None:
        client.set_registered_model_alias(name, ALIAS, version)
        return True, f"version {version} is the first champion"
    best = champion_score(plan, champion, uri, client)
    if score > best:
        client.set_registered_model_alias(name, ALIAS, version)
        return True, f"version {version} ({score:.1f}) beats champion version {champion.version} ({best:.1f}): now champion"
    return False, f"version {version} ({score:.1f}) does not beat champion version {champion.version} ({best:.1f})"
