"""The adversarial table: for every user, their real held-out text against each adversary
(optimize/judges/adversaries.py), judged by the authorship judge; the real text's win rate per
adversary with a 95% interval over users.

A real text that is itself a near-copy of one of the user's samples (originality below 0.5: a news
agency re-issuing an updated story) is no new text: it cannot beat a copy, and its pairs are left out
of the table and counted (`excluded`), with the win rates they would have given (`with_copies`)."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import dspy
import numpy as np

from hyperalign.core.errors import InputError
from hyperalign.core.progress import stage
from hyperalign.data.model import User
from hyperalign.optimize.judges.adversaries import ADVERSARIES, DESCRIPTIONS, build_pairs
from hyperalign.optimize.judges.authorship import FAILING, PARTS, AuthorshipJudge

Z95 = 1.959964


@dataclass(frozen=True)
class AdversaryResult:
    """The real text against one adversary: win rate (a tie counts half) as the mean over users of each
    user's share of pairs won, its 95% Wilson interval over users, and both sides' mean scores."""

    adversary: str
    description: str
    n_pairs: int
    n_users: int
    win_rate: float
    low: float
    high: float
    real_score: float
    adversary_score: float


@dataclass
class AdversarialReport:
    results: list[AdversaryResult]
    n_users: int
    real_parts: dict[str, float]  # the real texts' mean part scores
    seconds: float
    n_scored: int  # candidates scored (real texts once per user and item)
    n_real: int  # real texts judged
    excluded: int  # of them, near-copies of the user's own samples (their pairs are left out)
    with_copies: list[AdversaryResult] = field(default_factory=list)  # the table with those pairs kept
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"n_users": self.n_users, "n_real": self.n_real, "excluded": self.excluded, "real_parts": self.real_parts,
                "seconds": self.seconds, "n_scored": self.n_scored, "notes": self.notes,
                "adversaries": [r.__dict__ for r in self.results], "with_copies": [r.__dict__ for r in self.with_copies]}


def wilson_interval(p: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion `p` over `n` users: honest at 0% and 100%, where a
    bootstrap interval collapses to a point."""
    if n == 0:
        return (float("nan"), float("nan"))
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # At 0% and 100% the interval touches the bound exactly (not 0.99999... from rounding).
    return (0.0 if p <= 0 else max(0.0, center - half), 1.0 if p >= 1 else min(1.0, center + half))


def adversarial_table(
    users: Sequence[User],
    domain: str | None = None,
    seed: int = 0,
    items_per_user: int = 1,
) -> AdversarialReport:
    """Judge every user's real held-out texts against the adversaries (the background: all users' samples)."""
    users = [u for u in users if u.samples and u.held_out]
    if len(users) < 2:
        raise InputError(f"the adversarial table needs at least two users with samples and held-out texts, got {len(users)}")
    if items_per_user < 1:
        raise InputError(f"items per user must be at least 1 (got {items_per_user})")
    started = time.perf_counter()
    judge = AuthorshipJudge([u.samples for u in users], domain=domain)
    pairs = build_pairs(users, seed=seed, items_per_user=items_per_user)
    real_verdicts: dict[tuple[str, str, tuple[str, ...]], dspy.Prediction] = {}
    judged: list[tuple[str, str, float, float, bool]] = []  # adversary, user, real score, adversary score, real is a copy
    with stage("judging real texts against adversaries", total=len(pairs), unit="pair") as step:
        for pair in pairs:
            key = (pair.user_id, pair.real, pair.samples)
            if key not in real_verdicts:
                real_verdicts[key] = judge(samples=list(pair.samples), task=pair.task, candidate=pair.real)
            real = real_verdicts[key]
            other = judge(samples=list(pair.samples), task=pair.task, candidate=pair.candidate).score
            judged.append((pair.adversary, pair.user_id, real.score, other, real.parts["originality"] < FAILING))
            step.advance()
    verdicts = list(real_verdicts.values())
    copies = sum(v.parts["originality"] < FAILING for v in verdicts)
    real_parts = {part: float(np.mean([v.parts[part] for v in verdicts])) for part in PARTS}
    real_parts["score"] = float(np.mean([v.score for v in verdicts]))
    notes = [f"no {DESCRIPTIONS[n]}: the corpus has no such text" for n in ADVERSARIES if all(j[0] != n for j in judged)]
    if copies:
        notes.append(f"{copies} of {len(verdicts)} real texts are near-copies of the user's own samples (originality < {FAILING}); "
                     "their pairs are left out of the table")
    return AdversarialReport(
        results=_win_rates([j for j in judged if not j[4]]), n_users=len(users), real_parts=real_parts,
        seconds=time.perf_counter() - started, n_scored=len(pairs) + len(verdicts), n_real=len(verdicts), excluded=copies,
        with_copies=_win_rates(judged) if copies else [], notes=notes,
    )


def _win_rates(judged: list[tuple[str, str, float, float, bool]]) -> list[AdversaryResult]:
    """Per adversary: each user's share of pairs won (a tie counts half), averaged over users."""
    outcomes: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    scores: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for adversary, user, real, other, _ in judged:
        outcomes[adversary][user].append(1.0 if real > other else 0.5 if real == other else 0.0)
        scores[adversary].append((real, other))
    results = []
    for name in (n for n in ADVERSARIES if n in outcomes):
        per_user = [float(np.mean(v)) for v in outcomes[name].values()]
        rate = float(np.mean(per_user))
        low, high = wilson_interval(rate, len(per_user))
        real_mean, adversary_mean = (float(x) for x in np.mean(scores[name], axis=0))
        results.append(AdversaryResult(name, DESCRIPTIONS[name], len(scores[name]), len(per_user), rate, low, high, real_mean, adversary_mean))
    return results
