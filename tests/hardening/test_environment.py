"""Case 5: environment failures are one line, found before any LM call. An unwritable or
non-database MLflow store, an unwritable or file --out, `runs --limit` out of range, a mistyped
store path (reading never creates a store), two first runs on a new store at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hyperalign.optimize.tracking.preflight import check_store
from tests.hardening.conftest import error_line, run_cli


@pytest.fixture()
def read_only_store(tmp_path, can_drop_privileges):
    """A real MLflow store whose file and folder are read-only (for a process without root's overrides)."""
    folder = tmp_path / "store"
    uri = check_store(f"sqlite:///{folder / 'mlflow.db'}", write=True)
    (folder / "mlflow.db").chmod(0o444)
    folder.chmod(0o555)
    yield uri
    folder.chmod(0o755)


@pytest.mark.parametrize("command", [("evaluate", "demo", "--limit", "1"), ("compile", "demo")])
def test_read_only_store_is_one_line_before_any_lm_call(tmp_path, read_only_store, command):
    """Before: about 110 s of MLflow retries, then a 180-line traceback (evaluate had spent its LM calls)."""
    out = tmp_path / "out"
    proc = run_cli(*command, "--out", out, "--tracking-uri", read_only_store, tmp_path=tmp_path,
                   unprivileged=True, timeout=180)
    assert "not writable" in error_line(proc) and proc.returncode == 4
    assert "LM calls" not in proc.stderr and not (out / "report.md").exists()


def test_out_in_an_unwritable_folder_or_at_a_file(tmp_path, can_drop_privileges):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    store = f"sqlite:///{tmp_path / 'store' / 'mlflow.db'}"
    try:
        for command in (("evaluate", "demo", "--limit", "1", "--no-track"), ("compile", "demo", "--tracking-uri", store)):
            proc = run_cli(*command, "--out", locked / "out", tmp_path=tmp_path, unprivileged=True)
            assert "cannot write there" in error_line(proc)
    finally:
        locked.chmod(0o755)
    assert not (tmp_path / "store").exists()  # compile refused before creating the experiment
    (tmp_path / "a-file").write_text("mine")
    proc = run_cli("evaluate", "demo", "--limit", "1", "--no-track", "--out", tmp_path / "a-file", tmp_path=tmp_path)
    assert "not a folder" in error_line(proc)
    assert (tmp_path / "a-file").read_text() == "mine"


@pytest.mark.parametrize("limit", ["0", "-1", "1000000", "many"])
def test_runs_limit_is_validated(tmp_path, limit):
    proc = run_cli("runs", "email", "--limit", limit, tmp_path=tmp_path)
    assert "--limit" in error_line(proc) and proc.returncode == 2


def test_runs_on_a_file_that_is_not_a_database_or_a_mistyped_path(tmp_path):
    (tmp_path / "notes.db").write_text("these are my notes, not a database")
    line = error_line(run_cli("runs", "email", "--tracking-uri", f"sqlite:///{tmp_path / 'notes.db'}", tmp_path=tmp_path))
    assert "not a SQLite database" in line
    mistyped = tmp_path / "mlfow.db"
    line = error_line(run_cli("runs", "email", "--tracking-uri", f"sqlite:///{mistyped}", tmp_path=tmp_path))
    assert "no MLflow store there" in line and not mistyped.exists()  # before: a new empty database


CREATE = "import sys; from hyperalign.optimize.tracking.preflight import check_store; check_store(sys.argv[1], write=True)"


def test_two_first_runs_on_a_new_store_at_once(tmp_path):
    """Before: two first-ever compiles on a new store raced in Alembic (CommandError)."""
    uri = f"sqlite:///{tmp_path / 'new' / 'mlflow.db'}"
    children = [subprocess.Popen([sys.executable, "-c", CREATE, uri], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    results = [child.communicate(timeout=300) for child in children]
    assert [child.returncode for child in children] == [0, 0], results
    assert check_store(uri, write=True) == uri
