"""`hyperalign evaluate deliberative --path PROMPTS.csv`: the deliberative program against the direct
and spec-only baselines on labelled safety prompts paired with the demo users.

Reports, per system, with 95% bootstrap intervals: over-refusal on safe prompts (full or partial
refusal), compliance on unsafe prompts (full compliance), mean helpfulness (1-10), and the harmful
rate on unsafe prompts. Refusal is classified by the LLM judge (XSTest's three classes) with the
phrase-based classifier as fallback; the phrase-based rates are reported beside them.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.imports import import_attr
from hyperalign.core.lm import as_lm, lm_context
from hyperalign.core.lm_errors import lm_errors
from hyperalign.core.progress import note
from hyperalign.data import load_safety_prompts
from hyperalign.data.loaders import deliberative as demo_users
from hyperalign.optimize.evaluation import (
    announce_plan,
    format_interval,
    mean_with_ci,
    metered,
    write_bar_chart,
    write_json,
    write_markdown,
    write_text,
)
from hyperalign.optimize.evaluation.config import EvaluateConfig
from hyperalign.optimize.evaluation.outcome import EvaluationOutcome
from hyperalign.optimize.evaluation.reports import track_report
from hyperalign.optimize.judges.refusal import phrase_refusal
from hyperalign.optimize.judges.safety import DeliberativeJudges
from hyperalign.optimize.program_ref import program_or_default
from hyperalign.programs.deliberative import Deliberative

PROGRAM = "deliberative"
BASELINES = {"direct": "hyperalign.programs.deliberative_baselines:DirectAnswer",
             "spec-only": "hyperalign.programs.deliberative_baselines:SpecOnly"}
# The CLI's default comparators belong to the authorship domains; here they mean "both baselines".
AUTHORSHIP_DEFAULT = "zero-shot,few-shot"
# LM calls per prompt and system: the decision, then refusal, helpfulness (and harm on unsafe) judges.
CALLS_PER_ITEM = 4


def comparators(against: str | None) -> list[str]:
    if not against or against == AUTHORSHIP_DEFAULT:
        return list(BASELINES)
    names = [a.strip() for a in against.split(",") if a.strip()]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise InputError(f"unknown comparator(s) {', '.join(unknown)} for deliberative; use {', '.join(BASELINES)}")
    return names


def build_program(ref: str | None) -> dspy.Module:
    """The uncompiled program for None / 'baseline' / 'deliberative', else a compiled one."""
    return program_or_default(ref, dict.fromkeys((None, "baseline", PROGRAM), Deliberative), Deliberative)


def build_baseline(name: str) -> dspy.Module:
    return import_attr(BASELINES[name])()


def load_examples(path: str, limit: int | None, users: int | None, seed: int) -> list[dspy.Example]:
    people = demo_users.load()
    if users is not None:
        if users < 1:
            raise InputError(f"--users must be at least 1 (got {users})")
        people = people[:users]
    if limit is not None and limit < 1:
        raise InputError(f"--limit must be at least 1 (got {limit})")
    return demo_users.to_examples(demo_users.pair(load_safety_prompts(path), people, limit=limit, seed=seed))


def run_system(program: dspy.Module, examples: list[dspy.Example], task_lm, judges) -> list[dict]:
    """One row per example: the prediction (auditable fields) and its assessment."""
    rows = []
    for example in examples:
        with lm_context(task_lm), lm_errors():
            pred = program(**example.inputs())
        with lm_errors():
            assessment = judges(example, pred)
        rows.append({
            "prompt_id": example.prompt_id, "user_id": example.user_id, "label": example.label,
            "injection": example.injection, "task": example.task, "response": pred.text,
            "decision": pred.get("decision"), "clauses": pred.get("clauses", []), "rationale": pred.get("rationale", ""),
            "hypotheses": [h["statement"] for h in pred.get("hypotheses", [])],
            "phrase_refusal": phrase_refusal(pred.text), **assessment.as_dict(),
        })
    return rows


def summarize(rows: list[dict], seed: int) -> dict[str, dict[str, float] | int]:
    safe = [r for r in rows if r["label"] == "safe"]
    unsafe = [r for r in rows if r["label"] == "unsafe"]
    return {
        "over_refusal": mean_with_ci([float(r["refused"]) for r in safe], seed=seed),
        "unsafe_compliance": mean_with_ci([float(not r["refused"]) for r in unsafe], seed=seed),
        "helpfulness": mean_with_ci([float(r["helpfulness"]) for r in rows], seed=seed),
        "unsafe_harmful": mean_with_ci([float(bool(r["harmful"])) for r in unsafe], seed=seed),
        "over_refusal_phrase": mean_with_ci([float(r["phrase_refusal"] != "full compliance") for r in safe], seed=seed),
        "unsafe_compliance_phrase": mean_with_ci([float(r["phrase_refusal"] == "full compliance") for r in unsafe], seed=seed),
        # What the program itself decided (partial or decline); none for the direct baseline.
        "declared_refusal_safe": mean_with_ci([float(r["decision"] != "comply") for r in safe if r["decision"]], seed=seed),
        "declared_refusal_unsafe": mean_with_ci([float(r["decision"] != "comply") for r in unsafe if r["decision"]], seed=seed),
        "safe_n": len(safe), "unsafe_n": len(unsafe),
        # Responses the refusal judge LM answered unusably, classified by phrases instead.
        "refusal_fallbacks": sum(r["refusal_method"] == "fallback" for r in rows),
    }


def report_metrics(summaries: dict[str, dict]) -> dict[str, float]:
    """Flat MLflow metrics: <system>.<measure> and its _low/_high."""
    metrics = {}
    for system, summary in summaries.items():
        for measure, value in summary.items():
            if isinstance(value, dict):
                metrics[f"{system}.{measure}"] = value["mean"]
                metrics[f"{system}.{measure}_low"] = value["low"]
                metrics[f"{system}.{measure}_high"] = value["high"]
            elif measure == "refusal_fallbacks":
                metrics[f"{system}.{measure}"] = float(value)
    return {k: v for k, v in metrics.items() if v == v}  # NaN (no such prompts) is not logged


def write_report(summaries: dict[str, dict], meta: dict, rows: dict[str, list[dict]], out: Path) -> list[Path]:


    out.mkdir(parents=True, exist_ok=True)
    table = [
        [name, _interval(s["over_refusal"]) + f" (n={s['safe_n']})", _interval(s["unsafe_compliance"]) + f" (n={s['unsafe_n']})",
         _interval(s["helpfulness"], percent=False), _interval(s["unsafe_harmful"]),
         f"{s['over_refusal_phrase']['mean']:.0%} / {s['unsafe_compliance_phrase']['mean']:.0%}",
         f"{_rate(s['declared_refusal_safe'])} / {_rate(s['declared_refusal_unsafe'])}"]
        for name, s in summaries.items()
    ]
    notes = [
        f"Prompts: {meta['path']} ({meta['prompts']} paired with {meta['users']} demo users, seed {meta['seed']}). "
        f"Task LM: {meta['lm']}; judge LM: {meta['judge_lm']}. Intervals: 95% percentile bootstrap.",
        "Over-refusal: safe prompts answered with a full or partial refusal (lower is better). Unsafe compliance: "
        "unsafe prompts fully complied with (lower is better). Helpfulness: judge score 1-10 over all prompts. "
        "Phrase columns: the same two rates by the deterministic phrase classifier. Declared: how often the "
        "program's own decision was partial or decline (safe / unsafe prompts); the direct baseline declares none.",
        "Refusal judge fallbacks (its answer unusable, classified by phrases): "
        + ", ".join(f"{name} {s['refusal_fallbacks']}" for name, s in summaries.items()) + ".",
    ]
    columns = ["system", "over-refusal (safe)", "compliance (unsafe)", "helpfulness 1-10", "harmful (unsafe)",
               "phrase: over-refusal / compliance", "declared partial or decline: safe / unsafe"]
    files = [
        write_markdown(out / "report.md", "Deliberative alignment", columns, table, notes),
        write_json(out / "report.json", {"meta": meta, "summaries": summaries}),
        write_text(out / "responses.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for rs in rows.values() for r in rs)),
    ]
    series = {m: [(s[m]["mean"], s[m]["low"], s[m]["high"]) for s in summaries.values()]
              for m in ("over_refusal", "unsafe_compliance")}
    if all(v == v for values in series.values() for v, _, _ in values):
        files.append(write_bar_chart(out / "rates.png", list(summaries), series, title="Deliberative alignment"))
    return files


def evaluate_deliberative(config: EvaluateConfig) -> EvaluationOutcome:
    if not config.path:
        raise InputError("deliberative needs --path PROMPTS.csv (XSTest, AdvBench or HarmBench)")
    started, seed = time.time(), config.seed
    examples = load_examples(config.path, config.limit, config.users, seed)
    program_ref = config.program
    systems = {PROGRAM: build_program(program_ref)}
    systems.update({name: build_baseline(name) for name in comparators(config.against)})
    task_lm = as_lm(config.lm)  # a model string or an LM built by the caller (the CLI's LM options)
    judge_lm = as_lm(config.judge_lm) if config.judge_lm else task_lm
    judges = DeliberativeJudges(judge_lm)
    users = sorted({e.user_id for e in examples})
    announce_plan(len(examples) * len(systems) * CALLS_PER_ITEM + len(users),
                  f"{len(examples)} prompts × {len(systems)} systems, plus one hypothesis inference per user")
    rows: dict[str, list[dict]] = {}
    with metered() as usage:
        for name, program in systems.items():
            rows[name] = run_system(program, examples, task_lm, judges)
            note(f"{name}: {len(examples)} prompts done")
    summaries = {name: summarize(r, seed) for name, r in rows.items()}
    meta = {
        "domain": "deliberative", "path": str(config.path), "prompts": len(examples), "users": len(users),
        "seed": seed, "program": program_ref, "against": ",".join(list(systems)[1:]),
        "lm": task_lm.model, "judge_lm": judge_lm.model, **usage.as_dict(),
    }
    out = config.out_dir()
    files = write_report(summaries, meta, rows, out)
    lines = [f"{name}: over-refusal {_interval(s['over_refusal'])}, unsafe compliance "
             f"{_interval(s['unsafe_compliance'])}, helpfulness {_interval(s['helpfulness'], percent=False)}"
             for name, s in summaries.items()]
    fallbacks = sum(s["refusal_fallbacks"] for s in summaries.values())
    if fallbacks:
        lines.append(f"refusal judge: {fallbacks} unusable answer(s), classified by phrases instead")
    run_name = (f"evaluate deliberative: {program_ref} vs {meta['against'] or 'nothing'}, {len(examples)} prompts, "
                f"{len(users)} users")
    run_id = track_report("deliberative", run_name, meta=meta, metrics=report_metrics(summaries),
                          files=files, track=config.track, tracking_uri=config.tracking_uri, started=started)
    return EvaluationOutcome(lines, {"meta": meta, "summaries": summaries}, files, run_id)


def _rate(value: dict[str, float]) -> str:
    return "n/a" if value["mean"] != value["mean"] else f"{value['mean']:.0%}"


def _interval(value: dict[str, float], percent: bool = True) -> str:
    if value["mean"] != value["mean"]:
        return "n/a (no prompts)"
    return format_interval(value["mean"], value["low"], value["high"], percent=percent)
