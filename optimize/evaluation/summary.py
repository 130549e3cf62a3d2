"""From per-item results to the report: rates and means with bootstrap intervals, then the files."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from hyperalign.optimize.evaluation.bootstrap import mean_with_ci
from hyperalign.optimize.evaluation.harness import EvaluationRun
from hyperalign.optimize.evaluation.reports import (
    format_interval,
    write_bar_chart,
    write_json,
    write_markdown,
)

OUTCOMES = ("win", "tie", "loss", "failure")
REPORT_FILES = {"markdown": "report.md", "json": "report.json", "chart": "win_rates.png"}


def summarize(run: EvaluationRun, program_name: str, comparator_names: list[str], *, seed: int = 0) -> dict[str, Any]:
    """Per comparator: win/tie/loss/judge-failure rates of the program with 95% intervals, and mean
    stylometric scores (program, comparators, the user's own reference) with intervals."""
    items = run.items
    users = [item.user_id for item in items]  # intervals resample users, not items (see bootstrap_ci)
    comparators = {}
    for name in comparator_names:
        outcomes = [item.verdicts[name] for item in items]
        comparators[name] = {
            "n": len(outcomes),
            "counts": {o: outcomes.count(o) for o in OUTCOMES},
            "rates": {o: mean_with_ci([float(x == o) for x in outcomes], groups=users, seed=seed) for o in OUTCOMES},
        }
    stylometric = {
        name: mean_with_ci([item.stylometric[name] for item in items], groups=users, seed=seed)
        for name in [program_name, *comparator_names, "reference"]
    }
    return {
        "program": program_name,
        "n_items": len(items),
        "users": sorted({item.user_id for item in items}),
        "comparators": comparators,
        "stylometric": stylometric,
        "usage": {
            **run.usage.as_dict(),
            "planned_lm_calls": run.planned_calls,
            "cached_generations": run.cached_generations,
            "cached_judgements": run.cached_judgements,
        },
        "items": [asdict(item) for item in items],
    }


def report_metrics(summary: dict[str, Any]) -> dict[str, float]:
    """Flat numbers for MLflow: rates and their bounds per comparator, mean stylometric scores, usage."""
    metrics: dict[str, float] = {"n_items": summary["n_items"], "lm_calls": summary["usage"]["lm_calls"],
                                 "total_tokens": summary["usage"]["total_tokens"]}
    for name, result in summary["comparators"].items():
        for outcome, rate in result["rates"].items():
            metrics[f"{name}.{outcome}_rate"] = rate["mean"]
            metrics[f"{name}.{outcome}_rate_low"], metrics[f"{name}.{outcome}_rate_high"] = rate["low"], rate["high"]
    for name, score in summary["stylometric"].items():
        metrics[f"stylometric.{name}"] = score["mean"]
    return metrics


def write_report(summary: dict[str, Any], meta: dict[str, Any], out_dir: Path) -> list[Path]:
    """report.md, report.json and win_rates.png in `out_dir` (each written atomically)."""
    program = summary["program"]
    columns = ["comparator", "program wins", "ties", "program losses", "judge failures", "n", "stylometric (comparator)"]
    rows = []
    for name, result in summary["comparators"].items():
        rates, style = result["rates"], summary["stylometric"][name]
        rows.append([name, *(format_interval(*_triple(rates[o])) for o in ("win", "tie", "loss")),
                     result["counts"]["failure"], result["n"], format_interval(*_triple(style), percent=False)])
    usage = summary["usage"]
    notes = [
        f"Program `{program}` on {summary['n_items']} held-out item(s) of {len(summary['users'])} user(s) "
        f"({', '.join(summary['users'])}); domain {meta.get('domain')}, LM {meta.get('lm')}, judge {meta.get('judge')}"
        + (f" (judge LM {meta.get('judge_lm')})" if meta.get("judge") == "llm" else "") + ".",
        "Rates are the program's outcomes against each comparator with 95% bootstrap intervals (resampling users). "
        + ("The LLM judge saw every pair in both orders; a win or loss needs both orders to agree, a split is a tie, "
           "an unparseable answer is a judge failure (never a win)." if meta.get("judge") == "llm"
           else "The stylometric judge: the text closer to the user's style (relative to other users) wins."),
        "Mean stylometric score: program " + format_interval(*_triple(summary["stylometric"][program]), percent=False)
        + "; the user's own held-out text " + format_interval(*_triple(summary["stylometric"]["reference"]), percent=False) + ".",
        f"LM calls: {usage['lm_calls']} (planned {usage['planned_lm_calls']}), tokens: {usage['total_tokens']}; "
        f"from the evaluation cache: {usage['cached_generations']} generation(s), {usage['cached_judgements']} judgement(s).",
    ]
    out_dir = Path(out_dir)
    paths = [
        write_markdown(out_dir / REPORT_FILES["markdown"], f"{program} vs {', '.join(summary['comparators'])}", columns, rows, notes),
        write_json(out_dir / REPORT_FILES["json"], {"meta": meta, **summary}),
    ]
    series = {label: [_triple(summary["comparators"][c]["rates"][o]) for c in summary["comparators"]]
              for label, o in (("program wins", "win"), ("ties", "tie"), ("program losses", "loss"))}
    paths.append(write_bar_chart(out_dir / REPORT_FILES["chart"], list(summary["comparators"]), series,
                                 title=f"{program} vs comparators ({meta.get('judge')} judge, n={summary['n_items']}, 95% CI)",
                                 colors=("tab:green", "tab:gray", "tab:red")))
    return paths


def _triple(stat: dict[str, float]) -> tuple[float, float, float]:
    return stat["mean"], stat["low"], stat["high"]
