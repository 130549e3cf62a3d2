"""Each request row is checked on its own; a bad row's error names the field and what is wrong."""

from __future__ import annotations

import math

import pytest

from hyperalign.optimize.tracking.requests import RowError, program_arguments, row_id, rows_of

FIELDS = ("samples", "task", "attributes")


def test_a_good_row_becomes_the_programs_arguments():
    row = {"samples": ["a text", "another"], "task": "Write.", "attributes": {"role": "teacher", "age": 40},
           "user_id": "u1", "unknown": 1}
    assert program_arguments(row, FIELDS) == {"samples": ["a text", "another"], "task": "Write.",
                                              "attributes": {"role": "teacher", "age": 40}}
    assert row_id(row) == "u1"


def test_missing_optional_fields_and_pandas_nan_are_left_out():
    assert program_arguments({"samples": ["x"], "task": "t", "attributes": math.nan}, FIELDS) == {"samples": ["x"], "task": "t"}
    assert row_id({"user_id": math.nan}) is None


@pytest.mark.parametrize("row, message", [
    ({"samples": ["x"]}, "'task' is missing"),
    ({"samples": ["x"], "task": math.nan}, "'task' is missing"),
    ({"task": "t"}, "'samples' is missing"),
    ({"samples": [], "task": "t"}, "'samples' has no non-empty text"),
    ({"samples": ["  ", ""], "task": "t"}, "'samples' has no non-empty text"),
    ({"samples": "one text", "task": "t"}, "'samples' is one string"),
    ({"samples": {"a": 1}, "task": "t"}, "'samples' is an object"),
    ({"samples": ["ok", 2], "task": "t"}, "'samples' item 2 is a number, not text"),
    ({"samples": ["x"], "task": 42}, "'task' is a number, not text"),
    ({"samples": ["x"], "task": "  "}, "'task' is empty"),
    ({"samples": ["x"], "task": "t", "attributes": ["role"]}, "'attributes' is a list"),
    ({"samples": ["x"], "task": "t", "attributes": {"role": ["a"]}}, "'attributes' value of 'role' is a list"),
])
def test_each_problem_is_named(row, message):
    with pytest.raises(RowError) as error:
        program_arguments(row, FIELDS)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_user_id_must_be_text():
    with pytest.raises(RowError, match="'user_id' is a number"):
        row_id({"user_id": 7.0})


def test_rows_from_a_dataframe_a_list_or_one_dict():
    import pandas as pd

    rows = [{"samples": ["x"], "task": "t"}]
    assert rows_of(pd.DataFrame(rows)) == rows
    assert rows_of(rows) == rows and rows_of(rows[0]) == rows
