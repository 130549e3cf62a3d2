"""The evaluation harness: every system's text for each held-out item, each text scored by the judge,
and every pair of systems compared.

Work is item by item (so `--limit` and an interruption cut cleanly), and every generation and
judgement goes through the on-disk cache, so a rerun resumes without redoing anything. Systems that
are outputs files need no LM: a comparison of files alone makes no LM call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal

import dspy

from hyperalign.core.lm import lm_context
from hyperalign.core.lm_errors import lm_errors
from hyperalign.core.progress import Stage, stage
from hyperalign.optimize.evaluation.cache import DiskCache
from hyperalign.optimize.evaluation.plan import announce_plan
from hyperalign.optimize.evaluation.systems import System
from hyperalign.optimize.evaluation.usage import Usage, metered
from hyperalign.optimize.judges.pairwise import combine_orders

JudgeName = Literal["authorship", "stylometric", "llm"]
# Scores closer than this count as a tie (floating-point noise, identical texts).
SCORE_TIE = 1e-9
# (example, text) -> (score in [0, 1], parts in [0, 1] by name)
Scorer = Callable[[dspy.Example, str], tuple[float, dict[str, float]]]


@dataclass
class ItemResult:
    """One held-out item: every system's text and score (with parts), and each pair's verdict."""

    user_id: str
    item_id: str
    task: str
    texts: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)  # system (and "reference") → judge score
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)  # "a vs b" → win/tie/loss/failure for a
    judge_answers: dict[str, list[str | None]] = field(default_factory=dict)  # llm judge: [a first, b first]


@dataclass
class EvaluationRun:
    items: list[ItemResult]
    usage: Usage
    planned_calls: int
    cached_generations: int
    cached_judgements: int
    planned_calls_max: int = 0  # with every repair and regeneration the programs' checks may add


def pair_name(a: str, b: str) -> str:
    return f"{a} vs {b}"


def describe_lm(lm: dspy.BaseLM | None) -> dict[str, Any]:
    """What about an LM changes its answers (never its key)."""
    if lm is None:
        return {"model": None}
    settings = {k: v for k, v in getattr(lm, "kwargs", {}).items() if k in ("temperature", "max_tokens", "top_p")}
    return {"model": getattr(lm, "model", type(lm).__name__), **settings}


class Harness:
    """Every system on `examples`, scored by `scorer`; pairs judged by the scores, or by the pairwise
    LLM judge when `pairwise` is given. `task_lm` is needed only when a system is a program."""

    def __init__(
        self,
        systems: list[System],
        *,
        scorer: Scorer,
        cache: DiskCache,
        task_lm: dspy.BaseLM | None = None,
        pairwise: dspy.Module | None = None,
        judge_lm: dspy.BaseLM | None = None,
    ):
        self.systems = systems
        self.pairs = list(combinations([s.name for s in systems], 2))
        self.scorer, self.cache = scorer, cache
        self.task_lm, self.pairwise, self.judge_lm = task_lm, pairwise, judge_lm or task_lm
        self._cached_generations = self._cached_judgements = 0

    # --- keys ------------------------------------------------------------------------------------
    def _generation_key(self, system: System, example: dspy.Example) -> str:
        return self.cache.key("generation", system.name, system.identity, describe_lm(self.task_lm),
                              list(example.samples), example.task, dict(example.attributes or {}))

    def _judgement_key(self, example: dspy.Example, candidate: str, other: str) -> str:
        return self.cache.key("pairwise", describe_lm(self.judge_lm), self.pairwise.dump_state(),
                              list(example.samples), example.task, candidate, other)

    # --- plan ------------------------------------------------------------------------------------
    def planned_calls(self, examples: list[dspy.Example]) -> tuple[int, int]:
        """LM calls still to make, (expected, at most): generations and judgements not yet in the
        cache, then the repair and regeneration calls the programs' checks may add. DSPy's own cache
        may answer some; retries and parse fallbacks may add a few."""
        calls, extra, users_to_infer = 0, 0, {s.name: set() for s in self.systems}
        for example in examples:
            for system in self.systems:
                if system.program is not None and self._generation_key(system, example) not in self.cache:
                    calls += system.calls_per_item
                    extra += system.extra_calls[1]
                    if system.calls_per_user:
                        users_to_infer[system.name].add(example.user_id)
            if self.pairwise is not None:
                calls += 2 * len(self.pairs)  # judgements: cheap to recheck, so counted as still to make
        by_system = {s.name: s for s in self.systems}
        calls += sum(len(users) for users in users_to_infer.values())
        extra += sum(len(users) * by_system[name].extra_calls[0] for name, users in users_to_infer.items())
        return calls, calls + extra

    # --- run -------------------------------------------------------------------------------------
    def run(self, examples: list[dspy.Example]) -> EvaluationRun:
        planned, at_most = self.planned_calls(examples)
        detail = f"{len(examples)} held-out item(s), {len(self.systems)} system(s), {len(self.pairs)} pair(s)"
        if at_most > planned:
            detail = f"up to {at_most} with the programs' repairs and regenerations; " + detail
        announce_plan(planned, detail)
        items = []
        with metered() as usage, stage("evaluating", total=len(examples)) as step:
            for example in examples:
                items.append(self.evaluate_item(example, step))
                step.advance()
        return EvaluationRun(items, usage, planned, self._cached_generations, self._cached_judgements, at_most)

    def evaluate_item(self, example: dspy.Example, step: Stage | None = None) -> ItemResult:
        result = ItemResult(user_id=example.user_id, item_id=str(example.get("item_id") or ""), task=example.task)
        for system in self.systems:
            if step is not None and system.program is not None:
                step.doing(f"generating ({system.name})")
            result.texts[system.name] = self.generate(system, example)
        if step is not None:
            step.doing("judging")
        for name, text in [*result.texts.items(), ("reference", example.reference)]:
            result.scores[name], result.parts[name] = self.scorer(example, text) if text.strip() else (0.0, {})
        for a, b in self.pairs:
            key = pair_name(a, b)
            if self.pairwise is None:
                result.verdicts[key] = compare_scores(result.scores[a], result.scores[b])
            else:
                answers = self.judge_pair(example, result.texts[a], result.texts[b])
                result.judge_answers[key] = answers
                result.verdicts[key] = combine_orders(*answers)
        return result

    def generate(self, system: System, example: dspy.Example) -> str:
        if system.program is None:
            return system.response_for(example)
        key = self._generation_key(system, example)
        cached = self.cache.get(key)
        if cached is not None:
            self._cached_generations += 1
            return cached["text"]
        samples, attributes = list(example.samples), dict(example.attributes or {})
        with lm_context(self.task_lm), lm_errors():
            given = {}
            if system.hypothesis_lm is not None:  # one LM infers, the task LM writes
                with lm_context(system.hypothesis_lm):
                    given["hypotheses"], _ = system.program.infer_hypotheses(samples, attributes)
            pred = system.program(samples=samples, task=example.task, attributes=attributes, **given)
        text = str(pred.text or "")
        self.cache.put(key, {"text": text, "hypotheses": list(getattr(pred, "hypotheses", []) or [])})
        return text

    def judge_pair(self, example: dspy.Example, candidate: str, other: str) -> list[str | None]:
        key = self._judgement_key(example, candidate, other)
        cached = self.cache.get(key)
        if cached is not None:
            self._cached_judgements += 1
            return cached
        with lm_errors():
            verdict = self.pairwise(samples=list(example.samples), task=example.task, candidate=candidate, other=other)
        answers = [verdict.candidate_first, verdict.candidate_second]
        self.cache.put(key, answers)
        return answers


def compare_scores(a: float, b: float) -> str:
    """A score judge as a pairwise judge: the text with the higher score wins."""
    if abs(a - b) <= SCORE_TIE:
        return "tie"
    return "win" if a > b else "loss"
