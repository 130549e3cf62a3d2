"""`hyperalign data show|check` through hyperalign.cli.main: return codes and output."""

from __future__ import annotations

import json

from hyperalign.cli import main


def test_show_news(shared, capsys):
    assert main(["data", "show", "news", "--path", str(shared / "ccat50" / "ccat50.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "users: 35" in out and "texts: 525 (175 samples, 350 held out)" in out
    assert "texts per user: min 15" in out and "words per text: min " in out
    assert "example task: Write an article that starts with the following: " in out


def test_show_bundled_email_with_k(capsys):
    assert main(["data", "show", "email", "--k", "6", "--seed", "2"]) == 0
    out = capsys.readouterr().out
    assert "bundled demo set" in out and "users: 8" in out and "(48 samples, 16 held out)" in out


def test_show_safety_prompts_and_aloe(shared, capsys):
    assert main(["data", "show", "deliberative", "--path", str(shared / "xstest" / "xstest.csv")]) == 0
    assert "prompts: 300 (167 safe, 133 unsafe)" in capsys.readouterr().out
    assert main(["data", "show", "aloe", "--path", str(shared / "aloe"), "--n", "3"]) == 0
    assert "simulated users: 3" in capsys.readouterr().out


def test_show_unknown_domain_is_one_line_and_non_zero(capsys):
    assert main(["data", "show", "poetry"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "hyperalign: error: unknown domain 'poetry' (known: news, email, essay, blog, demo, deliberative, aloe)"


def test_show_bad_file_names_file_and_line(tmp_path, capsys):
    path = tmp_path / "mail.jsonl"
    path.write_text('{"user_id": "a", "task": "t", "text": "x"}\n{broken\n')
    assert main(["data", "show", "email", "--path", str(path)]) == 2
    assert capsys.readouterr().err.strip().startswith(f"hyperalign: error: {path}:2: not valid JSON")


def test_check_clean_corpus(shared, capsys):
    assert main(["data", "check", "essay", "--path", str(shared / "cmcc" / "cmcc.jsonl")]) == 0
    assert capsys.readouterr().out.strip().endswith("ok (0 warning(s))")


def test_check_lists_every_problem(tmp_path, capsys):
    path = tmp_path / "mail.jsonl"
    rows = [json.dumps({"user_id": "a", "task": "t", "text": f"text {i}"}) for i in range(6)]
    rows[1], rows[3] = "nope", json.dumps({"user_id": "a", "task": "t"})
    rows.append(json.dumps({"user_id": "b", "task": "t", "text": "lonely"}))
    path.write_text("\n".join(rows) + "\n")
    assert main(["data", "check", "email", "--path", str(path), "--k", "2"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"error: {path}:2: not valid JSON (Expecting value, column 1)",
        f"error: {path}:4: empty or missing 'text'",
        f"warning: {path}: user 'b' skipped: 1 text(s), 1 usable as samples; needs 2 samples and at least one more text to hold out",
        f"{path}: 2 problem(s), 1 warning(s)",
    ]


def test_check_missing_path(tmp_path, capsys):
    assert main(["data", "check", "blog", "--path", str(tmp_path / "gone.csv")]) == 1
    assert f"error: {tmp_path / 'gone.csv'}: no such file or folder" in capsys.readouterr().out


def test_check_aloe_reports_the_joined_line_as_a_warning(shared, capsys):
    assert main(["data", "check", "aloe", "--path", str(shared / "aloe")]) == 0
    out = capsys.readouterr().out
    assert "warning: " in out and "profile.jsonl:6: 2 JSON values on one line" in out
