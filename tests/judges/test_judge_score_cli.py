"""`hyperalign judge score`: one user's samples, candidates in JSONL, a background file or a corpus;
the real text ranks first, --json is one object per line; bad input is one line and exit 2."""

from __future__ import annotations

import json

import pytest

from hyperalign.cli import main


@pytest.fixture()
def files(tmp_path, emails):
    """A user's samples, four candidates (their real e-mail, a copy of a sample, another user's e-mail
    for the same topic or not, an empty text) and the other users as background, written to tmp_path."""
    user, rival = emails[0], emails[1]
    write = lambda name, rows: (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows))  # noqa: E731
    write("samples.jsonl", [{"text": t} for t in user.samples])
    write("candidates.jsonl", [{"id": "real", "text": user.held_out[0].reference}, {"id": "copy", "text": user.samples[0]},
                               {"id": 7, "text": rival.held_out[0].reference}, {"id": "empty", "text": ""}])
    write("background.jsonl", [{"user_id": u.id, "text": t} for u in emails[1:] for t in u.samples])
    return tmp_path, user.held_out[0].task


def test_json_lines_rank_the_real_text_first(files, capsys):
    folder, task = files
    assert main(["judge", "score", "--samples", str(folder / "samples.jsonl"), "--candidates", str(folder / "candidates.jsonl"),
                 "--task", task, "--background", str(folder / "background.jsonl"), "--domain", "email", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["real", "copy", "7", "empty"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["real"]["place"] == 1 and by_id["real"]["score"] > 0.8 and by_id["real"]["rank"] == 1
    assert set(by_id["copy"]["parts"]) == {"style", "originality", "fidelity", "sanity"}
    assert by_id["copy"]["parts"]["originality"] < 0.05 and "Fails on originality" in by_id["copy"]["feedback"]
    assert by_id["empty"]["score"] == 0.0 and by_id["empty"]["place"] == 4


def test_corpus_background_and_table_output(files, shared_data, capsys):
    folder, task = files
    assert main(["judge", "score", "-s", str(folder / "samples.jsonl"), "-c", str(folder / "candidates.jsonl"), "-t", task,
                 "--domain", "email", "--path", str(shared_data / "cmcc" / "cmcc.jsonl")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and lines[0].startswith("real\t") and "place 1/4" in lines[0]
    assert "originality 0.00" in lines[1]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda a, f: [x for x in a if x not in ("--task", a[a.index("--task") + 1])], "no task for candidate 'real'"),
        (lambda a, f: a + ["--path", "x.jsonl"], "not both"),
        (lambda a, f: [x for x in a if x not in ("--background", str(f / "background.jsonl"))], "give the background writers"),
        (lambda a, f: a + ["--task", " "], "--task is empty"),
        (lambda a, f: [str(f / "dup.jsonl") if x.endswith("candidates.jsonl") else x for x in a], "id 'a' appears twice"),
        (lambda a, f: [str(f / "bad_bg.jsonl") if x.endswith("background.jsonl") else x for x in a], '"user_id" must be'),
        (lambda a, f: [str(f / "missing.jsonl") if x.endswith("samples.jsonl") else x for x in a], "missing.jsonl"),
    ],
    ids=["no-task", "both-backgrounds", "no-background", "empty-task", "duplicate-id", "bad-background-row", "missing-samples"],
)
def test_bad_input_is_one_line_and_exit_2(files, capsys, change, fragment):
    folder, task = files
    (folder / "dup.jsonl").write_text('{"id": "a", "text": "x"}\n{"id": "a", "text": "y"}\n')
    (folder / "bad_bg.jsonl").write_text('{"text": "no user"}\n')
    args = ["judge", "score", "--samples", str(folder / "samples.jsonl"), "--candidates", str(folder / "candidates.jsonl"),
            "--task", task, "--background", str(folder / "background.jsonl")]
    assert main(change(args, folder)) == 2
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("hyperalign: error:")]
    assert len(errors) == 1 and fragment in errors[0], err
    assert "Traceback" not in err
