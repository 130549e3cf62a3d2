"""The MLflow store, checked before any LM call: one clear line instead of minutes of retries.

The rule for a sqlite store (`sqlite:///PATH`):
- reading (`runs`, `load models:/...`, `doctor`) never creates a store: a missing file is an error
  naming the path (a mistyped path would otherwise become a new, empty database);
- writing (`compile`, `evaluate`) creates a missing store, its folder included, and says so on
  stderr; the schema is created under a lock, so two first runs at once do not race;
- an existing file must be a SQLite database holding MLflow's tables, and writable when writing.
Other stores (http(s)://, databases) are the server's business: they are passed through.
"""

from __future__ import annotations

import contextlib
import fcntl
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hyperalign.core.errors import StoreError
from hyperalign.core.files import remove_if_stale, staging_marker

SQLITE_PREFIX = "sqlite:///"
SQLITE_HEADER = b"SQLite format 3\x00"
MLFLOW_TABLES = {"experiments", "runs", "alembic_version"}


def sqlite_path(uri: str) -> Path | None:
    """The database file of a sqlite:/// URI, else None."""
    if not uri.startswith(SQLITE_PREFIX):
        return None
    return Path(uri[len(SQLITE_PREFIX):].split("?", 1)[0])


@contextlib.contextmanager
def store_lock(uri: str, name: str) -> Iterator[None]:
    """An exclusive lock between processes sharing a sqlite store (a lock file beside it); a no-op
    for server stores, which serialise their own writes."""
    path = sqlite_path(uri)
    if path is None:
        yield
        return
    lock_file = path.with_name(f".{path.name}.{name}.lock")
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_store(uri: str, *, write: bool) -> str:
    """`uri` if the store is usable for reading (and writing, if `write`); StoreError otherwise.
    A writing command's missing sqlite store is created here (schema included)."""
    path = sqlite_path(uri)
    if path is None:
        return uri
    if not path.exists():
        if not write:
            raise StoreError(f"{path}: no MLflow store there (mistyped path? `compile` and `evaluate` create one)")
        _create(uri, path)
        return uri
    _check_database(path)
    if write:
        _check_writable(path)
    return uri


def _check_database(path: Path) -> None:
    if not path.is_file():
        raise StoreError(f"{path}: is not a file, so not an MLflow store")
    try:
        with open(path, "rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the MLflow store ({exc.strerror})") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(f"{path}: not an MLflow store (the file is not a SQLite database)")
    if not header:
        return  # an empty file is an empty database: MLflow creates its tables in it
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the MLflow store ({exc})") from None
    if not MLFLOW_TABLES <= tables:
        raise StoreError(f"{path}: a SQLite database, but not an MLflow store (no MLflow tables)")


def _check_writable(path: Path) -> None:
    """Write in a transaction that is rolled back; the folder must take sqlite's journal file."""
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
        with contextlib.closing(sqlite3.connect(str(path), timeout=30)) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("CREATE TABLE hyperalign_write_probe (x)")
            db.rollback()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise StoreError(f"{path}: the MLflow store is not writable ({reason})") from None


def _create(uri: str, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise StoreError(f"{path.parent}: cannot create the MLflow store there ({exc.strerror})") from None
    with store_lock(uri, "init"):
        if path.exists():  # another process created it while we waited
            return
        print(f"hyperalign: new MLflow store {path}", file=sys.stderr)
        from mlflow import MlflowClient

        MlflowClient(tracking_uri=uri).search_experiments(max_results=1)  # creates the schema


def process_tags(staging: Path) -> dict[str, str]:
    """Tags that let a later run tell whether this run's process is still alive: its host and its
    staging folder, whose lock the process holds until it ends (however it ends)."""
    return {"hyperalign.host": socket.gethostname(), "hyperalign.staging": str(staging)}


def fail_stale_runs(mlflow_client, experiment_id: str) -> list[str]:
    """Mark FAILED the RUNNING runs of this host whose process is gone (killed with -9, power cut),
    and remove their staging folders. A live run holds its staging lock and is left alone."""
    stale = []
    host = socket.gethostname()
    for run in mlflow_client.search_runs([experiment_id], filter_string="attributes.status = 'RUNNING'", max_results=1000):
        tags = run.data.tags
        staging = tags.get("hyperalign.staging")
        if not staging or tags.get("hyperalign.host") != host:
            continue  # not ours, or another machine's: we cannot tell whether it lives
        work = Path(staging)
        if staging_marker(work).is_file() and not remove_if_stale(work):
            continue  # its process still holds the lock
        mlflow_client.set_tag(run.info.run_id, "hyperalign.failure", "its process ended without finishing (killed?)")
        mlflow_client.set_terminated(run.info.run_id, status="FAILED")
        stale.append(run.info.run_id)
    if stale:
        print(f"hyperalign: marked {len(stale)} interrupted run(s) FAILED: {', '.join(s[:8] for s in stale)}", file=sys.stderr)
    return stale


@contextlib.contextmanager
def store_errors(uri: str, doing: str, kept: str = "") -> Iterator[None]:
    """Turn a store failure in the block (read-only now, disk full, locked, gone) into one StoreError
    line naming the store and what was being done; `kept` says what is still safe on disk."""
    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except (MlflowException, SQLAlchemyError, sqlite3.Error, OSError) as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise StoreError(f"{uri}: could not {doing} ({reason}){'; ' + kept if kept else ''}") from exc
