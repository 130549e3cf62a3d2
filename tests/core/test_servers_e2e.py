"""End to end through the project's own llama.cpp server (`python -m llama_cpp.server`, bundled model,
127.0.0.1): `hypotheses` and `personalize` with `--lm openai/smollm2 --api-base ...` get the output's
schema sent, parse every answer in one call per step, and `--hypothesis-lm` splits the two steps
across two different LMs (the embedded LM infers, the server writes)."""

import json
import os
import subprocess
import sys

import dspy
import pytest

from hyperalign.core.lm import make_lm
from hyperalign.programs import HyPerAlign
from tests.llama_server import MODEL_ALIAS, llama_server

pytestmark = pytest.mark.slow

CANARY = "sk-canary-0123456789-abcdefghijkl"
TASK = "Write an email telling staff the wifi will be down tonight."
SERVED = f"openai/{MODEL_ALIAS}"
TIMEOUT = 900  # seconds per call: generous for a loaded 2-core CI machine


@pytest.fixture(scope="module")
def server():
    with llama_server(threads=1) as running:
        yield running


@pytest.fixture(scope="module")
def user(tmp_path_factory):
    from hyperalign.data import load_users

    samples = next(u for u in load_users("demo") if u.id == "greg_hollis").samples[:3]
    path = tmp_path_factory.mktemp("user") / "samples.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in samples))
    return path, samples


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dspy-cache")  # fresh: every step reaches the server once


def run_json(*args, cache_dir, cwd):
    env = {**os.environ, "OPENAI_API_KEY": CANARY, "DSPY_CACHEDIR": str(cache_dir)}
    for name in ("HYPERALIGN_LM", "HYPERALIGN_API_BASE", "HYPERALIGN_API_KEY", "HYPERALIGN_STRUCTURED"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "hyperalign", *args, "--json", "--timeout", str(TIMEOUT)],
                          capture_output=True, text=True, timeout=3 * TIMEOUT, env=env, cwd=cwd)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert CANARY not in proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def test_hypotheses_then_personalize_through_the_server(server, user, cache_dir, tmp_path):
    path, _ = user
    before = server.chat_requests()
    out = run_json("hypotheses", "--samples", str(path), "--lm", SERVED, "--api-base", server.base,
                   cache_dir=cache_dir, cwd=tmp_path)
    assert server.chat_requests() > before
    grounded = [h for h in out["hypotheses"] if h["grounded"]]
    assert len(grounded) >= 3, out["hypotheses"]
    assert out["hypothesis_lm"] == SERVED
    # personalize reuses the inference cached by DSPy above: only the writing step reaches the server.
    before = server.chat_requests()
    out = run_json("personalize", "--samples", str(path), "--task", TASK, "--lm", SERVED, "--api-base", server.base,
                   cache_dir=cache_dir, cwd=tmp_path)
    assert out["text"].strip() and out["task"] == TASK
    assert len([h for h in out["hypotheses"] if h["grounded"]]) >= 3
    assert server.chat_requests() > before
    assert list(tmp_path.iterdir()) == []  # nothing written into the working directory


def test_one_lm_call_per_step_with_the_schema_sent(server, user):
    _, samples = user
    lm = make_lm(SERVED, api_base=server.base, cache=False, num_retries=0, timeout=TIMEOUT)
    assert lm.engine.structured == "schema"
    trace: list = []
    before = server.chat_requests()
    from hyperalign.core.lm import lm_context

    with lm_context(lm), dspy.context(trace=trace):
        pred = HyPerAlign()(samples=samples, task=TASK)
    assert pred.text.strip()
    # Every predictor step is one LM call and one server request: no adapter fallback, no retry.
    assert len(trace) >= 2
    assert len(lm.history) == len(trace) == server.chat_requests() - before
    assert lm.engine.dialect(SERVED) == "json_object+schema"


def test_hypothesis_lm_infers_with_one_lm_and_the_server_writes(server, user):
    from hyperalign.api import personalize

    _, samples = user
    writer = make_lm(SERVED, api_base=server.base, cache=False, num_retries=0, timeout=TIMEOUT)
    inferrer = make_lm("embedded", cache=False)
    result = personalize(samples, TASK, program=HyPerAlign(), lm=writer, hypothesis_lm=inferrer)
    assert result.hypothesis_lm == inferrer.model != writer.model
    assert result.text.strip() and result.hypotheses

    def prompts(lm):
        return [json.dumps(entry.get("messages") or entry.get("prompt") or "") for entry in lm.history]

    assert prompts(inferrer) and prompts(writer)
    assert not any("wifi" in p for p in prompts(inferrer))  # the embedded LM only inferred
    assert all("wifi" in p for p in prompts(writer))  # the server only wrote
