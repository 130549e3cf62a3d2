"""The authorship judge (no LM): warm per-candidate score time, the adversarial table (the real held-out
text's win rate against each adversary, 95% Wilson interval over users) and authorship-attribution top-1,
on CCAT50 and CMCC from ../shared/data.

    python tests/benchmarks/run.py --sections judge [--quick]
"""

from __future__ import annotations

import os
import statistics
import time

from bench_common import SHARED_DATA

CORPORA = {"news": "ccat50/ccat50.jsonl", "email": "cmcc/cmcc.jsonl", "essay": "cmcc/cmcc.jsonl", "blog": "cmcc/cmcc.jsonl"}


def judge_section(quick: bool = False) -> dict:
    from hyperalign.data import load_users

    users = {d: load_users(d, SHARED_DATA / path, k=5, seed=0) for d, path in CORPORA.items()}
    timing = {d: warm_score_ms(users[d], d, 15 if quick else 60) for d in ("email", "news")}
    tables = {d: adversaries(users[d], d, items=1 if quick or d != "news" else 2) for d in (("email",) if quick else ("email", "essay", "news"))}
    attribution = {d: top1(users[d], d) for d in (("email",) if quick else CORPORA)}
    return {"warm_score_ms": timing, "adversarial": tables, "attribution": attribution, "load_average": list(os.getloadavg())}


def warm_score_ms(users, domain: str, n: int) -> dict:
    """Per-candidate time once the judge is warm (its space built, the samples embedded): every candidate
    is a text the judge has not seen (its n-grams, style, embedding and checks computed afresh)."""
    from hyperalign.optimize.judges import AuthorshipJudge

    judge = AuthorshipJudge([u.samples for u in users], domain=domain)
    user, task = users[0], users[0].held_out[0].task
    judge(samples=user.samples, task=task, candidate=user.held_out[0].reference)  # warm-up: builds the space
    candidates = [item.reference for u in users[1:] for item in u.held_out][:n]
    wall, cpu = [], []
    for text in candidates:
        w, c = time.perf_counter(), time.process_time()
        judge(samples=user.samples, task=task, candidate=text)
        wall.append(1000 * (time.perf_counter() - w))
        cpu.append(1000 * (time.process_time() - c))
    return {"writers": len(users), "candidates": len(candidates), "median_wall_ms": statistics.median(wall),
            "median_cpu_ms": statistics.median(cpu), "p90_wall_ms": sorted(wall)[int(0.9 * (len(wall) - 1))]}


def adversaries(users, domain: str, items: int) -> dict:
    from hyperalign.optimize.judges.adversarial import adversarial_table

    return adversarial_table(users, domain=domain, items_per_user=items).as_dict()


def top1(users, domain: str) -> dict:
    from hyperalign.optimize.stylometry import BASELINE_METHOD, validate

    judge, baseline = validate(users, domain=domain), validate(users, BASELINE_METHOD)
    return {"top1": judge.top1, "baseline_top1": baseline.top1, "n": judge.n, "writers": judge.n_writers}


def judge_rows(section: dict) -> list[tuple[str, str, str]]:
    rows = []
    for domain, t in section["warm_score_ms"].items():
        rows.append((f"judge: warm score, {domain}", f"{t['median_wall_ms']:.1f} ms wall, {t['median_cpu_ms']:.1f} ms CPU",
                     f"median of {t['candidates']} new candidates, {t['writers']} writers; goal <= 50 ms"))
    for domain, table in section["adversarial"].items():
        for r in table["adversaries"]:
            rows.append((f"judge {domain}: real vs {r['adversary']}", f"{r['win_rate']:.3f} [{r['low']:.3f}, {r['high']:.3f}]",
                         f"{r['n_pairs']} pairs, {r['n_users']} users; real {r['real_score']:.2f} vs {r['adversary_score']:.2f}"))
        if table["excluded"]:
            kept = ", ".join(f"{r['adversary']} {r['win_rate']:.3f}" for r in table["with_copies"])
            rows.append((f"judge {domain}: real texts that re-issue a sample", f"{table['excluded']} of {table['n_real']}",
                         f"left out above; with them: {kept}"))
    for domain, a in section["attribution"].items():
        rows.append((f"attribution top-1, {domain} (k=5)", f"{a['top1']:.3f}", f"TF-IDF baseline {a['baseline_top1']:.3f}; {a['n']} texts, {a['writers']} writers"))
    return rows
