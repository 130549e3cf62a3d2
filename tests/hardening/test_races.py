"""Case 6: races and leftovers. The champion check-then-set holds a lock (two compiles finishing
together both said "now champion" and left the worse one crowned); a compile killed with -9 leaves
a RUNNING run and a staging folder, which the next compile marks FAILED and removes."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest

from hyperalign.optimize.compile import champion
from hyperalign.optimize.tracking.preflight import check_store


class Better:
    """A paired difference whose interval lies above zero, with enough users to count."""

    users = 10

    def above_zero(self) -> bool:
        return True

    def describe(self) -> str:
        return "+5.0 [+1.0, +9.0]"


class NotBetter(Better):
    def above_zero(self) -> bool:
        return False


def test_champion_check_then_set_is_atomic(tmp_path, monkeypatch):
    import mlflow

    uri = check_store(f"sqlite:///{tmp_path / 'mlflow.db'}", write=True)
    client = mlflow.MlflowClient(uri, uri)
    client.create_registered_model("hyperalign-demo")
    for _ in range(2):
        client.create_model_version("hyperalign-demo", source=str(tmp_path))
    real_current = champion.current_champion

    def slow_current(mlflow_client, name):  # widen the window between reading and setting
        found = real_current(mlflow_client, name)
        time.sleep(0.5)
        return found

    monkeypatch.setattr(champion, "current_champion", slow_current)
    monkeypatch.setattr(champion, "champion_scores", lambda *args: {})
    monkeypatch.setattr(champion, "paired_difference", lambda *args, **kwargs: NotBetter())  # no clear win over a champion
    plan = SimpleNamespace(spec=SimpleNamespace(name="demo"), config=SimpleNamespace(seed=0))
    decisions = {}

    def finish(version):
        decisions[version], _ = champion.maybe_promote(plan, version, SimpleNamespace(scores={}), Better(), None, uri)

    threads = [threading.Thread(target=finish, args=(v,)) for v in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    promoted = [v for v, d in decisions.items() if d.promote]
    assert len(promoted) == 1, {v: d.reason for v, d in decisions.items()}  # before: both "now champion"
    assert str(client.get_model_version_by_alias("hyperalign-demo", "champion").version) == promoted[0]


def compile_command(api_base: str, out, store: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "hyperalign", "compile", "demo", "--lm", "openai/fake", "--api-base", api_base,
            "--retries", "0", "--timeout", "60", "--no-register", "--out", str(out), "--tracking-uri", store]


@pytest.mark.slow
def test_killed_compile_is_cleaned_up_by_the_next(tmp_path):
    """Before: `kill -9` mid-compile left the run RUNNING forever and a hidden staging folder."""
    import os
    import signal
    import subprocess

    import mlflow

    from tests.core.fake_server import fake_openai_server

    store = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    env = {**os.environ, "DSPY_CACHEDIR": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    with fake_openai_server("hang") as (api_base, seen):
        log = open(tmp_path / "first.log", "w")
        first = subprocess.Popen(compile_command(api_base, tmp_path / "out", store), env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 600
        while not seen and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)  # the first LM request means: run started, staging created
        assert seen, (tmp_path / "first.log").read_text()[-2000:]  # the compile never reached its first LM call
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    client = mlflow.MlflowClient(store, store)
    runs = client.search_runs([e.experiment_id for e in client.search_experiments()])
    assert [r.info.status for r in runs] == ["RUNNING"]
    assert [p.name for p in tmp_path.glob(".hyperalign-staging-*")]  # left behind by the kill

    with fake_openai_server("server-error") as (api_base, _):
        second = subprocess.run(compile_command(api_base, tmp_path / "out", store), env=env, capture_output=True, text=True,
                                timeout=600)
    assert "marked 1 interrupted run(s) FAILED" in second.stderr, second.stderr[-2000:]
    killed = client.get_run(runs[0].info.run_id)
    assert killed.info.status == "FAILED" and "killed" in killed.data.tags["hyperalign.failure"]
    assert not list(tmp_path.glob(".hyperalign-staging-*"))
