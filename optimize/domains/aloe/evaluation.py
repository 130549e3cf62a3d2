"""`hyperalign evaluate aloe`: simulated users talk with the conversational program and with a
baseline that replies without hypotheses; AL(k) curves, improvement rates, report files, MLflow."""

from __future__ import annotations

import time

from hyperalign.core.errors import InputError
from hyperalign.core.lm import as_lm
from hyperalign.core.progress import stage
from hyperalign.data import load_aloe_users
from hyperalign.optimize.domains.aloe.dialogue import converse
from hyperalign.optimize.domains.aloe.report import report_metrics, summarize_system, write_report
from hyperalign.optimize.domains.aloe.spec import conversational_program
from hyperalign.optimize.evaluation import announce_plan, metered
from hyperalign.optimize.evaluation.config import EvaluateConfig
from hyperalign.optimize.evaluation.outcome import EvaluationOutcome
from hyperalign.optimize.evaluation.reports import small_sample_note, track_report
from hyperalign.programs.conversational import ConversationalBaseline

DEFAULT_USERS, DEFAULT_TURNS = 10, 10
# LM calls per user and turn: simulator ×2 (one per system), update + reply, baseline reply, judge ×2.
CALLS_PER_TURN = 7
PROGRAM, BASELINE = "conversational", "baseline"


def evaluate_aloe(config: EvaluateConfig) -> EvaluationOutcome:
    if not config.path:
        raise InputError("aloe needs --path FOLDER holding profile.jsonl and personality.jsonl")
    users_n = DEFAULT_USERS if config.users is None else config.users
    turns = DEFAULT_TURNS if config.turns is None else config.turns
    if users_n < 1 or turns < 1:
        raise InputError(f"--users and --turns must be at least 1 (got {users_n} and {turns})")
    started, seed = time.time(), config.seed
    users = load_aloe_users(config.path, n=users_n, seed=seed)
    systems = {PROGRAM: conversational_program(config.program), BASELINE: ConversationalBaseline()}
    task_lm = as_lm(config.lm)  # a model string or an LM built by the caller (the CLI's LM options)
    judge_lm = as_lm(config.judge_lm) if config.judge_lm else task_lm
    announce_plan(len(users) * turns * CALLS_PER_TURN, f"{len(users)} users × {turns} turns, program and baseline")
    conversations: dict[str, list[dict]] = {name: [] for name in systems}
    with metered() as usage, stage("conversing", total=len(users), unit="user") as step:
        for user in users:
            for name, program in systems.items():
                step.doing(f"{user.id} with the {name}")
                conversations[name].append(converse(program, user, turns, task_lm=task_lm, judge_lm=judge_lm))
            step.advance()
    summaries = {name: summarize_system(convs, seed=seed) for name, convs in conversations.items()}
    meta = {
        "domain": "aloe", "path": str(config.path), "users": len(users), "turns": turns, "seed": seed,
        "program": config.program, "lm": task_lm.model, "judge_lm": judge_lm.model,
        **usage.as_dict(),
    }
    out = config.out_dir()
    files = write_report(summaries, meta, conversations, out)
    lines = []
    for name, s in summaries.items():
        levels = " ".join(f"{v:.2f}" for v in s["levels"])
        slope = "n/a" if s["slope"] is None else f"{s['slope']:+.3f}"
        lines.append(f"{name}: AL(k) {levels}; slope {slope}")
    lines += [note for note in [small_sample_note(len(users))] if note]
    lines.append(f"LM calls: {usage.lm_calls}, tokens: {usage.total_tokens}")
    run_name = f"evaluate aloe: {meta['program']} vs {BASELINE}, {len(users)} users × {turns} turns"
    run_id = track_report("aloe", run_name, meta=meta, metrics=report_metrics(summaries),
                          files=files, track=config.track, tracking_uri=config.tracking_uri, started=started)
    return EvaluationOutcome(lines, {"meta": meta, "summaries": summaries}, files, run_id)
