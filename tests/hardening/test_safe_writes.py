"""Case 3: commands that write never delete what they did not create. `compile --out` and
`evaluate --out` refuse a non-empty folder hyperalign did not write (unless --overwrite, which
replaces only their own files); every published folder is atomic; staging of killed runs is
cleaned, and only staging that hyperalign created."""

from __future__ import annotations

import fcntl
import json

import pytest

from hyperalign.core.errors import InputError
from hyperalign.core.files import OWNER_MARKER, STAGING_MARKER, OutputDir, remove_stale_staging
from tests.hardening.conftest import error_line, run_cli


def user_webapp(root):
    """The issue's reproduction: a user's folder that happens to hold a manifest.json."""
    (root / "src").mkdir(parents=True)
    (root / "manifest.json").write_text('{"name":"My PWA"}')
    (root / "src" / "app.js").write_text("x")
    return root


def publish(target: OutputDir, files: dict[str, str]) -> None:
    with target.staging() as staged:
        for name, text in files.items():
            (staged / name).write_text(text)
        target.publish(staged)


def test_missing_then_owned_target_is_replaced_whole(tmp_path):
    target = OutputDir(tmp_path / "out", kind="program")
    publish(target, {"a.json": "1", "b.json": "1"})
    publish(target, {"a.json": "2"})
    assert sorted(p.name for p in target.path.iterdir()) == sorted([OWNER_MARKER, "a.json"])
    assert (target.path / "a.json").read_text() == "2"
    assert not [p for p in tmp_path.iterdir() if p.name != "out"]  # no staging or old copy left


def test_foreign_folder_is_refused_and_untouched(tmp_path):
    webapp = user_webapp(tmp_path / "webapp")
    with pytest.raises(InputError, match="not written by hyperalign"):
        OutputDir(webapp, kind="program").check()
    assert (webapp / "src" / "app.js").read_text() == "x"


def test_overwrite_replaces_only_our_files(tmp_path):
    webapp = user_webapp(tmp_path / "webapp")
    publish(OutputDir(webapp, kind="program", overwrite=True), {"manifest.json": "{}", "program.json": "{}"})
    assert (webapp / "src" / "app.js").read_text() == "x"
    assert (webapp / "manifest.json").read_text() == "{}" and (webapp / "program.json").is_file()


def test_other_kind_and_files_are_refused(tmp_path):
    publish(OutputDir(tmp_path / "report", kind="evaluation"), {"report.md": "#"})
    with pytest.raises(InputError, match="not written by hyperalign"):
        OutputDir(tmp_path / "report", kind="program").check()
    (tmp_path / "file").write_text("mine")
    with pytest.raises(InputError, match="not a folder"):
        OutputDir(tmp_path / "file", kind="program").check()


def test_claim_marks_a_new_folder_and_refuses_a_users_report(tmp_path):
    assert OutputDir(tmp_path / "new", kind="evaluation").claim() == tmp_path / "new"
    assert (tmp_path / "new" / OWNER_MARKER).is_file()
    OutputDir(tmp_path / "new", kind="evaluation").claim()  # ours: a rerun resumes in it
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.md").write_text("my own notes")
    with pytest.raises(InputError, match="--overwrite"):
        OutputDir(mine, kind="evaluation").claim()


def test_only_stale_staging_of_ours_is_removed(tmp_path):
    stale, live, foreign = (tmp_path / f".hyperalign-staging-{n}" for n in ("stale", "live", "foreign"))
    for folder in (stale, live, foreign):
        folder.mkdir()
    (stale / STAGING_MARKER).write_text("")
    (live / STAGING_MARKER).write_text("")
    with open(live / STAGING_MARKER) as held:  # a live process holds its lock
        fcntl.flock(held, fcntl.LOCK_EX)
        assert remove_stale_staging(tmp_path) == [stale]
    assert live.is_dir() and foreign.is_dir() and not stale.exists()


def test_compile_refuses_the_issue_webapp_before_any_work(tmp_path):
    """Before the fix: the webapp was replaced by manifest.json + program.json (src/ deleted)."""
    webapp = user_webapp(tmp_path / "webapp")
    proc = run_cli("compile", "demo", "--out", webapp, "--tracking-uri", f"sqlite:///{tmp_path / 'mlflow.db'}",
                   tmp_path=tmp_path)
    assert "--overwrite" in error_line(proc) and proc.returncode == 2
    assert (webapp / "src" / "app.js").read_text() == "x"
    assert json.loads((webapp / "manifest.json").read_text()) == {"name": "My PWA"}
    assert not (tmp_path / "mlflow.db").exists()  # refused before the store was touched


def test_evaluate_refuses_a_users_report(tmp_path):
    """Before the fix: evaluate --out silently overwrote the user's own report.md."""
    out = tmp_path / "notes"
    out.mkdir()
    (out / "report.md").write_text("my own notes")
    proc = run_cli("evaluate", "demo", "--out", out, "--no-track", "--limit", "1", tmp_path=tmp_path)
    assert "--overwrite" in error_line(proc)
    assert (out / "report.md").read_text() == "my own notes"
