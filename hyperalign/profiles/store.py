"""The profile store: each user's inferred hypotheses, kept between runs in one SQLite file.

    store = ProfileStore()                       # <data dir>/profiles.sqlite, or a path
    store.put(Profile(user_id="u1", samples_hash=..., lm=..., program=..., hypotheses=[...]))
    store.get("u1").hypotheses
    store.reject("u1", "Writes very short e-mails.")   # never used for u1 again

A profile records what its hypotheses were inferred from (the samples' content hash, the LM and the
program version), so a caller reuses it only when all three match. Rejections are kept apart from
profiles: a new inference replaces the profile but never a rejection. Several processes may write at
once: the file is in WAL mode, writers wait for each other (busy timeout) and every write is one
transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hyperalign.core.errors import InputError
from hyperalign.core.paths import data_dir

ENV_PROFILES = "HYPERALIGN_PROFILES"
BUSY_TIMEOUT_MS = 60_000
SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    user_id TEXT PRIMARY KEY,
    samples_hash TEXT NOT NULL,
    lm TEXT NOT NULL,
    program TEXT NOT NULL,
    hypotheses TEXT NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS rejections (
    user_id TEXT NOT NULL,
    statement_key TEXT NOT NULL,
    statement TEXT NOT NULL,
    rejected_at REAL NOT NULL,
    PRIMARY KEY (user_id, statement_key)
);
"""


def default_path() -> Path:
    """$HYPERALIGN_PROFILES, else `profiles.sqlite` in the per-user data directory."""
    configured = os.environ.get(ENV_PROFILES)
    return Path(configured) if configured else data_dir() / "profiles.sqlite"


def statement_key(statement: str) -> str:
    """How two statements count as the same hypothesis: case and spacing do not matter."""
    return " ".join(statement.lower().split())


@dataclass
class Profile:
    """One user's hypotheses and what they were inferred from."""

    user_id: str
    samples_hash: str
    lm: str
    program: str
    hypotheses: list[dict]
    updated_at: float = field(default_factory=time.time)
    rejected: list[str] = field(default_factory=list)

    def matches(self, samples_hash: str, lm: str, program: str) -> bool:
        return (self.samples_hash, self.lm, self.program) == (samples_hash, lm, program)

    def usable_hypotheses(self) -> list[dict]:
        """The hypotheses minus the ones the user rejected."""
        return without_rejected(self.hypotheses, self.rejected)

    def to_dict(self) -> dict:
        return asdict(self)


def without_rejected(hypotheses: list[dict], rejected: list[str]) -> list[dict]:
    keys = {statement_key(s) for s in rejected}
    return [h for h in hypotheses if statement_key(str(h.get("statement", ""))) not in keys]


class ProfileStore:
    """Profiles and rejections in a SQLite file, safe for several processes writing at once.

        store = ProfileStore("profiles.sqlite")
        profile = store.get("u1")            # None if never inferred
        store.reject("u1", 2)                # by number as `hyperalign profiles show` lists them
    """

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_path()
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; the profile store is a file")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One connection per operation: safe across threads and forked or spawned processes."""
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"{self.path}: cannot open the profile store ({exc})") from exc
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA journal_mode = WAL")
            yield db
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: the profile store is unusable ({exc})") from exc
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front (no upgrade deadlocks)."""
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def get(self, user_id: str) -> Profile | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT user_id, samples_hash, lm, program, hypotheses, updated_at FROM profiles WHERE user_id = ?",
                (user_id,),
            ).fetchone()
            rejected = self._rejected(db, user_id)
        if row is None:
            return None
        return Profile(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], rejected)

    def rejected(self, user_id: str) -> list[str]:
        with self._connect() as db:
            return self._rejected(db, user_id)

    @staticmethod
    def _rejected(db: sqlite3.Connection, user_id: str) -> list[str]:
        rows = db.execute("SELECT statement FROM rejections WHERE user_id = ? ORDER BY rejected_at", (user_id,))
        return [r[0] for r in rows]

    def put(self, profile: Profile) -> None:
        """Store (or replace) a user's profile. Rejections stay as they are."""
        with self._write() as db:
            db.execute(
                "INSERT INTO profiles (user_id, samples_hash, lm, program, hypotheses, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET samples_hash = excluded.samples_hash, "
                "lm = excluded.lm, program = excluded.program, hypotheses = excluded.hypotheses, "
                "updated_at = excluded.updated_at",
                (profile.user_id, profile.samples_hash, profile.lm, profile.program,
                 json.dumps(profile.hypotheses, ensure_ascii=False), profile.updated_at),
            )

    def reject(self, user_id: str, hypothesis: str | int) -> str:
        """Reject one of the user's hypotheses, by its number in the stored profile (from 1) or its
        statement. Returns the rejected statement."""
        with self._write() as db:
            statement = self._resolve(db, user_id, hypothesis)
            db.execute(
                "INSERT OR IGNORE INTO rejections (user_id, statement_key, statement, rejected_at) VALUES (?, ?, ?, ?)",
                (user_id, statement_key(statement), statement, time.time()),
            )
        return statement

    @staticmethod
    def _resolve(db: sqlite3.Connection, user_id: str, hypothesis: str | int) -> str:
        row = db.execute("SELECT hypotheses FROM profiles WHERE user_id = ?", (user_id,)).fetchone()
        hypotheses = json.loads(row[0]) if row else []
        if isinstance(hypothesis, int) or str(hypothesis).strip().isdigit():
            number = int(hypothesis)
            if row is None:
                raise InputError(f"no stored profile for user {user_id!r}; reject a hypothesis by its statement instead")
            if not 1 <= number <= len(hypotheses):
                raise InputError(f"user {user_id!r} has hypotheses 1..{len(hypotheses)}, not {number}")
            return str(hypotheses[number - 1]["statement"])
        statement = " ".join(str(hypothesis).split())
        if not statement:
            raise InputError("the hypothesis to reject is empty: give its number or its statement")
        return statement

    def users(self) -> list[str]:
        with self._connect() as db:
            rows = db.execute("SELECT user_id FROM profiles UNION SELECT user_id FROM rejections ORDER BY 1")
            return [r[0] for r in rows]

    def export(self, user_ids: list[str] | None = None) -> Iterator[Profile]:
        """The named users' profiles (each must exist), or every stored profile."""
        for user_id in user_ids if user_ids is not None else self.users():
            profile = self.get(user_id)
            if profile is not None:
                yield profile
            elif user_ids is not None:
                raise InputError(f"no stored profile for user {user_id!r}")
