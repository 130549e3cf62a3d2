"""The benchmark's outputs: a readable table on stdout, JSON and markdown files (written atomically)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _target(entry: dict) -> str:
    if "met" not in entry:
        return ""
    return f"target ≤ {entry['target']}: {'MET' if entry['met'] else 'MISSED'} (margin {entry['margin']:+})"


def rows(results: dict) -> list[tuple[str, str, str]]:
    """(figure, value, note) rows for the table, one block per section; failed sections show their error."""
    out: list[tuple[str, str, str]] = []
    s = results["sections"]

    def failed(name: str) -> bool:
        if name not in s:
            out.append((name, "not run (yet)", ""))
            return True
        if not s[name].get("ok", False):
            out.append((name, "FAILED", s.get(name, {}).get("error", "not run")[:120]))
            return True
        return False

    if not failed("overhead"):
        o = s["overhead"]
        out.append(("overhead: hyperalign / direct (median s)", f"{o['hyperalign_median_s']} / {o['direct_median_s']}", f"{o['reps']} reps, interleaved"))
        out.append(("overhead: ratio", _fmt(o["ratio"]), _target(o)))
        if "framework_own_ms_median" in o:
            out.append(("overhead: framework's own time (ms)", _fmt(o["framework_own_ms_median"]),
                        f"ratio without backend noise {o['ratio_without_backend_noise']}"))
    if not failed("prompt_tokens"):
        for domain, e in ((d, s["prompt_tokens"][d]) for d in ("news", "email") if d in s["prompt_tokens"]):
            out.append((f"prompt tokens/output, {domain}: hyperalign / few-shot",
                        f"{e['hyperalign_cached']['prompt_tokens']} / {e['few_shot']['prompt_tokens']} = {e['ratio']}",
                        _target(e) or f"k={e['k']}"))
    if not failed("lm_calls_for_tasks"):
        t = s["lm_calls_for_tasks"]
        out.append((f"LM calls for T={t['T']} tasks: cached / re-infer", f"{t['cached']['lm_calls']} / {t['reinfer']['lm_calls']}",
                    f"tokens {t['cached']['total_tokens']} / {t['reinfer']['total_tokens']}"
                    + ("" if t["reinfer"]["measured"] else " (re-infer derived)")))
    for name in ("throughput_inprocess", "throughput_server"):
        if not failed(name):
            for row in s[name]["rows"]:
                out.append((f"{name}: {row['callers']} caller(s)", f"{row['outputs_per_s']} outputs/s",
                            f"x{row['speedup_vs_1']} vs 1; median latency {row['median_latency_s']} s; "
                            f"{row['completion_tokens_per_output']} tokens out/output; errors {row['errors']}"))
    if not failed("cold_start"):
        c = s["cold_start"]
        out.append(("cold start → first output (s)", _fmt(c["seconds_to_first_output"]), f"{c['lm_calls']} LM calls; {c['how'][:60]}"))
        floor = c.get("import_and_model_load_only")
        out.append(("peak RSS (MB)", _fmt(c["peak_rss_mb"]), f"import+model load alone: {floor['peak_rss_mb']} MB, {floor['seconds']} s" if floor else ""))
    if not failed("compile"):
        c = s["compile"]
        if c.get("measured"):
            out.append(("compile email bootstrap", f"{c['seconds']} s", f"{c['lm_calls']} LM calls"))
        else:
            out.append(("compile email bootstrap", "not measured", c.get("reason", "")))
    if "quality" in s and not failed("quality"):
        from bench_quality import quality_rows

        out.extend(quality_rows(s["quality"]))
    if "batch" in s and not failed("batch"):
        from bench_batch import batch_rows

        out.extend(batch_rows(s["batch"]))
    if "serving" in s and not failed("serving"):
        from bench_serving import serving_rows

        out.extend(serving_rows(s["serving"]))
    if "servers" in s and not failed("servers"):
        from bench_servers import servers_rows

        out.extend(servers_rows(s["servers"]))
    if "judge" in s and not failed("judge"):
        from bench_judge import judge_rows

        out.extend(judge_rows(s["judge"]))
    return out


def table(results: dict) -> str:
    body = rows(results)
    w1 = max(len(r[0]) for r in body)
    w2 = max(len(r[1]) for r in body)
    return "\n".join(f"{a:<{w1}}  {b:<{w2}}  {c}" for a, b, c in body)


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [f"# hyperalign benchmark ({'quick' if results['quick'] else 'default'} run)", "",
             f"- date: {results['date']}", f"- machine: {m['cores']} cores, {m['platform']}, Python {m['python']}",
             f"- LM: {results['lm']}", f"- total wall time: {results['total_seconds']} s", "",
             "| figure | value | note |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c.replace('|', '/')} |" for a, b, c in rows(results)]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_outputs(results: dict, out_dir: Path) -> tuple[Path, Path]:
    json_path, md_path = out_dir / "benchmark.json", out_dir / "benchmark.md"
    write_atomic(json_path, json.dumps(results, indent=2, default=str) + "\n")
    write_atomic(md_path, markdown(results))
    return json_path, md_path
