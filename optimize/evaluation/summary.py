"""From per-item results to the report: each system's mean score and parts, each pair's win/tie/loss
rates, all with 95% bootstrap intervals over users; then the files (markdown, JSON, chart)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from hyperalign.optimize.evaluation.bootstrap import mean_with_ci
from hyperalign.optimize.evaluation.harness import EvaluationRun
from hyperalign.optimize.evaluation.reports import (
    format_interval,
    markdown_table,
    small_sample_note,
    write_bar_chart,
    write_json,
    write_markdown,
)

OUTCOMES = ("win", "tie", "loss", "failure")
REPORT_FILES = {"markdown": "report.md", "json": "report.json", "chart": "win_rates.png"}


def summarize(run: EvaluationRun, systems: list[str], coverage: list[dict], *, seed: int = 0) -> dict[str, Any]:
    """Per system: mean judge score and parts; per pair (a vs b): a's win/tie/loss/judge-failure rates."""
    items = run.items
    users = [item.user_id for item in items]  # intervals resample users, not items (see bootstrap_ci)

    def stat(values: list[float]) -> dict[str, float]:
        return mean_with_ci(values, groups=users, seed=seed)

    scores = {}
    for name in [*systems, "reference"]:
        part_names = sorted({p for item in items for p in item.parts.get(name, {})})
        scores[name] = {
            "score": stat([item.scores[name] for item in items]),
            "parts": {p: stat([item.parts[name].get(p, 0.0) for item in items]) for p in part_names},
        }
    pairs = {}
    for key in (items[0].verdicts if items else {}):
        outcomes = [item.verdicts[key] for item in items]
        a, b = key.split(" vs ", 1)
        pairs[key] = {
            "a": a, "b": b, "n": len(outcomes),
            "counts": {o: outcomes.count(o) for o in OUTCOMES},
            "rates": {o: stat([float(x == o) for x in outcomes]) for o in OUTCOMES},
        }
    return {
        "systems": systems,
        "coverage": coverage,
        "n_items": len(items),
        "users": sorted(set(users)),
        "scores": scores,
        "pairs": pairs,
        "usage": {
            **run.usage.as_dict(),
            "planned_lm_calls": run.planned_calls,
            "planned_lm_calls_max": run.planned_calls_max,
            "cached_generations": run.cached_generations,
            "cached_judgements": run.cached_judgements,
        },
        "items": [asdict(item) for item in items],
    }


def report_metrics(summary: dict[str, Any]) -> dict[str, float]:
    """Flat numbers for MLflow: each system's score (and bounds) and parts, each pair's rates, usage."""
    metrics: dict[str, float] = {"n_items": summary["n_items"], "n_users": len(summary["users"]),
                                 "lm_calls": summary["usage"]["lm_calls"], "total_tokens": summary["usage"]["total_tokens"]}
    for name, result in summary["scores"].items():
        score = result["score"]
        metrics[f"score.{name}"], metrics[f"score.{name}.low"], metrics[f"score.{name}.high"] = score["mean"], score["low"], score["high"]
        for part, value in result["parts"].items():
            metrics[f"score.{name}.{part}"] = value["mean"]
    for pair in summary["pairs"].values():
        label = f"{pair['a']}_vs_{pair['b']}"
        for outcome in ("win", "tie", "loss"):
            rate = pair["rates"][outcome]
            metrics[f"{label}.{outcome}_rate"] = rate["mean"]
            metrics[f"{label}.{outcome}_rate_low"], metrics[f"{label}.{outcome}_rate_high"] = rate["low"], rate["high"]
    return metrics


def write_report(summary: dict[str, Any], meta: dict[str, Any], out_dir: Path) -> list[Path]:
    """report.md, report.json and win_rates.png in `out_dir` (each written atomically). With fewer than
    MIN_USERS_FOR_INTERVAL users no interval is shown (it would look like knowledge)."""
    users = len(summary["users"])
    small = small_sample_note(users)
    score_rows = []
    coverage = {c["system"]: c for c in summary["coverage"]}
    for name, result in summary["scores"].items():
        parts = ", ".join(f"{p} {v['mean']:.2f}" for p, v in result["parts"].items()) or "-"
        cov = coverage.get(name)
        covered = f"{cov['matched']}/{cov['items']}" if cov else "-"
        score_rows.append([name, format_interval(*_triple(result["score"]), percent=False, users=users), parts, covered])
    pair_rows = [[pair["a"], pair["b"], *(format_interval(*_triple(pair["rates"][o]), users=users) for o in ("win", "tie", "loss")),
                  pair["counts"]["failure"], pair["n"]] for pair in summary["pairs"].values()]
    usage = summary["usage"]
    notes = [
        *([f"**{small}**"] if small else []),
        f"{summary['n_items']} held-out item(s) of {len(summary['users'])} user(s), the items every system covers; "
        f"domain {meta.get('domain')}, judge {meta.get('judge')}, LM {meta.get('lm') or 'none (no system needed one)'}.",
        "Coverage: " + "; ".join(_coverage_text(c) for c in summary["coverage"]) + ".",
        "## Pairs\n\nRates are A's outcomes against B with 95% bootstrap intervals (resampling users). "
        + ("The LLM judge saw every pair in both orders; a win or loss needs both orders to agree, a split is a tie."
           if meta.get("judge") == "llm" else "The text with the higher judge score wins; equal scores tie.")
        + "\n\n" + markdown_table(["A", "B", "A wins", "ties", "A loses", "judge failures", "n"], pair_rows),
        f"LM calls: {usage['lm_calls']} (planned {usage['planned_lm_calls']}), tokens: {usage['total_tokens']}; "
        f"from the evaluation cache: {usage['cached_generations']} generation(s), {usage['cached_judgements']} judgement(s).",
    ]
    out_dir = Path(out_dir)
    title = f"{meta.get('domain')}: {', '.join(summary['systems'])}"
    paths = [
        write_markdown(out_dir / REPORT_FILES["markdown"], title, ["system", "mean judge score [95% CI]", "parts", "coverage"],
                       score_rows, notes),
        write_json(out_dir / REPORT_FILES["json"], {"meta": meta, **summary}),
    ]
    shown = (lambda stat: (stat["mean"],) * 3) if small else _triple
    series = {label: [shown(p["rates"][o]) for p in summary["pairs"].values()]
              for label, o in (("A wins", "win"), ("ties", "tie"), ("A loses", "loss"))}
    interval = f"{users} users, anecdotal: no CI" if small else "95% CI"
    paths.append(write_bar_chart(out_dir / REPORT_FILES["chart"], [k.replace(" vs ", "\nvs ") for k in summary["pairs"]], series,
                                 title=f"{meta.get('domain')} ({meta.get('judge')} judge, n={summary['n_items']}, {interval})",
                                 colors=("tab:green", "tab:gray", "tab:red")))
    return paths


def _coverage_text(c: dict) -> str:
    text = f"{c['system']} {c['matched']}/{c['items']}"
    if "rows" in c:
        text += f" ({c['rows']} row(s) in its file, {c['unmatched_rows']} matching no evaluated item)"
    return text


def _triple(stat: dict[str, float]) -> tuple[float, float, float]:
    return stat["mean"], stat["low"], stat["high"]
