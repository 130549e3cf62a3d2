"""`hyperalign doctor`: every check real (LM call over HTTP, model file, store), a FAIL line says
what to fix, and the exit code says whether anything failed."""

from __future__ import annotations

import json

from hyperalign.optimize.tracking.preflight import check_store
from tests.core.fake_server import fake_openai_server
from tests.hardening.conftest import CANARY, run_cli


def doctor(tmp_path, *args, env_extra=None, unprivileged=False):
    proc = run_cli("doctor", "--json", *args, tmp_path=tmp_path, env_extra=env_extra, unprivileged=unprivileged)
    assert CANARY not in proc.stdout + proc.stderr
    return proc, {c["name"]: c for c in json.loads(proc.stdout)["checks"]}


def test_healthy_setup_with_a_reachable_server(tmp_path):
    store = check_store(f"sqlite:///{tmp_path / 'mlflow.db'}", write=True)
    with fake_openai_server("garbage") as (api_base, seen):
        proc, checks = doctor(tmp_path, "--lm", "openai/fake", "--api-base", api_base, "--tracking-uri", store)
    assert proc.returncode == 0, checks
    assert any(request.get("method") == "POST" for request in seen)  # the LM really was called
    assert all(check["ok"] for check in checks.values())


def test_failures_say_what_to_fix(tmp_path, can_drop_privileges):
    store = check_store(f"sqlite:///{tmp_path / 'ro' / 'mlflow.db'}", write=True)
    (tmp_path / "ro" / "mlflow.db").chmod(0o444)
    (tmp_path / "ro").chmod(0o555)
    try:
        with fake_openai_server("server-error") as (api_base, _):
            proc, checks = doctor(tmp_path, "--lm", "openai/fake", "--api-base", api_base, "--retries", "0",
                                  "--tracking-uri", store, unprivileged=True,
                                  env_extra={"HYPERALIGN_EMBEDDED_MODEL": str(tmp_path / "missing.gguf")})
    finally:
        (tmp_path / "ro").chmod(0o755)
    assert proc.returncode == 1
    for name, fragment in (("embedded model file", "not found"), ("LM", "failed"), ("MLflow store", "not writable")):
        assert not checks[name]["ok"] and fragment in checks[name]["detail"], checks[name]
        assert checks[name]["fix"]
    assert checks["versions"]["ok"] and checks["data folder"]["ok"]
