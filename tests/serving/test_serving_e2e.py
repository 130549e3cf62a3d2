"""End to end: a registered program served by `mlflow models serve` on 127.0.0.1, asked over HTTP.

The program is registered by the code compile uses (`log_pyfunc`); an uncompiled HyPerAlign keeps
the test lean (no optimizer run). The server loads the embedded LM when it starts. The server keeps
MLflow's default request timeout (60 s, HTTP 504 past it), so a valid row answered with 200 is a
row answered within that timeout. Malformed rows get their own one-line error, the valid row in
the same request is still answered, and no answer carries a traceback or a server path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.serving.scoring_server import post, register_uncompiled, scoring_server

SAMPLES = ["Team, the trucks leave at six. Be on time or we miss the port window.",
           "Board: Q3 volumes up 4%. Margins flat. We hold prices."]
VALID = {"samples": SAMPLES, "task": "Tell staff the office is closed on Friday.", "user_id": "u-17"}
MALFORMED = [
    ({"samples": SAMPLES}, "'task' is missing"),
    ({"samples": [], "task": "Say hi."}, "'samples' has no non-empty text"),
    ({"samples": [1, 2], "task": "Say hi."}, "'samples' item 1 is a number, not text"),
    ({"samples": SAMPLES, "task": 42}, "'task' is a number, not text"),
    ({"samples": "one plain string", "task": "Say hi."}, "'samples' is one string"),
    ({"samples": SAMPLES, "task": "Say hi.", "attributes": ["role"]}, "'attributes' is a list"),
]


def assert_clean(text: str, *paths: Path) -> None:
    """No traceback and no server path in what a client sees."""
    for marker in ("Traceback", "stack_trace", 'File "', "site-packages", str(Path.home())):
        assert marker not in text, f"{marker!r} in the response: {text[:500]}"
    assert not re.search(r"\.py\b", text), f"a source file in the response: {text[:500]}"
    for path in paths:
        assert str(path) not in text, text[:500]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serving")
    store, model_uri = register_uncompiled(root)
    with scoring_server(root, store, model_uri, {"HYPERALIGN_LM": "embedded"}) as (url, _):
        yield url, root


@pytest.mark.slow
def test_valid_row_answered_and_each_malformed_row_gets_its_own_error(server):
    url, root = server
    rows = [VALID, *(row for row, _ in MALFORMED)]
    status, body = post(url, {"dataframe_records": rows})
    assert status == 200, body[:1000]  # 504 would mean past MLflow's default 60 s
    assert_clean(body, root)
    answers = json.loads(body)["predictions"]
    assert len(answers) == len(rows)

    first = answers[0]
    assert first["error"] is None and first["user_id"] == "u-17"
    assert isinstance(first["text"], str) and first["text"].strip()
    assert isinstance(first["hypotheses"], list) and isinstance(first["warnings"], list)
    assert all({"statement", "evidence", "grounded"} <= set(h) for h in first["hypotheses"])
    assert first["hypotheses"] or first["warnings"]  # no usable hypothesis is said, not silent

    for number, (answer, (_, expected)) in enumerate(zip(answers[1:], MALFORMED), start=2):
        assert answer["error"] == f"row {number}: {expected}" or answer["error"].startswith(f"row {number}: {expected}")
        assert "\n" not in answer["error"] and answer["text"] is None


@pytest.mark.slow
def test_the_inputs_format_and_a_bad_row_alone(server):
    url, root = server
    status, body = post(url, {"inputs": [{"samples": ["x"], "task": None}]})
    assert status == 200, body[:1000]
    [answer] = json.loads(body)["predictions"]
    assert answer["error"] == "row 1: 'task' is missing"
    assert_clean(body, root)


@pytest.mark.slow
@pytest.mark.parametrize("payload", [b"{not json", b'{"rows": []}', b"[1, 2, 3]"])
def test_a_malformed_request_is_refused_without_traceback_or_paths(server, payload):
    url, root = server
    status, body = post(url, payload)
    assert status == 400, body[:1000]
    assert json.loads(body)["message"].strip()
    assert_clean(body, root)
