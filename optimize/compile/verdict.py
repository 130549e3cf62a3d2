"""Is a compiled program better, not just new? Paired differences on the test users, and the rule.

A compile scores the uncompiled and the compiled program on the same held-out items of test users it
never trained or validated on. Each user's mean score is one observation; the paired difference
(compiled minus other) gets a 95% bootstrap interval over users. The `champion` alias moves only if
the lower bound is above zero against the uncompiled program AND against the current champion on the
same test users; the first version is no exception. A compiled program whose outputs barely vary
across tasks and users (the same text for everyone) is rejected before any of that.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hyperalign.optimize.evaluation.bootstrap import mean_with_ci

# Fewer test users than this cannot tell a better program from a lucky one: no promotion. With n users
# the percentile interval clears zero whenever every user improves, which chance alone does 1 time in
# 2**n: 1 in 8 for 3 users (measured: the same MIPRO compile of the demo e-mails, whose instructions
# were noise, gave +11.7 [-19.3, +39.9] in one run and +20.6 [+0.7, +52.8] in the next), 1 in 32 for 5.
MIN_TEST_USERS = 5
# Outputs whose mean pairwise similarity is at or above this are "the same text for every task".
MAX_OUTPUT_SIMILARITY = 0.8


@dataclass(frozen=True)
class Difference:
    """Mean paired difference (a minus b) over users, its 95% interval, and how many users."""

    mean: float
    low: float
    high: float
    users: int

    def above_zero(self) -> bool:
        return self.users > 0 and self.low > 0

    def describe(self) -> str:
        return f"{self.mean:+.1f} [{self.low:+.1f}, {self.high:+.1f}] over {self.users} user(s)"


@dataclass(frozen=True)
class Decision:
    """Whether the compiled version becomes champion, and why (one sentence, shown and logged)."""
    promote: bool
    reason: str


def per_user_means(scores: Mapping[str, float], users: Mapping[str, str]) -> dict[str, float]:
    """Item scores (item key → score) to one mean per user (item key → user in `users`)."""
    sums: dict[str, list[float]] = {}
    for key, score in scores.items():
        sums.setdefault(users[key], []).append(float(score))
    return {user: sum(values) / len(values) for user, values in sums.items()}


def paired_difference(a: Mapping[str, float], b: Mapping[str, float], *, seed: int = 0) -> Difference:
    """a − b on the items both scored, averaged per user first (users are the unit of the interval).

    `a` and `b` map an item key of the form "user\\titem" to a score."""
    shared = sorted(set(a) & set(b))
    diffs = {key: a[key] - b[key] for key in shared}
    by_user = per_user_means(diffs, {key: key.split("\t", 1)[0] for key in shared})
    if not by_user:
        return Difference(float("nan"), float("nan"), float("nan"), 0)
    stat = mean_with_ci(list(by_user.values()), seed=seed)
    return Difference(stat["mean"], stat["low"], stat["high"], len(by_user))


def decide(
    version: str,
    vs_uncompiled: Difference,
    vs_champion: Difference | None,
    champion_version: str | None,
    *,
    rejected: str | None = None,
) -> Decision:
    """The champion rule (see the module docstring). `rejected` is a reason found before scoring."""
    if rejected:
        return Decision(False, f"version {version} rejected: {rejected}")
    if vs_uncompiled.users < MIN_TEST_USERS:
        return Decision(False, f"version {version} not champion: {vs_uncompiled.users} test user(s) are too few to tell "
                               f"(at least {MIN_TEST_USERS} needed; difference {vs_uncompiled.describe()})")
    if not vs_uncompiled.above_zero():
        return Decision(False, f"version {version} not champion: vs the uncompiled program {vs_uncompiled.describe()}, "
                               "the interval does not lie above zero")
    if champion_version is None:
        return Decision(True, f"version {version} is champion: vs the uncompiled program {vs_uncompiled.describe()} "
                              "(no earlier champion)")
    if vs_champion is None or not vs_champion.above_zero():
        shown = vs_champion.describe() if vs_champion is not None else "not comparable"
        return Decision(False, f"version {version} not champion: beats the uncompiled program {vs_uncompiled.describe()}, "
                               f"but vs champion version {champion_version} {shown}, the interval does not lie above zero")
    return Decision(True, f"version {version} is champion: vs the uncompiled program {vs_uncompiled.describe()}, "
                          f"vs champion version {champion_version} {vs_champion.describe()}")


def output_similarity(texts: Sequence[str]) -> float:
    """Mean pairwise cosine similarity of the texts' word and character n-gram profiles (1.0: all equal).

    Outputs written for different tasks and different users should differ; a program that returns one
    canned text (an echoed demonstration, the hypotheses restated) scores near 1."""
    texts = [t for t in texts if t and t.strip()]
    if len(texts) < 2:
        return 0.0
    # Imported here: heavy: scikit-learn loads only when texts are compared.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    similarity = cosine_similarity(matrix)
    n = len(texts)
    return float((similarity.sum() - n) / (n * (n - 1)))


def low_variance_reason(texts: Sequence[str], threshold: float = MAX_OUTPUT_SIMILARITY) -> str | None:
    """Why these outputs are too alike to be a personalized program, or None."""
    nonempty = [t for t in texts if t and t.strip()]
    if len(texts) >= 2 and len(nonempty) < len(texts) / 2:
        return f"{len(texts) - len(nonempty)} of its {len(texts)} test outputs are empty"
    similarity = output_similarity(nonempty)
    if similarity >= threshold:
        return (f"its outputs barely vary across tasks and users (mean pairwise similarity {similarity:.2f} "
                f">= {threshold:.2f} over {len(nonempty)} test outputs)")
    return None


@dataclass
class CompileVerdict:
    """What a compile measured on its test users, and what it concluded before the champion check."""
    before: float  # mean test score of the uncompiled program (percent)
    after: float  # and of the compiled one
    vs_uncompiled: Difference
    users: int
    items: int
    rejected: str | None = None  # why the compiled program is refused outright
    refused_demos: dict[str, int] | None = None  # demonstrations the gate refused, by reason
    failures: tuple[int, int] = (0, 0)  # failed examples (before, after)
    vs_champion: Difference | None = None

    def scores(self) -> dict:
        """For the manifest."""
        d = self.vs_uncompiled
        return {"scale": "percent", "test_before": self.before, "test_after": self.after,
                "test_difference": {"mean": d.mean, "low": d.low, "high": d.high}, "test_users": self.users,
                "test_items": self.items, "rejected": self.rejected, "refused_demos": self.refused_demos or {}}

    def metrics(self) -> dict[str, float]:
        """For the MLflow run."""
        d = self.vs_uncompiled
        return {"test_score_before": self.before, "test_score_after": self.after, "test_difference": d.mean,
                "test_difference_low": d.low, "test_difference_high": d.high, "test_users": self.users,
                "test_items": self.items, "demos_refused": sum((self.refused_demos or {}).values()),
                "failures_before": self.failures[0], "failures_after": self.failures[1]}


def judge_compile(before, after, refused=None, *, seed: int = 0) -> CompileVerdict:
    """Paired difference compiled − uncompiled over test users, and the low-variance rejection.
    `before` / `after` are scoring.ItemScores of the same items."""
    difference = paired_difference(after.scores, before.scores, seed=seed)
    failed = f"{after.failures} of its {len(after.scores)} test output(s) failed" if after.failures * 2 > len(after.scores) else None
    return CompileVerdict(before.mean, after.mean, difference, difference.users, len(after.scores),
                          failed or low_variance_reason(list(after.texts.values())),
                          dict(refused) if refused else {}, (before.failures, after.failures))
