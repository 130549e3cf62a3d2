"""`hyperalign profiles show|export|reject` on a store with known contents (no LM)."""

from __future__ import annotations

import json

from hyperalign.cli import main
from hyperalign.profiles.store import Profile, ProfileStore

HYPS = [{"category": "writing style", "statement": "Writes very short e-mails.", "evidence": [{"quote": "Same room."}]},
        {"category": "personality", "statement": "Is direct and decisive.", "evidence": [{"quote": "Bring Q3 numbers."}]}]


def store(tmp_path) -> str:
    path = tmp_path / "p.sqlite"
    ProfileStore(path).put(Profile("dana", "h", '{"model": "m"}', "HyPerAlign@abc", HYPS))
    return str(path)


def test_show_reject_export(tmp_path, capsys):
    path = store(tmp_path)
    assert main(["profiles", "show", "dana", "--profiles", path]) == 0
    shown = capsys.readouterr().out
    assert "1. [writing style] Writes very short e-mails." in shown and "Same room." in shown
    assert main(["profiles", "reject", "dana", "2", "--profiles", path]) == 0
    assert "Rejected for dana: Is direct and decisive." in capsys.readouterr().out
    assert main(["profiles", "show", "dana", "--profiles", path, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rejected"] == ["Is direct and decisive."]
    out = tmp_path / "export.jsonl"
    assert main(["profiles", "export", "--profiles", path, "--out", str(out)]) == 0
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(p["user_id"], p["hypotheses"], p["rejected"]) for p in exported] == [("dana", HYPS, ["Is direct and decisive."])]


def test_errors_are_one_line(tmp_path, capsys):
    path = store(tmp_path)
    for argv, problem in [
        (["profiles", "show", "nobody", "--profiles", path], "no stored profile for user 'nobody'"),
        (["profiles", "reject", "dana", "7", "--profiles", path], "has hypotheses 1..2, not 7"),
        (["profiles", "show", "dana", "--profiles", str(tmp_path / "none.sqlite")], "no profile store yet"),
    ]:
        assert main(argv) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and problem in err[0], err
    assert not (tmp_path / "none.sqlite").exists()  # nothing created by a failed show
