"""The champion rule with scripted scores, the paired difference over users, the low-variance rejection
and the demonstration gate (real checks on the demo e-mails, no LM)."""

from __future__ import annotations

import dspy
import pytest

from hyperalign.optimize.compile.demos import DemoGate
from hyperalign.optimize.compile.verdict import (
    Difference,
    decide,
    low_variance_reason,
    output_similarity,
    paired_difference,
)
from hyperalign.optimize.domains.authorship.demos import authorship_demo_problem


def scores(by_user: dict[str, list[float]]) -> dict[str, float]:
    return {f"{user}\titem{i}": value for user, values in by_user.items() for i, value in enumerate(values)}


def test_paired_difference_averages_per_user_and_pairs_items():
    before = scores({"a": [40, 50], "b": [30], "c": [60]})
    after = scores({"a": [50, 70], "b": [35], "c": [65], "d": [99]})  # d has no "before": not paired
    d = paired_difference(after, before)
    assert d.users == 3
    assert d.mean == pytest.approx((15 + 5 + 5) / 3)  # user a's two items count as one user
    assert 5 <= d.low <= d.mean <= d.high <= 15
    assert paired_difference(after, before) == d  # seeded: reproducible


def test_champion_rule_with_scripted_scores():
    uncompiled = scores({u: [40] for u in "abcde"})
    better = scores({"a": [50], "b": [48], "c": [46], "d": [52], "e": [47]})
    mixed = scores({"a": [50], "b": [30], "c": [46], "d": [41], "e": [38]})
    champion = scores({"a": [49], "b": [47], "c": [45], "d": [51], "e": [46]})

    first = decide("1", paired_difference(better, uncompiled), None, None)
    assert first.promote and "no earlier champion" in first.reason

    noisy = decide("2", paired_difference(mixed, uncompiled), None, None)
    assert not noisy.promote and "does not lie above zero" in noisy.reason  # the first version is no exception

    vs_champion = paired_difference(better, champion)  # +1 for every user
    assert decide("3", paired_difference(better, uncompiled), vs_champion, "1").promote
    tie = paired_difference(champion, champion)
    kept = decide("4", paired_difference(champion, uncompiled), tie, "1")
    assert not kept.promote and "vs champion version 1" in kept.reason

    # Four users who all improve by 80 points are still too few: chance alone does that 1 time in 16.
    few = decide("5", paired_difference(scores({u: [90] for u in "abcd"}), scores({u: [10] for u in "abcd"})), None, None)
    assert not few.promote and "too few" in few.reason and "at least 5 needed" in few.reason
    rejected = decide("6", paired_difference(better, uncompiled), None, None, rejected="its outputs barely vary")
    assert not rejected.promote and rejected.reason == "version 6 rejected: its outputs barely vary"


def test_no_users_is_no_evidence():
    empty = paired_difference({}, {})
    assert empty.users == 0 and not empty.above_zero()
    assert Difference(1.0, 0.5, 2.0, 3).above_zero() and not Difference(1.0, -0.5, 2.0, 3).above_zero()


def test_outputs_that_do_not_vary_are_rejected():
    from hyperalign.data import load_users

    real = [item.reference for user in load_users("email") for item in user.held_out[:1]]
    assert output_similarity(real) < 0.3 and low_variance_reason(real) is None
    same = [real[0]] * 6
    assert output_similarity(same) == pytest.approx(1.0)
    assert "barely vary across tasks and users" in low_variance_reason(same)
    near = [f"{real[0]} ({i})" for i in range(6)]  # one canned text with a counter
    assert "barely vary" in low_variance_reason(near)
    assert "empty" in low_variance_reason(["", "", "", real[0]])


@pytest.fixture(scope="module")
def example():
    from hyperalign.data import load_users, to_examples

    return to_examples(load_users("email"))[0]


def test_demo_gate_refuses_copies_echoes_and_off_task_texts(example):
    reference = dspy.Prediction(text=example.reference, hypotheses=[])
    assert authorship_demo_problem(example, reference) is None  # the user's own real text is a fine demo

    copy = dspy.Prediction(text=example.samples[0], hypotheses=[])
    assert authorship_demo_problem(example, copy).startswith("copied from the samples")

    statements = ["The user writes short, warm e-mails that open with a greeting and close with thanks.",
                  "The user asks direct questions and offers concrete next steps in every message."]
    echo = dspy.Prediction(text=" ".join(statements), hypotheses=[{"statement": s} for s in statements])
    assert authorship_demo_problem(example, echo).startswith("an echo of the hypotheses")

    off_task = dspy.Prediction(text="Preheat the oven to 200 degrees. Mix the flour, sugar and butter, then bake the "
                                    "tray of biscuits for twelve minutes until golden and let them cool on a rack.",
                               hypotheses=[])
    assert authorship_demo_problem(example, off_task) is not None


def test_gate_counts_refusals_and_leaves_plain_scoring_alone(example):
    calls = []

    def metric(ex, pred, trace=None):
        calls.append(trace)
        return 0.9 if trace is None else True

    gate = DemoGate(metric, authorship_demo_problem)
    copy = dspy.Prediction(text=example.samples[0], hypotheses=[])
    assert gate(example, copy) == 0.9  # scoring (no trace) is never gated
    assert gate(example, copy, trace=[]) is False
    assert gate(example, dspy.Prediction(text=example.reference, hypotheses=[]), trace=[]) is True
    assert dict(gate.refused) == {"copied from the samples": 1}
    assert calls == [None, []]  # the refused copy never reached the metric
