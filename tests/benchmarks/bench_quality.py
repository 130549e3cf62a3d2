"""Quality of the program's output on real users: valid hypotheses, and texts that do the task.

    python tests/benchmarks/run.py --sections quality [--quality-users N]
    python tests/benchmarks/bench_quality.py --summarize DIR/quality_users.jsonl   # figures from a partial run

For every shared CMCC author (e-mails, k = 5), 15 CCAT50 authors and the demo users (taken round-robin
across the three sets, so a run stopped early still covers each): the hypotheses HyPerAlign infers
(valid, distinct, grounded; copied statements; contradicted habits caught; inference LM calls), then
one held-out task written by HyPerAlign, zero-shot and few-shot, each scored by the judge's parts
(AuthorshipJudge: task fidelity, style, originality against the samples). Means with 95% bootstrap
intervals over users. Each user's record is appended to DIR/quality_users.jsonl as it is measured.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench_common import NEWS_PATH, SHARED_DATA

CMCC_PATH = SHARED_DATA / "cmcc" / "cmcc.jsonl"
K = 5
SETS = (("email", CMCC_PATH, None), ("news", NEWS_PATH, 15), ("demo", None, None))  # (domain, corpus, users)
SYSTEMS = ("hyperalign", "zero-shot", "few-shot")
BASELINE_MAX_TOKENS = 400  # the baselines' cap; HyPerAlign's comes from the user's own length
COPY = 0.5  # originality below this: the output copies the samples (the checks' reject threshold)
SANE = 0.5  # sanity below this: a degenerate text (repetition, junk, a length the user never writes)


def _users(quick: bool, limit: int | None, sets: tuple[str, ...] | None = None) -> list[tuple[str, Any, list]]:
    """(domain, user, that domain's users) round-robin over the sets (all three by default)."""
    from hyperalign.data import load_users

    per_set = []
    for domain, path, count in SETS:
        if sets and domain not in sets:
            continue
        users = sorted(load_users(domain, path, k=K, seed=0), key=lambda u: u.id)
        users = [u for u in users if u.held_out]
        n = 1 if quick else min(x for x in (count, limit, len(users)) if x is not None)
        per_set.append([(domain, u, users) for u in users[:n]] if not quick or domain == "demo" else [])
    order = []
    for i in range(max(len(s) for s in per_set)):
        order.extend(s[i] for s in per_set if i < len(s))
    return order


def _measure_user(domain: str, user, users: list, lm, base_lm) -> dict:
    import dspy

    from hyperalign.optimize.judges.authorship import AuthorshipJudge
    from hyperalign.programs import FewShot, HyPerAlign, ZeroShot
    from hyperalign.programs.conditioned_generation import PLACEHOLDER, max_tokens_for, target_words
    from hyperalign.programs.openings import task_opening

    program = HyPerAlign()
    start, calls = time.perf_counter(), len(lm.history)
    with _context(lm):
        hypotheses, _ = program.infer_hypotheses(user.samples, user.attributes)
    inference_calls = len(lm.history) - calls
    valid = [h for h in hypotheses if h["valid"]]
    reasons = [h["reason"] for h in hypotheses if not h["valid"]]
    item = user.held_out[0]
    judge = AuthorshipJudge(background=[u.samples for u in users if u.id != user.id], domain=None if domain == "demo" else domain)
    texts, gen_calls = {}, len(lm.history)
    with _context(lm):
        pred = program(samples=user.samples, task=item.task, attributes=user.attributes, hypotheses=hypotheses)
    texts["hyperalign"] = pred.text
    gen_calls = len(lm.history) - gen_calls
    # The baselines get the same length budget as HyPerAlign (the user's usual length), so the style
    # comparison is not a comparison of lengths.
    cap = {"max_tokens": max_tokens_for(target_words(user.samples))}
    with _context(base_lm), dspy.context(lm=base_lm.copy(**cap)):
        texts["zero-shot"] = ZeroShot()(samples=user.samples, task=item.task).text
        texts["few-shot"] = FewShot(max_texts=K)(samples=user.samples, task=item.task).text
    scores = {}
    for name, text in texts.items():
        verdict = judge(samples=user.samples, task=item.task, candidate=text)
        scores[name] = {part: round(float(verdict.parts[part]), 4) for part in ("fidelity", "style", "originality", "sanity")}
    return {
        "domain": domain, "user": user.id, "task": item.task, "seconds": round(time.perf_counter() - start, 1),
        "valid": len(valid), "hypotheses": len(hypotheses), "inference_calls": inference_calls,
        "copied": sum(r.startswith("copies") for r in reasons),
        "contradicted": sum(r.startswith("contradicted") for r in reasons),
        "dropped_reasons": [r.split(":")[0] for r in reasons],
        "habit_claims_checked": sum(len(h.get("habits", [])) for h in hypotheses),
        "generation_calls": gen_calls, "regenerated": bool(pred.regenerated), "text_problems": pred.problems,
        "edits": list(getattr(pred, "edits", []) or []),
        "statements": [h["statement"] for h in valid], "texts": texts, "scores": scores,
        # How many different sentences the valid hypotheses cite (one for all of them says little).
        "distinct_evidence": len({q.get("quote", q) if isinstance(q, dict) else q for h in valid for q in h["evidence"]}),
        "starts_with_opening": {n: t.startswith(task_opening(item.task)) for n, t in texts.items()} if task_opening(item.task) else None,
        "placeholders": {n: bool(PLACEHOLDER.search(t)) for n, t in texts.items()},
    }


def _score(parts: dict) -> float:
    """The authorship judge's score: the product of its parts."""
    return parts["fidelity"] * parts["style"] * parts["originality"] * parts["sanity"]


def _context(lm):
    from hyperalign.core.lm import lm_context

    return lm_context(lm)


def summarize(records: list[dict]) -> dict:
    """Figures over users with 95% bootstrap intervals (all sets together, and per set)."""
    from hyperalign.optimize.evaluation.bootstrap import mean_with_ci

    def ci(values: list[float]) -> dict:
        return {k: round(v, 3) for k, v in mean_with_ci(values).items()} if values else {}

    def figures(rows: list[dict]) -> dict:
        out: dict[str, Any] = {
            "users": len(rows),
            "share_with_3_valid": ci([float(r["valid"] >= 3) for r in rows]),
            "copied_statements_kept": 0,  # a copied statement is never kept: the checks drop it (counted below)
            "copied_statements_caught": sum(r["copied"] for r in rows),
            "contradicted_habits_caught": sum(r["contradicted"] for r in rows),
            "habit_claims_checked": sum(r["habit_claims_checked"] for r in rows),
            "inference_calls_per_user": ci([float(r["inference_calls"]) for r in rows]),
            "generation_calls_per_text": ci([float(r["generation_calls"]) for r in rows]),
            "texts_failing_checks_after_regeneration": sum(bool(r["text_problems"]) for r in rows),
            "distinct_evidence_per_user": ci([float(r.get("distinct_evidence", 0)) for r in rows]),
            # HyPerAlign texts a habit edit changed, and the edits per hypothesis behind them (programs/habit_edits.py)
            "texts_edited": sum(bool(r.get("edits")) for r in rows),
            "edits_by_hypothesis": dict(Counter(e[e.rindex(" (The ") + 2:-1] for r in rows for e in r.get("edits", []) if " (The " in e)),
        }
        for system in SYSTEMS:
            out[system] = {part: ci([r["scores"][system][part] for r in rows]) for part in ("fidelity", "style", "originality")}
            # The judge's whole score (the product of its parts) and the degenerate texts (sanity < 0.5): the
            # baselines are not checked and written again, and a text that repeats the task's words keeps a
            # high style part on news (content n-grams).
            out[system]["score"] = ci([_score(r["scores"][system]) for r in rows])
            out[system]["degenerate"] = sum(r["scores"][system]["sanity"] < SANE for r in rows)
            out[system]["outputs_copying_samples"] = sum(r["scores"][system]["originality"] < COPY for r in rows)
            out[system]["placeholders"] = sum(r.get("placeholders", {}).get(system, False) for r in rows)
            opened = [r["starts_with_opening"][system] for r in rows if r.get("starts_with_opening")]
            out[system]["starts_with_given_opening"] = f"{sum(opened)}/{len(opened)}" if opened else None
        for part in ("fidelity", "style"):
            out[f"{part}_hyperalign_minus_zero_shot"] = ci(
                [r["scores"]["hyperalign"][part] - r["scores"]["zero-shot"][part] for r in rows])
        out["score_hyperalign_minus_zero_shot"] = ci(
            [_score(r["scores"]["hyperalign"]) - _score(r["scores"]["zero-shot"]) for r in rows])
        sane = [r for r in rows if all(r["scores"][s]["sanity"] >= SANE for s in ("hyperalign", "zero-shot"))]
        out["style_hyperalign_minus_zero_shot_both_sane"] = {
            "users": len(sane), **ci([r["scores"]["hyperalign"]["style"] - r["scores"]["zero-shot"]["style"] for r in sane])}
        return out

    result = {"all": figures(records)} if records else {"all": {"users": 0}}
    for domain in sorted({r["domain"] for r in records}):
        result[domain] = figures([r for r in records if r["domain"] == domain])
    return result


def quality_section(model: str, quick: bool, limit: int | None, out_dir: Path, sets: tuple[str, ...] | None = None) -> dict:
    """Run every user (round-robin over the sets), appending records; return the summary."""
    from hyperalign.core.lm import make_lm

    lm = make_lm(model, cache=False)
    base_lm = make_lm(model, cache=False, max_tokens=BASELINE_MAX_TOKENS)  # a call's own cap (the user's length) wins
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "quality_users.jsonl"
    path.write_text("", encoding="utf-8")
    records = []
    order = _users(quick, limit, sets)
    for i, (domain, user, users) in enumerate(order, start=1):
        record = _measure_user(domain, user, users, lm, base_lm)
        records.append(record)
        with path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(f"   quality {i}/{len(order)} {domain}/{user.id}: {record['valid']} valid, "
              f"{record['inference_calls']} inference calls, {record['seconds']} s", file=sys.stderr, flush=True)
    return {"records_file": str(path), "k": K, "baseline_max_tokens": BASELINE_MAX_TOKENS, **summarize(records)}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--summarize":
        sys.exit(__doc__)
    rows = [json.loads(line) for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines() if line.strip()]
    print(json.dumps(summarize(rows), indent=2))


def quality_rows(q: dict) -> list[tuple[str, str, str]]:
    """Rows of the benchmark table: one block per set and for all users together."""
    def fmt(e: dict) -> str:
        return f"{e['mean']:.3f} [{e['low']:.3f}, {e['high']:.3f}]" if e else "n/a"

    rows = []
    for key in ["all"] + sorted(k for k in ("email", "news", "demo") if k in q):
        f = q[key]
        if not f.get("users"):
            continue
        n = f"n={f['users']} users"
        rows.append((f"quality {key}: share with >= 3 valid hypotheses", fmt(f["share_with_3_valid"]), f"goal >= 0.95; {n}"))
        rows.append((f"quality {key}: copied statements kept / caught", f"{f['copied_statements_kept']} / {f['copied_statements_caught']}",
                     f"contradicted habits caught {f['contradicted_habits_caught']} of {f['habit_claims_checked']} habit claims"))
        rows.append((f"quality {key}: inference LM calls per user", fmt(f["inference_calls_per_user"]), "goal <= 1.5"))
        rows.append((f"quality {key}: HyPerAlign texts a habit edit changed", f"{f['texts_edited']} of {f['users']}",
                     "; ".join(f"{n} x {h}" for h, n in f["edits_by_hypothesis"].items()) or "none"))
        for system in SYSTEMS:
            s = f[system]
            rows.append((f"quality {key}: {system} fidelity / style", f"{fmt(s['fidelity'])} / {fmt(s['style'])}",
                         f"outputs copying the samples: {s['outputs_copying_samples']}; degenerate: {s['degenerate']}"))
            rows.append((f"quality {key}: {system} judge score", fmt(s["score"]), "the product of the judge's parts"))
        sane = f["style_hyperalign_minus_zero_shot_both_sane"]
        rows.append((f"quality {key}: style HyPerAlign - zero-shot", fmt(f["style_hyperalign_minus_zero_shot"]),
                     f"goal > 0; where neither text is degenerate ({sane['users']} users): {fmt(sane) if 'mean' in sane else 'n/a'}"))
        rows.append((f"quality {key}: score HyPerAlign - zero-shot", fmt(f["score_hyperalign_minus_zero_shot"]), ""))
    return rows
