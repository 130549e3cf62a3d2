"""End to end: a registered program served by `mlflow models serve` on 127.0.0.1, asked over HTTP.

The program is registered by the code compile uses (`log_pyfunc`); an uncompiled HyPerAlign keeps
the test lean (no optimizer run). The server loads the embedded LM when it starts. The server keeps
MLflow's default request timeout (60 s, HTTP 504 past it), so a valid row answered with 200 is a
row answered within that timeout. Malformed rows get their own one-line error, the valid row in
the same request is still answered, and no answer carries a traceback or a server path.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

STARTUP_LIMIT_S = 300  # imports + model load, on a busy 2-core machine
CLIENT_WAIT_S = 120  # longer than the server's own 60 s limit: the server's 504 is what we would see

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: bytes) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_WAIT_S) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def assert_clean(text: str, *paths: Path) -> None:
    """No traceback and no server path in what a client sees."""
    for marker in ("Traceback", "stack_trace", 'File "', "site-packages", str(Path.home())):
        assert marker not in text, f"{marker!r} in the response: {text[:500]}"
    assert not re.search(r"\.py\b", text), f"a source file in the response: {text[:500]}"
    for path in paths:
        assert str(path) not in text, text[:500]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import mlflow

    from hyperalign.optimize.tracking.pyfunc import log_pyfunc
    from hyperalign.optimize.tracking.store import experiment_id, use_store
    from hyperalign.programs import HyPerAlign
    from hyperalign.programs.storage import save_program_dir

    root = tmp_path_factory.mktemp("serving")
    store = f"sqlite:///{root / 'mlflow.db'}"
    program_dir = root / "program"
    save_program_dir(HyPerAlign(), {"program": "hyperalign", "domain": "email",
                                    "input_fields": ["samples", "task", "attributes"]}, program_dir)
    with use_store(store), mlflow.start_run(experiment_id=experiment_id(mlflow.MlflowClient(store, store), "email")):
        version = log_pyfunc(program_dir, "hyperalign-email", ["dspy", "mlflow"])

    port = free_port()
    env = {**os.environ, "MLFLOW_TRACKING_URI": store, "DSPY_CACHEDIR": str(root / "dspy-cache"),
           "HYPERALIGN_LM": "embedded", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    env.pop("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT", None)  # MLflow's default: 60 s
    log = open(root / "server.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", f"models:/hyperalign-email/{version}",
         "--env-manager", "local", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited ({process.returncode}):\n{(root / 'server.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/ping", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not come up in {STARTUP_LIMIT_S} s:\n{(root / 'server.log').read_text()[-3000:]}")
            time.sleep(1)
        yield url, root
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.mark.slow
def test_valid_row_answered_and_each_malformed_row_gets_its_own_error(server):
    url, root = server
    rows = [VALID, *(row for row, _ in MALFORMED)]
    status, body = post(f"{url}/invocations", json.dumps({"dataframe_records": rows}).encode())
    assert status == 200, body[:1000]  # 504 would mean past MLflow's default 60 s
    assert_clean(body, root)
    answers = json.loads(body)["predictions"]
    assert len(answers) == len(rows)

    first = answers[0]
    assert first["error"] is None and first["user_id"] == "u-17"
    assert isinstance(first["text"], str) and first["text"].strip()
    assert first["hypotheses"] and all({"statement", "evidence", "grounded"} <= set(h) for h in first["hypotheses"])
    assert isinstance(first["warnings"], list)

    for number, (answer, (_, expected)) in enumerate(zip(answers[1:], MALFORMED), start=2):
        assert answer["error"] == f"row {number}: {expected}" or answer["error"].startswith(f"row {number}: {expected}")
        assert "\n" not in answer["error"] and answer["text"] is None


@pytest.mark.slow
def test_the_inputs_format_and_a_bad_row_alone(server):
    url, root = server
    status, body = post(f"{url}/invocations", json.dumps({"inputs": [{"samples": ["x"], "task": None}]}).encode())
    assert status == 200, body[:1000]
    [answer] = json.loads(body)["predictions"]
    assert answer["error"] == "row 1: 'task' is missing"
    assert_clean(body, root)


@pytest.mark.slow
@pytest.mark.parametrize("payload", [b"{not json", b'{"rows": []}', b"[1, 2, 3]"])
def test_a_malformed_request_is_refused_without_traceback_or_paths(server, payload):
    url, root = server
    status, body = post(f"{url}/invocations", payload)
    assert status == 400, body[:1000]
    assert json.loads(body)["message"].strip()
    assert_clean(body, root)
