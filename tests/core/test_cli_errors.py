"""User errors through the real CLI: one line naming the problem, a non-zero exit, no traceback."""

import os
import subprocess
import sys

import pytest

from hyperalign.cli import main
from tests.core.fake_server import fake_openai_server

CANARY = "sk-canary-0123456789-abcdefghijkl"


def run_cli(*args, env_extra=None, timeout=120):
    env = {**os.environ, "OPENAI_API_KEY": CANARY, "DSPY_CACHEDIR": os.environ.get("DSPY_CACHEDIR", ""), **(env_extra or {})}
    env = {k: v for k, v in env.items() if v != ""}
    return subprocess.run([sys.executable, "-m", "hyperalign", *args], capture_output=True, text=True, timeout=timeout, env=env)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    error_lines = [line for line in proc.stderr.splitlines() if line.startswith("hyperalign: error:")]
    assert len(error_lines) == 1, proc.stderr
    for fragment in fragments:
        assert fragment in error_lines[0]
    assert CANARY not in proc.stdout + proc.stderr


@pytest.fixture()
def samples_file(tmp_path):
    path = tmp_path / "samples.txt"
    path.write_text("Can't do the April panel. Send Priya.\n\nGood work on the rollout. Noticed and appreciated.\n")
    return path


@pytest.mark.parametrize(
    "content, fragments",
    [
        (b"", ["the file is empty"]),
        (b"\n\n   \n\n", ["the file is empty"]),
        (b"ok line\n\xff\xfe broken bytes\n", ["not UTF-8", "s.txt:2:"]),
        (b'{"text": "fine"}\n{not json}\n', ["s.jsonl:2:", "not valid JSON"]),
        (b'{"body": "no text field"}\n', ["s.jsonl:1:", '"text"']),
        (b"x" * 3_000_000, ["sample 1", "limit"]),
    ],
    ids=["empty", "blank", "non-utf8", "bad-jsonl", "jsonl-no-text", "huge-sample"],
)
def test_bad_samples_files(tmp_path, content, fragments):
    path = tmp_path / ("s.jsonl" if content.startswith(b"{") else "s.txt")
    path.write_bytes(content)
    proc = run_cli("personalize", "--samples", str(path), "--task", "Write a memo.")
    assert_one_line_error(proc, *fragments)


def test_missing_file_and_empty_task(samples_file, capsys):
    assert main(["hypotheses", "--samples", str(samples_file.parent / "nope.txt")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["personalize", "--samples", str(samples_file), "--task", "  "]) == 2
    assert "task is empty" in capsys.readouterr().err


def test_unknown_lm_provider(samples_file):
    proc = run_cli("hypotheses", "--samples", str(samples_file), "--lm", "nosuchprovider/model-x")
    assert_one_line_error(proc, "unknown LM provider", "nosuchprovider")


def test_unparseable_lm_output_from_a_server(samples_file):
    with fake_openai_server("garbage") as (api_base, seen):
        proc = run_cli("hypotheses", "--samples", str(samples_file), "--lm", "openai/fake-model",
                       "--api-base", api_base, "--retries", "0", env_extra={"DSPY_CACHEDIR": str(samples_file.parent / "cache")})
    assert_one_line_error(proc, "could not be parsed")
    assert seen, "the CLI never reached the server"
    # The key from the environment goes to the server (it is the provider's key) but nowhere else.
    assert proc.returncode == 3


def test_lm_timeout(samples_file):
    with fake_openai_server("hang") as (api_base, _):
        proc = run_cli("personalize", "--samples", str(samples_file), "--task", "Write a memo.", "--lm", "openai/fake-model",
                       "--api-base", api_base, "--timeout", "1", "--retries", "0",
                       env_extra={"DSPY_CACHEDIR": str(samples_file.parent / "cache")})
    assert_one_line_error(proc, "timed out")


def test_rate_limit(samples_file):
    with fake_openai_server("rate-limit") as (api_base, _):
        proc = run_cli("hypotheses", "--samples", str(samples_file), "--lm", "openai/fake-model",
                       "--api-base", api_base, "--retries", "0", env_extra={"DSPY_CACHEDIR": str(samples_file.parent / "cache")})
    assert_one_line_error(proc, "rate limit")


def test_bad_attribute_syntax(samples_file, capsys):
    assert main(["hypotheses", "--samples", str(samples_file), "--attributes", "role"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
