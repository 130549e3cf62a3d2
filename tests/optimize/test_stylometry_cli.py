"""`hyperalign judge validate`: top-1 of the judge and of the baseline, the most-confused authors and
the adversarial table on a real corpus; bad input is one line on stderr and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from hyperalign.cli import main


def test_validate_prints_top1_baseline_and_confusions(shared_data, capsys):
    assert main(["judge", "validate", "blog", "--path", str(shared_data / "cmcc" / "cmcc.jsonl"), "--k", "5"]) == 0
    out = capsys.readouterr().out
    assert "15 writers, 5 samples each, 15 held-out texts (seed 0)" in out
    judge = float(out.split("stylometric judge  top-1 ")[1].split()[0])
    baseline = float(out.split("TF-IDF baseline    top-1 ")[1].split()[0])
    assert judge >= 0.8 and judge > baseline
    if judge < 1.0:
        assert "most confused (true author -> chosen instead, times):" in out
    # The adversarial table: one line per adversary, the real text winning every pair on CMCC blogs.
    for description in ("a verbatim copy of a sample", "the samples' sentences, shuffled", "the user's own text for another task",
                        "the real text with a junk tail", "a one-sentence answer"):
        line = next(line for line in out.splitlines() if line.strip().startswith(description))
        pairs, users, rate = line.split(description)[1].split()[:3]
        assert int(pairs) >= 14 and int(users) >= 14 and float(rate) >= 0.9, line


def test_validate_json_and_seed(shared_data, capsys):
    path = str(shared_data / "cmcc" / "cmcc.jsonl")
    assert main(["judge", "validate", "email", "--path", path, "--seed", "1", "--json", "--no-adversarial"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["adversarial"] is None
    assert (report["writers"], report["held_out_texts"], report["seed"]) == (15, 15, 1)
    assert 0.0 <= report["baseline_top1"] <= report["top1"] <= 1.0
    assert all(c["author"] != c["chosen"] for c in report["confusions"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["news", "--path", "{shared}/ccat50/no-such-file.jsonl"], "no-such-file.jsonl"),
        (["nonsense", "--path", "{shared}/cmcc/cmcc.jsonl"], "unknown domain"),
        (["essay", "--path", "{shared}/cmcc/cmcc.jsonl", "--k", "0"], "--k must be at least 1"),
        (["essay", "--path", "{shared}/cmcc/cmcc.jsonl", "--k", "6"], "no usable users"),
        (["news", "--path", "{shared}/cmcc/cmcc.jsonl"], "news"),
        (["essay", "--path", "{shared}/cmcc/cmcc.jsonl", "--items", "0"], "--items must be at least 1"),
    ],
    ids=["missing-file", "unknown-domain", "k-zero", "nothing-held-out", "wrong-corpus", "items-zero"],
)
def test_bad_input_is_one_line_and_nonzero_exit(shared_data, capsys, args, fragment):
    args = [a.replace("{shared}", str(shared_data)) for a in args]
    assert main(["judge", "validate", *args]) != 0
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("hyperalign: error:")]
    assert len(errors) == 1 and fragment in errors[0], err
    assert "Traceback" not in err
