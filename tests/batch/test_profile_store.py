"""The profile store: reuse only when samples, LM and program match; rejections that last; several
processes writing at once."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from hyperalign.core.errors import InputError
from hyperalign.profiles.store import Profile, ProfileStore, without_rejected

HYPS = [{"category": "writing style", "statement": "Writes very short e-mails.", "evidence": ["Same room."]},
        {"category": "personality", "statement": "Is direct and decisive.", "evidence": ["Bring Q3 numbers."]}]


def profile(user: str = "u1", digest: str = "h1", hyps: list[dict] | None = None) -> Profile:
    return Profile(user, digest, '{"model": "m"}', "HyPerAlign@abc", hyps if hyps is not None else HYPS)


def test_put_get_and_match(tmp_path):
    store = ProfileStore(tmp_path / "p.sqlite")
    assert store.get("u1") is None
    store.put(profile())
    got = store.get("u1")
    assert got.hypotheses == HYPS
    assert got.matches("h1", '{"model": "m"}', "HyPerAlign@abc")
    assert not got.matches("h2", '{"model": "m"}', "HyPerAlign@abc")  # other samples
    assert not got.matches("h1", '{"model": "other"}', "HyPerAlign@abc")  # other LM
    assert not got.matches("h1", '{"model": "m"}', "HyPerAlign@def")  # recompiled program
    store.put(profile(digest="h2", hyps=HYPS[:1]))  # a new inference replaces the profile
    assert store.get("u1").samples_hash == "h2" and len(store.get("u1").hypotheses) == 1


def test_rejection_by_number_or_statement_outlives_new_inference(tmp_path):
    store = ProfileStore(tmp_path / "p.sqlite")
    store.put(profile())
    assert store.reject("u1", 1) == "Writes very short e-mails."
    assert store.get("u1").usable_hypotheses() == HYPS[1:]
    store.put(profile(digest="h2"))  # re-inferred, states the rejected hypothesis again
    assert store.get("u1").usable_hypotheses() == HYPS[1:]
    # Case and spacing do not make a rejected statement new.
    assert without_rejected([{"statement": "writes  VERY short e-mails."}], store.rejected("u1")) == []
    store.reject("u2", "Uses many exclamation marks.")  # before any profile exists
    assert store.rejected("u2") == ["Uses many exclamation marks."]


def test_bad_rejections_are_clear(tmp_path):
    store = ProfileStore(tmp_path / "p.sqlite")
    with pytest.raises(InputError, match="no stored profile"):
        store.reject("nobody", 1)
    store.put(profile())
    with pytest.raises(InputError, match=r"1\.\.2, not 3"):
        store.reject("u1", "3")
    with pytest.raises(InputError, match="empty"):
        store.reject("u1", "   ")


def test_export_and_folder_path(tmp_path):
    store = ProfileStore(tmp_path / "p.sqlite")
    store.put(profile("a"))
    store.put(profile("b"))
    store.reject("c", "Only a rejection.")
    assert [p.user_id for p in store.export()] == ["a", "b"]
    with pytest.raises(InputError, match="no stored profile for user 'c'"):
        list(store.export(["c"]))
    with pytest.raises(InputError, match="is a folder"):
        ProfileStore(tmp_path)


def _writer(path: str, worker: int, users: int) -> None:
    store = ProfileStore(path)
    for i in range(users):
        store.put(profile(f"user-{i}", digest=f"w{worker}", hyps=[{"statement": f"Statement {worker}-{i}."}]))
        store.reject(f"user-{i}", f"Rejected by writer {worker}.")


def test_concurrent_writers_from_several_processes(tmp_path):
    path, writers, users = str(tmp_path / "p.sqlite"), 4, 30
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_writer, args=(path, w, users)) for w in range(writers)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * writers
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    store = ProfileStore(path)
    assert store.users() == sorted(f"user-{i}" for i in range(users))
    for i in range(users):
        got = store.get(f"user-{i}")
        # One writer's profile, whole (never a mix), and every writer's rejection.
        worker = int(got.samples_hash[1:])
        assert got.hypotheses == [{"statement": f"Statement {worker}-{i}."}]
        assert sorted(got.rejected) == sorted(f"Rejected by writer {w}." for w in range(writers))
