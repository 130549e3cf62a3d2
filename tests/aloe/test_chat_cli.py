"""`hyperalign chat` as a user runs it: bad input over a pipe (no LM needed), and a real session on
the embedded LM driven through a terminal with pexpect."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hyperalign.programs.conversation_state import load_state

ENV = {**os.environ, "HYPERALIGN_EMBEDDED_THREADS": "1", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def chat(stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hyperalign", "chat", *args], input=stdin, capture_output=True,
                          text=True, env=ENV, timeout=120)


def test_bad_input_prints_errors_and_the_chat_goes_on(tmp_path):
    corrupted = tmp_path / "corrupted.json"
    corrupted.write_text('{"format": "hyperalign-conversation", "version": 1, "turn": 2, "messages": [}', encoding="utf-8")
    not_ours = tmp_path / "other.json"
    not_ours.write_text(json.dumps({"hello": "world"}), encoding="utf-8")
    lines = ["", "   ", "x" * 1_000_000, f"/load {corrupted}", f"/load {not_ours}", "/load", "/frobnicate",
             "/why", f"/save {tmp_path / 'empty.json'}", "/quit"]
    result = chat("\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: the message is empty: type something to say",
        "error: the message is empty: type something to say",
        "error: the message is 1,000,000 characters; the limit is 20,000",
        f"error: {corrupted}, line 1: not valid JSON (Expecting value)",
        f"error: {not_ours}: not a saved hyperalign conversation (format is None, expected 'hyperalign-conversation')",
        "error: /load needs a file name, e.g. /load conversation.json",
        "error: unknown command '/frobnicate'; commands: /why, /save FILE, /load FILE, /reset, /help, /quit",
    ]
    assert "no hypotheses yet" in result.stdout  # still running after the errors
    assert load_state(tmp_path / "empty.json")["turn"] == 0


def test_corrupted_file_at_start_is_one_line_and_exit_code(tmp_path):
    corrupted = tmp_path / "corrupted.json"
    corrupted.write_bytes(b"\x00\x01not json")
    result = chat("/quit\n", "--load", str(corrupted))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "not valid JSON" in result.stderr and str(corrupted) in result.stderr


@pytest.mark.slow
def test_two_turns_why_and_save_on_the_embedded_lm(tmp_path):
    import pexpect

    saved = tmp_path / "conversation.json"
    child = pexpect.spawn(sys.executable, ["-m", "hyperalign", "chat", "--lm", "embedded"], env=ENV,
                          encoding="utf-8", timeout=600, dimensions=(50, 500))
    try:
        child.expect_exact("you> ")
        child.sendline("Hi! I grow tomatoes on my balcony and I love spicy food.")
        child.expect(r"assistant> (.+)\r\n")
        assert child.match.group(1).strip()
        child.expect_exact("you> ")
        child.sendline("")  # an empty message in the middle: an error line, the chat goes on
        child.expect_exact("error: the message is empty")
        child.expect_exact("you> ")
        child.sendline("Keep answers short please. I have a cat named Miso.")
        child.expect(r"assistant> (.+)\r\n")
        child.expect_exact("you> ")
        child.sendline("/why")
        child.expect(r"1\. \[[a-z ]+\] .+ turn [12]")
        child.expect_exact("evidence: ")
        child.expect_exact("you> ")
        child.sendline(f"/save {saved}")
        child.expect_exact("saved 2 turn(s)")
        child.expect_exact("you> ")
        child.sendline("/quit")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    state = load_state(saved)
    assert state["turn"] == 2 and [m["role"] for m in state["messages"]] == ["user", "assistant"] * 2
    assert state["hypotheses"], "the embedded LM's grammar requires at least one update per turn"
    said = [m["content"] for m in state["messages"] if m["role"] == "user"]
    for hypothesis in state["hypotheses"]:
        assert hypothesis["turn"] in (1, 2) and hypothesis["status"] in ("new", "kept", "revised", "retired")
        for evidence in hypothesis["evidence"]:
            # Quotes are picked from the user's own sentences under the embedded LM's grammar.
            assert evidence["grounded"] and any(evidence["quote"].strip(" .") in message for message in said)
