"""AL(k), improvement rate, normalised rate and R² on hand-made score tables (users × turns)."""

from __future__ import annotations

import pytest

from hyperalign.core.errors import InputError
from hyperalign.optimize.domains.aloe.alignment import (
    alignment_levels,
    fit_line,
    improvement,
    normalised_slope,
)


def test_levels_are_column_means():
    table = [[1, 2, 3], [3, 4, 5]]
    assert alignment_levels(table) == [2.0, 3.0, 4.0]


def test_perfect_line():
    fit = fit_line([2.0, 2.5, 3.0, 3.5])
    assert fit.slope == pytest.approx(0.5) and fit.intercept == pytest.approx(1.5) and fit.r2 == pytest.approx(1.0)


def test_noisy_curve_against_hand_computation():
    # k = 1..4, y = 1, 3, 2, 4: mean k 2.5, mean y 2.5; Sxy = 4, Sxx = 5 -> slope 0.8, intercept 0.5.
    # Fitted 1.3, 2.1, 2.9, 3.7: SSres = 0.09 + 0.81 + 0.81 + 0.09 = 1.8; SStot = 5 -> R² = 0.64.
    fit = fit_line([1, 3, 2, 4])
    assert fit.slope == pytest.approx(0.8) and fit.intercept == pytest.approx(0.5) and fit.r2 == pytest.approx(0.64)


def test_decreasing_and_flat_curves():
    assert fit_line([4, 3, 2]).slope == pytest.approx(-1.0)
    flat = fit_line([3, 3, 3])
    assert flat.slope == 0 and flat.r2 is None  # nothing to explain


def test_normalised_slope_divides_by_headroom():
    # Starting at 3 leaves 2 points of headroom; slope 0.5 closes a quarter of it per turn.
    assert normalised_slope([3.0, 3.5, 4.0]) == pytest.approx(0.25)
    # Starting at 1 leaves 4: the same slope is a smaller share.
    assert normalised_slope([1.0, 1.5, 2.0]) == pytest.approx(0.125)
    assert normalised_slope([5.0, 5.0]) is None  # no headroom
    assert normalised_slope([2.0]) is None  # one turn has no slope


def test_improvement_summary():
    table = [[1, 2, 2, 3], [3, 4, 2, 5]]  # AL = 2, 3, 2, 4
    result = improvement(table)
    assert result["levels"] == [2.0, 3.0, 2.0, 4.0]
    assert result["slope"] == pytest.approx(0.5)  # Sxy = 2.5, Sxx = 5
    assert result["normalised_slope"] == pytest.approx(0.5 / 3)
    assert 0 < result["r2"] < 1


@pytest.mark.parametrize("table", [[], [[]], [[1, 2], [3]]])
def test_bad_tables(table):
    with pytest.raises(InputError):
        alignment_levels(table)
