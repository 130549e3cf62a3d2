"""The `champion` alias of a domain's registered model: it moves only to a version that beats the
current champion on the same validation users (same tasks, samples, metric and LM).

Each compile run records a key of what its validation score was measured on. If the champion's run
has the same key, its recorded score is compared; otherwise the champion is re-scored now on this
compile's validation set, so the comparison is always like for like.
"""

from __future__ import annotations

from hyperalign.optimize.compile.scoring import evaluate, lm_string, say
from hyperalign.optimize.program_ref import load
from hyperalign.optimize.tracking.registry import ALIAS, current_champion
from hyperalign.optimize.tracking.store import model_name

from hyperalign.core.hashing import short_key
from hyperalign.core.lm import lm_context


def val_key(data: dict, metric: str, lm: str | None) -> str:
    """A short hash of what a validation score depends on."""
    parts = {key: data[key] for key in ("path", "k", "seed", "val_users", "val_tasks")}
    return short_key({**parts, "metric": metric, "lm": lm})


def champion_score(plan, champion, uri: str, client) -> float:
    """The champion's validation score on this compile's validation set (recorded, or measured now)."""
    import mlflow

    run = client.get_run(champion.run_id)
    key = val_key(plan.data, plan.metric_name, lm_string(plan.lm))
    recorded = run.data.metrics.get("val_score_after")
    if run.data.tags.get("hyperalign.val_key") == key and recorded is not None:
        return float(recorded)
    say(f"re-scoring champion version {champion.version} on this compile's validation users")
    program = load(f"models:/{champion.name}/{champion.version}", tracking_uri=uri)
    with lm_context(plan.lm):
        score = evaluate(program, plan.valset, plan.metric)
    mlflow.log_metric("champion_val_score", score)
    return score


def maybe_promote(plan, version: str, score: float, uri: str) -> tuple[bool, str]:
    """Point `champion` at `version` if it beats the current champion; say what happened."""
    import mlflow

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
