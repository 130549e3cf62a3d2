"""The ALOE report: a summary of both systems' score tables, a markdown table, JSON and a PNG of AL(k)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hyperalign.optimize.domains.aloe.alignment import improvement
from hyperalign.optimize.evaluation import (
    bootstrap_ci,
    write_atomically,
    write_json,
    write_markdown,
)

REPORT_MD, REPORT_JSON, CURVES_PNG = "aloe-report.md", "aloe-report.json", "aloe-curves.png"


def summarize_system(conversations: list[dict], seed: int = 0) -> dict[str, Any]:
    """AL(k) with 95% bootstrap intervals over users, the improvement rate, its normalised form and R²."""
    scores = [[t["score"] for t in c["turns"]] for c in conversations]
    summary = improvement(scores)
    columns = list(zip(*scores))
    summary["intervals"] = [list(bootstrap_ci(column, seed=seed)) for column in columns]
    summary["aspects"] = {
        aspect: [sum(c["turns"][k][aspect] for c in conversations) / len(conversations) for k in range(len(columns))]
        for aspect in ("style", "content", "quality")
    }
    summary["scores"] = {c["user_id"]: [t["score"] for t in c["turns"]] for c in conversations}
    return summary


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def report_metrics(systems: dict[str, dict]) -> dict[str, float]:
    """Flat MLflow metrics: <system>_AL_<k>, _slope, _normalised_slope, _r2 (missing values left out)."""
    metrics: dict[str, float] = {}
    for name, s in systems.items():
        key = name.replace("-", "_")
        metrics.update({f"{key}_AL_{k}": level for k, level in enumerate(s["levels"], start=1)})
        for stat in ("slope", "normalised_slope", "r2"):
            if s[stat] is not None:
                metrics[f"{key}_{stat}"] = s[stat]
    return metrics


def write_report(systems: dict[str, dict], meta: dict[str, Any], conversations: dict[str, list[dict]], out: Path) -> list[Path]:
    turns = len(next(iter(systems.values()))["levels"])
    columns = ["system", *(f"AL({k})" for k in range(1, turns + 1)), "slope", "normalised slope", "R²"]
    rows = [
        [name, *(f"{v:.2f} [{lo:.2f}–{hi:.2f}]" for v, (lo, hi) in zip(s["levels"], s["intervals"])),
         _number(s["slope"]), _number(s["normalised_slope"]), _number(s["r2"], 2)]
        for name, s in systems.items()
    ]
    notes = [
        f"{meta['users']} simulated users × {turns} turns from {meta['path']}; task LM {meta['lm']}, judge LM {meta['judge_lm']}.",
        "AL(k): mean judge score (1–5; mean of style, content, quality) at turn k, with 95% bootstrap intervals over users. "
        "Slope: least-squares slope of AL(k) over k. Normalised slope: slope / (5 − AL(1)).",
    ]
    files = [
        write_markdown(out / REPORT_MD, "ALOE: alignment level per turn", columns, rows, notes),
        write_json(out / REPORT_JSON, {"meta": meta, "systems": systems, "conversations": conversations}),
        write_curves(out / CURVES_PNG, systems),
    ]
    return files


def write_curves(path: Path, systems: dict[str, dict]) -> Path:
    """AL(k) per system with its interval as a band."""
    # Imported here: heavy: plotting loads only when a chart is written.
    import matplotlib

    matplotlib.use("Agg")  # no display; safe in CI and on servers
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6), dpi=120)
    try:
        for name, s in systems.items():
            ks = list(range(1, len(s["levels"]) + 1))
            ax.plot(ks, s["levels"], marker="o", label=name)
            ax.fill_between(ks, [lo for lo, _ in s["intervals"]], [hi for _, hi in s["intervals"]], alpha=0.2)
        ax.set_xlabel("turn k")
        ax.set_ylabel("AL(k), judge score 1–5")
        ax.set_ylim(1, 5)
        ax.set_xticks(ks)
        ax.set_title("ALOE alignment level per turn", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
        fig.tight_layout()
        return write_atomically(path, lambda handle: fig.savefig(handle, format="png"))
    finally:
        plt.close(fig)
