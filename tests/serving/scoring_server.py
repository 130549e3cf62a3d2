"""A registered program behind `mlflow models serve` on 127.0.0.1, for the serving test and benchmark.

The program is registered by the code compile uses (`log_pyfunc`); an uncompiled HyPerAlign keeps it
cheap (no optimizer run). The server keeps MLflow's default request timeout (60 s) unless told.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.llama_server import free_port

STARTUP_LIMIT_S = 300  # imports + model load, on a busy 2-core machine


def register_uncompiled(root: Path) -> tuple[str, str]:
    """A sqlite store under `root` holding `hyperalign-email` version 1; returns (store URI, model URI)."""
    import mlflow

    from hyperalign.optimize.tracking.pyfunc import log_pyfunc
    from hyperalign.optimize.tracking.store import experiment_id, use_store
    from hyperalign.programs import HyPerAlign
    from hyperalign.programs.storage import save_program_dir

    store = f"sqlite:///{root / 'mlflow.db'}"
    program_dir = root / "program"
    save_program_dir(HyPerAlign(), {"program": "hyperalign", "domain": "email",
                                    "input_fields": ["samples", "task", "attributes"]}, program_dir)
    with use_store(store), mlflow.start_run(experiment_id=experiment_id(mlflow.MlflowClient(store, store), "email")):
        version = log_pyfunc(program_dir, "hyperalign-email", ["dspy", "mlflow"])
    return store, f"models:/hyperalign-email/{version}"


@contextmanager
def scoring_server(root: Path, store: str, model_uri: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, float]]:
    """Start the server, wait until /ping answers; yields (base URL, seconds it took to come up)."""
    port = free_port()
    environment = {**os.environ, "MLFLOW_TRACKING_URI": store, "DSPY_CACHEDIR": str(root / "dspy-cache"),
                   "LITELLM_LOCAL_MODEL_COST_MAP": "True", **(env or {})}
    environment.pop("MLFLOW_SCORING_SERVER_REQUEST_TIMEOUT", None)  # MLflow's default: 60 s
    log_path = root / "server.log"
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlflow", "models", "serve", "-m", model_uri, "--env-manager", "local",
             "--host", "127.0.0.1", "--port", str(port)],
            env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            while not _answers_ping(url):
                if process.poll() is not None:
                    raise RuntimeError(f"the server exited ({process.returncode}):\n{log_path.read_text()[-3000:]}")
                if time.monotonic() - started > STARTUP_LIMIT_S:
                    raise RuntimeError(f"the server did not come up in {STARTUP_LIMIT_S} s:\n{log_path.read_text()[-3000:]}")
                time.sleep(1)
            yield url, time.monotonic() - started
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
            # uvicorn (a child in the same group) waits for a request still running on an LM call: end it too.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # the whole group has already exited
                pass
            process.wait()


def _answers_ping(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/ping", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def post(url: str, payload: bytes | dict, timeout: float = 120) -> tuple[int, str]:
    """POST to /invocations; (status, body). `timeout` on the client side only."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    request = urllib.request.Request(f"{url}/invocations", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
