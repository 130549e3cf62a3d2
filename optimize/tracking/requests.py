"""What a served program accepts: the fields of one request row, checked row by row.

MLflow's own schema check rejects a whole request for one bad row and echoes the data back, so the
model's signature names the fields and this module checks their types: each bad row gets its own
one-line error and the other rows are still answered.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class RowError(ValueError):
    """One row of a request is unusable; the message says which field and why."""


def plain(value: Any) -> Any:
    """numpy arrays and scalars (what pandas hands over) as plain Python values."""
    return value.tolist() if hasattr(value, "tolist") else value


def missing(value: Any) -> bool:
    """None, or the NaN pandas puts where a row of `dataframe_records` lacks a key."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def texts(name: str, value: Any) -> list[str]:
    if isinstance(value, str):
        raise RowError(f"'{name}' is one string; send a list of texts, e.g. [\"first text\", \"second text\"]")
    if not isinstance(value, list):
        raise RowError(f"'{name}' is {kind(value)}; send a list of texts")
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str):
            raise RowError(f"'{name}' item {i} is {kind(item)}, not text")
    if not any(item.strip() for item in value):
        raise RowError(f"'{name}' has no non-empty text; send at least one text the user wrote")
    return value


def text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise RowError(f"'{name}' is {kind(value)}, not text")
    if not value.strip():
        raise RowError(f"'{name}' is empty")
    return value


def mapping(name: str, value: Any) -> dict:
    if not isinstance(value, dict):
        raise RowError(f"'{name}' is {kind(value)}; send an object such as {{\"role\": \"teacher\"}}")
    for key, item in value.items():
        if isinstance(item, (dict, list)):
            raise RowError(f"'{name}' value of {key!r} is {kind(item)}; values are text, numbers or booleans")
    return value


def identifier(name: str, value: Any) -> str:
    if not isinstance(value, str):  # a number would arrive as a float from a DataFrame column: refuse, not guess
        raise RowError(f"'{name}' is {kind(value)}; send a string")
    return value


def kind(value: Any) -> str:
    names = {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Field:
    """One input field: how it is checked, whether a row needs it, and its type as documented."""

    check: Callable[[str, Any], Any]
    required: bool
    shown: str


FIELDS: dict[str, Field] = {
    "samples": Field(texts, True, "list[str]"),
    "task": Field(text, True, "str"),
    "attributes": Field(mapping, False, "dict[str, str]"),
    "message": Field(text, True, "str"),
    "state": Field(mapping, False, "dict"),
}
# Not a program argument: a client's own id for the row, echoed back in the answer.
USER_ID = "user_id"
ID_FIELD = Field(identifier, False, "str")


def program_arguments(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The program's keyword arguments from one row; RowError names the first problem."""
    arguments = {}
    for name in fields:
        spec = FIELDS.get(name, Field(lambda _n, v: v, False, "any"))
        value = plain(row.get(name))
        if missing(value):
            if spec.required:
                raise RowError(f"'{name}' is missing")
            continue
        arguments[name] = spec.check(name, value)
    return arguments


def row_id(row: dict[str, Any]) -> str | None:
    value = plain(row.get(USER_ID))
    return None if missing(value) else ID_FIELD.check(USER_ID, value)


def rows_of(model_input: Any) -> list[dict]:
    """Rows from a DataFrame (what the scoring server passes), a list of dicts or one dict."""
    if hasattr(model_input, "to_dict"):
        return model_input.to_dict(orient="records")
    if isinstance(model_input, dict):
        return [model_input]
    return list(model_input)
