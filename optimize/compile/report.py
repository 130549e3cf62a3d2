"""What a compile leaves in MLflow besides its metrics: the per-item test scores (ids and numbers, no
text), the before/after plot, and the registered version's description and tags."""

from __future__ import annotations

from pathlib import Path

from hyperalign.core.files import write_json
from hyperalign.optimize.compile.champion import SCORES_FILE
from hyperalign.optimize.compile.scoring import ItemScores
from hyperalign.optimize.compile.verdict import CompileVerdict, Decision, per_user_means
from hyperalign.optimize.evaluation.reports import write_bar_chart

PLOT_FILE = "test_before_after.png"


def log_files(work: Path, verdict: CompileVerdict, before: ItemScores, after: ItemScores) -> list[Path]:
    """Write and log `test_scores.json` and the before/after plot to the active run."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    import mlflow

    scores = write_json(work / SCORES_FILE, {"scale": "percent", "before": before.as_dict(), "after": after.as_dict()})
    plot = before_after_plot(work / PLOT_FILE, verdict, before, after)
    for path in (scores, plot):
        mlflow.log_artifact(str(path))
    return [scores, plot]


def before_after_plot(path: Path, verdict: CompileVerdict, before: ItemScores, after: ItemScores) -> Path:
    """One pair of bars per test user (uncompiled, compiled) and the overall means with the
    difference's interval in the title."""
    first, second = per_user_means(before.scores, before.users), per_user_means(after.scores, after.users)
    users = sorted(first)
    d = verdict.vs_uncompiled
    series = {
        "uncompiled": [(first[u], first[u], first[u]) for u in users] + [(verdict.before, verdict.before, verdict.before)],
        "compiled": [(second[u], second[u], second[u]) for u in users] + [(verdict.after, verdict.after, verdict.after)],
    }
    title = f"test users: compiled − uncompiled {d.mean:+.1f} [{d.low:+.1f}, {d.high:+.1f}] (95% CI over {d.users} users)"
    return write_bar_chart(path, [*users, "mean"], series, title=title, ylabel="score (%)", ylim=(0.0, 100.0),
                           colors=("tab:gray", "tab:blue"))


def describe_version(client, name: str, version: str, plan, verdict: CompileVerdict, decision: Decision) -> None:
    """The registered version says what it is, how it scored on how many test users, and why it is or
    is not champion (description and tags, visible in the registry UI and `runs`)."""
    d = verdict.vs_uncompiled
    description = (
        f"{plan.spec.name}: {plan.config.optimizer} ({plan.config.budget}), metric {plan.metric_name}. "
        f"Test users ({verdict.users}, never seen in compile): uncompiled {verdict.before:.1f}, compiled {verdict.after:.1f}, "
        f"difference {d.mean:+.1f} [{d.low:+.1f}, {d.high:+.1f}] (95% CI over users). {decision.reason}."
    )
    client.update_model_version(name, version, description=description)
    tags = {
        "test_score_before": f"{verdict.before:.2f}", "test_score_after": f"{verdict.after:.2f}",
        "test_difference": f"{d.mean:+.2f}", "test_difference_low": f"{d.low:+.2f}", "test_difference_high": f"{d.high:+.2f}",
        "test_users": str(verdict.users), "metric": plan.metric_name, "optimizer": plan.config.optimizer,
        "champion_reason": decision.reason,
    }
    if verdict.vs_champion is not None:
        c = verdict.vs_champion
        tags["vs_champion"] = f"{c.mean:+.2f} [{c.low:+.2f}, {c.high:+.2f}]"
    for key, value in tags.items():
        client.set_model_version_tag(name, version, key, value)
