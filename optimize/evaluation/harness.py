"""The evaluation harness: run a program and its comparators on held-out items, judge each pair.

Work is item by item (so `--limit` and an interruption cut cleanly), and every generation and
judgement goes through the on-disk cache, so a rerun resumes without redoing anything.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import dspy

from hyperalign.core.lm import lm_context
from hyperalign.core.lm_errors import lm_errors
from hyperalign.optimize.evaluation.cache import DiskCache
from hyperalign.optimize.evaluation.plan import announce_plan
from hyperalign.optimize.evaluation.systems import System
from hyperalign.optimize.evaluation.usage import Usage, metered
from hyperalign.optimize.judges import PairwiseStyleJudge, combine_orders

JudgeName = Literal["stylometric", "llm"]
# Stylometric scores closer than this count as a tie (floating-point noise, identical texts).
STYLOMETRIC_TIE = 1e-9


@dataclass
class ItemResult:
    """One held-out item: every system's text and stylometric score, and each comparator's verdict."""

    user_id: str
    task: str
    texts: dict[str, str] = field(default_factory=dict)
    stylometric: dict[str, float] = field(default_factory=dict)
    verdicts: dict[str, str] = field(default_factory=dict)  # comparator → win/tie/loss/failure for the program
    judge_answers: dict[str, list[str | None]] = field(default_factory=dict)  # llm judge: [as A, as B]


@dataclass
class EvaluationRun:
    items: list[ItemResult]
    usage: Usage
    planned_calls: int
    cached_generations: int
    cached_judgements: int


def describe_lm(lm: dspy.BaseLM) -> dict[str, Any]:
    """What about an LM changes its answers (never its key)."""
    settings = {k: v for k, v in getattr(lm, "kwargs", {}).items() if k in ("temperature", "max_tokens", "top_p")}
    return {"model": getattr(lm, "model", type(lm).__name__), **settings}


class Harness:
    """`program` against each of `comparators` on `examples`, judged by `judge`."""

    def __init__(
        self,
        program: System,
        comparators: list[System],
        *,
        judge: JudgeName,
        task_lm: dspy.BaseLM,
        judge_lm: dspy.BaseLM | None,
        background: dict[str, list[list[str]]],
        cache: DiskCache,
        progress: bool = True,
    ):
        self.program, self.comparators = program, comparators
        self.judge = judge
        self.task_lm, self.judge_lm = task_lm, judge_lm or task_lm
        self.pairwise = PairwiseStyleJudge(lm=self.judge_lm) if judge == "llm" else None
        self.background = background  # user_id → other users' samples
        self.cache = cache
        self.progress = progress
        self._cached_generations = self._cached_judgements = 0

    # --- keys ------------------------------------------------------------------------------------
    def _generation_key(self, system: System, example: dspy.Example) -> str:
        return self.cache.key("generation", system.name, system.identity, describe_lm(self.task_lm),
                              list(example.samples), example.task, dict(example.attributes or {}))

    def _judgement_key(self, example: dspy.Example, candidate: str, other: str) -> str:
        assert self.pairwise is not None
        return self.cache.key("pairwise", describe_lm(self.judge_lm), self.pairwise.dump_state(),
                              list(example.samples), example.task, candidate, other)

    # --- plan ------------------------------------------------------------------------------------
    def planned_calls(self, examples: list[dspy.Example]) -> int:
        """LM calls still to make: generations and judgements not yet in the cache (an upper bound:
        DSPy's own cache may answer some; retries and parse fallbacks may add a few)."""
        calls, users_to_infer = 0, {s.name: set() for s in (self.program, *self.comparators)}
        for example in examples:
            program_cached = self._generation_key(self.program, example) in self.cache
            for system in (self.program, *self.comparators):
                if system.program is not None and self._generation_key(system, example) not in self.cache:
                    calls += system.calls_per_item
                    if system.calls_per_user:
                        users_to_infer[system.name].add(example.user_id)
            if self.pairwise is not None:
                calls += 2 * sum(1 for c in self.comparators if not (program_cached and self._judged(example, c)))
        calls += sum(len(users) for users in users_to_infer.values())
        return calls

    def _judged(self, example: dspy.Example, comparator: System) -> bool:
        texts = [self.cache.get(self._generation_key(s, example)) for s in (self.program, comparator)]
        if comparator.program is None:
            texts[1] = {"text": comparator.outputs[(example.user_id, example.task.strip())]}
        if any(t is None for t in texts):
            return False
        return self._judgement_key(example, texts[0]["text"], texts[1]["text"]) in self.cache

    # --- run -------------------------------------------------------------------------------------
    def run(self, examples: list[dspy.Example], announce: Callable[[int, str], None] = announce_plan) -> EvaluationRun:
        planned = self.planned_calls(examples)
        announce(planned, f"{len(examples)} held-out item(s), {len(self.comparators)} comparator(s), judge: {self.judge}")
        items = []
        from tqdm import tqdm

        with metered() as usage, tqdm(total=len(examples), desc="evaluating", unit="item", file=sys.stderr,
                                      disable=not self.progress) as bar:
            for example in examples:
                items.append(self.evaluate_item(example))
                bar.update(1)
        return EvaluationRun(items, usage, planned, self._cached_generations, self._cached_judgements)

    def evaluate_item(self, example: dspy.Example) -> ItemResult:
        result = ItemResult(user_id=example.user_id, task=example.task)
        for system in (self.program, *self.comparators):
            result.texts[system.name] = self.generate(system, example)
        for name, text in [*result.texts.items(), ("reference", example.reference)]:
            result.stylometric[name] = self.stylometric(example, text)
        for comparator in self.comparators:
            candidate, other = result.texts[self.program.name], result.texts[comparator.name]
            if self.pairwise is None:
                result.verdicts[comparator.name] = compare_scores(result.stylometric[self.program.name], result.stylometric[comparator.name])
            else:
                answers = self.judge_pair(example, candidate, other)
                result.judge_answers[comparator.name] = answers
                result.verdicts[comparator.name] = combine_orders(*answers)
        return result

    def generate(self, system: System, example: dspy.Example) -> str:
        if system.program is None:
            return system.outputs[(example.user_id, example.task.strip())]
        key = self._generation_key(system, example)
        cached = self.cache.get(key)
        if cached is not None:
            self._cached_generations += 1
            return cached["text"]
        with lm_context(self.task_lm), lm_errors():
            pred = system.program(samples=list(example.samples), task=example.task, attributes=dict(example.attributes or {}))
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

    def stylometric(self, example: dspy.Example, text: str) -> float:
        if not text.strip():
            return 0.0
        from hyperalign.optimize.stylometry import stylometric_score

        return float(stylometric_score(list(example.samples), text, self.background[example.user_id]).score)


def compare_scores(program_score: float, comparator_score: float) -> str:
    """The stylometric judge as a pairwise judge: the text closer to the user's style wins."""
    if abs(program_score - comparator_score) <= STYLOMETRIC_TIE:
        return "tie"
    return "win" if program_score > comparator_score else "loss"
