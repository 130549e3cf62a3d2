"""Cases 4 and 8: special files, encodings, size units, line numbers, unknown providers.

Special files (--samples /dev/zero read until 5.6 GB of memory; a FIFO hung; a FIFO as --path was
"a folder") are named for what they are; a UTF-16 corpus is an encoding problem, not "not valid
JSON"; size messages use one unit (MiB); `data show` and `data check` name the same line; an
unknown LM provider is an input error (exit 2) with nothing of LiteLLM's on stdout."""

from __future__ import annotations

import json
import os

import pytest

from tests.hardening.conftest import error_line, run_cli

ROW = {"user_id": "u{}", "task": "task {}", "text": "Text number {} of this writer, long enough to count."}


def demo_rows(n: int) -> list[str]:
    return [json.dumps({k: v.format(i % 5) if k == "user_id" else v.format(i) for k, v in ROW.items()}) for i in range(n)]


@pytest.mark.parametrize("option", [("hypotheses", "--samples"), ("data", "show", "email", "--path")])
def test_devices_and_fifos_are_named(tmp_path, option):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path, kind in ((fifo, "named pipe (FIFO)"), ("/dev/zero", "device")):
        proc = run_cli(*option, path, tmp_path=tmp_path, timeout=60)  # before: hung, or read 5.6 GB
        line = error_line(proc)
        assert kind in line and "folder" not in line


def test_utf16_corpus_is_an_encoding_problem(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(("\n".join(demo_rows(12)) + "\n").encode("utf-16"))
    for args in (("data", "show", "demo", "--path", corpus), ("data", "check", "demo", "--path", corpus),
                 ("hypotheses", "--samples", corpus)):
        proc = run_cli(*args, tmp_path=tmp_path)
        text = proc.stdout + proc.stderr
        assert proc.returncode != 0 and "UTF-16" in text and "not valid JSON" not in text, text


def test_size_limit_speaks_one_unit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (51 * 2**20 // 5))
    line = error_line(run_cli("hypotheses", "--samples", big, tmp_path=tmp_path))
    assert "50 MiB" in line and " MB" not in line


@pytest.mark.parametrize("layout", ["plain", "blank-first-line", "blank-lines", "crlf", "two-values-one-line"])
def test_show_and_check_name_the_same_line(tmp_path, layout):
    rows = demo_rows(100)
    bad = json.dumps({"user_id": "u1", "task": "t", "text": ""})
    lines = {
        "plain": rows + [bad],
        "blank-first-line": [""] + rows + [bad],
        "blank-lines": rows[:40] + ["", "  "] + rows[40:] + [bad],
        "crlf": rows + [bad],
        "two-values-one-line": rows[:10] + [rows[10] + rows[11]] + rows[12:] + [bad],
    }[layout]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(("\r\n" if layout == "crlf" else "\n").join(lines).encode() + b"\n")
    expected = f"{corpus}:{len(lines)}:"
    show = error_line(run_cli("data", "show", "demo", "--path", corpus, tmp_path=tmp_path))
    check = run_cli("data", "check", "demo", "--path", corpus, tmp_path=tmp_path)
    assert expected in show, show
    assert expected in check.stdout, check.stdout


def test_unknown_provider_is_an_input_error_with_clean_stdout(tmp_path):
    samples = tmp_path / "s.txt"
    samples.write_text("One text.\n\nAnother text.\n")
    proc = run_cli("hypotheses", "--samples", samples, "--lm", "nosuchprovider/model", "--json", tmp_path=tmp_path)
    assert "unknown LM provider" in error_line(proc)
    assert proc.returncode == 2 and proc.stdout == ""  # before: exit 3, LiteLLM's "Provider List" on stdout
