"""The `champion` alias of a domain's registered model: it moves by the rule in `verdict.decide` (better
than the uncompiled program AND than the current champion, with 95% intervals over the same test users).

Each compile run records a key of what its test scores were measured on (data, test items, metric, LM)
and the per-item scores (`test_scores.json`: ids and numbers, no text). If the champion's run has the
same key, its recorded scores are paired with this compile's; otherwise the champion is re-scored now
on this compile's test items, so the comparison is always like for like.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hyperalign.core.hashing import short_key
from hyperalign.core.lm import lm_context
from hyperalign.optimize.compile.scoring import ItemScores, lm_string, say, score_items
from hyperalign.optimize.compile.verdict import Decision, Difference, decide, paired_difference
from hyperalign.optimize.program_ref import load
from hyperalign.optimize.tracking.preflight import store_lock
from hyperalign.optimize.tracking.registry import ALIAS, current_champion
from hyperalign.optimize.tracking.store import model_name

SCORES_FILE = "test_scores.json"


def test_key(data: dict, metric: str, lm: str | None) -> str:
    """A short hash of what a test score depends on."""
    parts = {key: data[key] for key in ("path", "k", "seed", "test_users", "test_items")}
    return short_key({**parts, "metric": metric, "lm": lm})


def recorded_scores(client, run_id: str) -> dict[str, float] | None:
    """The compiled program's per-item test scores a compile run logged, or None."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow.exceptions import MlflowException

    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = client.download_artifacts(run_id, SCORES_FILE, tmp)
        except (MlflowException, OSError):
            return None
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {key: float(row["score"]) for key, row in data.get("after", {}).items()}


def champion_scores(plan, champion, uri: str, client) -> dict[str, float]:
    """The champion's per-item scores on this compile's test items (recorded, or measured now)."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow

    run = client.get_run(champion.run_id)
    if run.data.tags.get("hyperalign.test_key") == test_key(plan.data, plan.metric_name, lm_string(plan.lm)):
        recorded = recorded_scores(client, champion.run_id)
        if recorded is not None:
            return recorded
    say(f"re-scoring champion version {champion.version} on this compile's {len(plan.testset)} test item(s)")
    program = load(f"models:/{champion.name}/{champion.version}", tracking_uri=uri)
    with lm_context(plan.lm):
        scores = score_items(program, plan.testset, plan.metric, "test")
    mlflow.log_metric("champion_test_score", scores.mean)
    return scores.scores


def maybe_promote(plan, version: str, after: ItemScores, vs_uncompiled: Difference, rejected: str | None,
                  uri: str) -> tuple[Decision, Difference | None]:
    """Point `champion` at `version` if the rule says so; return the decision and the difference
    against the champion (None when there was none, or it did not need measuring)."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow


    client = mlflow.MlflowClient(uri, uri)
    name = model_name(plan.spec.name)
    # Check-then-set under one lock: a compile finishing meanwhile cannot move the alias between
    # reading the champion and replacing it (both would otherwise say "now champion").
    with store_lock(uri, "champion"):
        champion = current_champion(client, name)
        vs_champion = None
        # The champion is measured only when it can decide: after a rejection or a loss to the
        # uncompiled program the answer is no already.
        if champion is not None and rejected is None and vs_uncompiled.above_zero():
            vs_champion = paired_difference(after.scores, champion_scores(plan, champion, uri, client), seed=plan.config.seed)
        decision = decide(version, vs_uncompiled, vs_champion, str(champion.version) if champion else None, rejected=rejected)
        if decision.promote:
            client.set_registered_model_alias(name, ALIAS, version)
    return decision, vs_champion
