"""Bad input gives a clear error naming the file (and line), or a warning and a skipped user:
never a silent empty dataset."""

from __future__ import annotations

import json

import pytest

from hyperalign.core.errors import DataError, InputError
from hyperalign.data import check, load_users

GOOD = [{"user_id": f"u{u}", "task": f"Task {i}.", "text": f"Text {i} by u{u}."} for u in (1, 2) for i in range(4)]


def test_missing_path(tmp_path):
    with pytest.raises(DataError, match=r"nowhere\.jsonl: no such file or folder"):
        load_users("email", tmp_path / "nowhere.jsonl")


def test_empty_folder(tmp_path):
    with pytest.raises(DataError, match=r"folder holds no C50train/ or C50test/"):
        load_users("news", tmp_path)


def test_native_layout_without_articles(tmp_path):
    (tmp_path / "C50train" / "SomeAuthor").mkdir(parents=True)
    with pytest.raises(DataError, match=r"no \.txt files"):
        load_users("news", tmp_path)


def test_csv_with_wrong_columns(make_csv):
    path = make_csv("posts.csv", ["author", "body"], [["a", "b"]])
    with pytest.raises(DataError, match=r"posts\.csv:1: not a known corpus format \(found columns: author, body\)"):
        load_users("blog", path)


def test_csv_missing_a_required_column(make_csv):
    # looks like a Blog Authorship CSV but lacks 'date'... then it is not one: named with its columns
    path = make_csv("blog.csv", ["id", "gender", "age", "topic", "sign", "text"], [["1", "f", "20", "x", "Leo", "hi"]])
    with pytest.raises(DataError, match=r"blog\.csv:1: not a known corpus format"):
        load_users("blog", path)


def test_jsonl_line_that_is_not_json(tmp_path):
    path = tmp_path / "mail.jsonl"
    lines = [json.dumps(r) for r in GOOD]
    lines.insert(3, '{"user_id": "u1", "task": "oops"')
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"mail\.jsonl:4: not valid JSON"):
        load_users("email", path, k=2)


def test_undecodable_bytes_name_file_and_line(tmp_path):
    path = tmp_path / "mail.jsonl"
    lines = [json.dumps(r).encode() for r in GOOD]
    lines[5] = lines[5].replace(b"Text", b"T\xe9xt")  # latin-1, not UTF-8
    path.write_bytes(b"\n".join(lines) + b"\n")
    with pytest.raises(DataError, match=r"mail\.jsonl:6: undecodable bytes \(0xe9"):
        load_users("email", path, k=2)


def test_undecodable_native_article(tmp_path):
    folder = tmp_path / "C50train" / "Writer"
    folder.mkdir(parents=True)
    (folder / "1.txt").write_bytes(b"Fine line.\r\nBad \xff line.\r\n")
    with pytest.raises(DataError, match=r"1\.txt:2: undecodable bytes \(0xff"):
        load_users("news", tmp_path)


def test_ragged_csv_row(make_csv):
    path = make_csv("x.csv", ["id", "prompt", "type", "label"], [["1", "Hi", "homonyms", "safe"], ["2", "Ho", "homonyms", "safe", "extra"]])
    from hyperalign.data import load_safety_prompts

    with pytest.raises(DataError, match=r"x\.csv:3: 5 fields, but the header has 4"):
        load_safety_prompts(path)


def test_empty_text_field(make_jsonl):
    records = [dict(r) for r in GOOD]
    records[2]["text"] = "   "
    with pytest.raises(DataError, match=r"mail\.jsonl:3: empty or missing 'text'"):
        load_users("email", make_jsonl("mail.jsonl", records), k=2)


def test_user_with_too_few_texts_is_skipped_with_a_warning(make_jsonl, caplog):
    records = GOOD + [{"user_id": "u3", "task": "T.", "text": "Only one text."}]
    users = load_users("email", make_jsonl("mail.jsonl", records), k=3)
    assert [u.id for u in users] == ["u1", "u2"]
    assert "user 'u3' skipped: 1 text(s)" in caplog.text


def test_all_users_skipped_is_an_error(make_jsonl):
    with pytest.raises(DataError, match=r"mail\.jsonl: no usable users: none of its 2 users has at least 5 texts"):
        load_users("email", make_jsonl("mail.jsonl", GOOD), k=4)


def test_k_must_be_positive():
    with pytest.raises(InputError, match="k must be at least 1"):
        load_users("demo", k=0)


def test_unknown_domain_lists_the_known_ones():
    with pytest.raises(InputError, match="unknown domain 'poetry' \\(known: news, email, essay, blog, demo\\)"):
        load_users("poetry")


def test_domain_without_bundled_data_needs_a_path():
    with pytest.raises(InputError, match="'essay' needs a path"):
        load_users("essay")


def test_unsupported_file_type(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("hello")
    with pytest.raises(DataError, match=r"corpus\.txt: unsupported file type"):
        load_users("email", path)


def test_check_reports_every_problem_and_keeps_going(tmp_path):
    path = tmp_path / "mail.jsonl"
    lines = [json.dumps(r).encode() for r in GOOD]
    lines[1] = b"not json"
    lines[4] = b'"a string"'
    lines[6] = lines[6].replace(b"Text", b"T\xe9xt")
    lines.append(json.dumps({"user_id": "u9", "task": "T.", "text": ""}).encode())
    path.write_bytes(b"\n".join(lines) + b"\n")
    problems = check("email", path, k=2)
    assert problems.errors == [
        f"{path}:2: not valid JSON (Expecting value, column 1)",
        f"{path}:5: expected a JSON object, found str",
        f"{path}:7: undecodable bytes (0xe9 is not UTF-8)",
        f"{path}:9: empty or missing 'text'",
    ]
    assert problems.warnings == []  # u1 and u2 still have 3 texts each, enough for k=2


def test_check_turns_stopping_problems_into_reports(tmp_path):
    problems = check("news", tmp_path / "missing", k=5)
    assert problems.errors == [f"{tmp_path / 'missing'}: no such file or folder"]


def test_check_of_a_clean_corpus_has_no_problems(shared):
    problems = check("news", shared / "ccat50" / "ccat50.jsonl", k=5)
    assert problems.errors == [] and problems.warnings == []
