"""LM servers over real HTTP (a fake OpenAI-compatible server on 127.0.0.1): the output's schema in
each server's form, keys kept home, several deployments, no secret kept by DSPy."""

import json
import pickle
import threading
import time
import uuid
from pathlib import Path

import dspy
import pytest

from hyperalign.cli import main
from hyperalign.core.compact_adapter import CompactJSONAdapter
from hyperalign.core.errors import LMError
from hyperalign.core.lm import adapter_for, lm_context, make_lm
from hyperalign.core.lm_errors import lm_errors
from tests.core.fake_server import fake_openai_server

CANARY = "sk-canary-0123456789-abcdefghijkl"


@pytest.fixture(autouse=True)
def provider_key_in_the_environment(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", CANARY)
    for name in ("HYPERALIGN_API_KEY", "HYPERALIGN_API_BASE", "HYPERALIGN_STRUCTURED", "HYPERALIGN_LM"):
        monkeypatch.delenv(name, raising=False)


def posts(seen):
    return [r for r in seen if r["method"] == "POST"]


def write_once(lm) -> None:
    """One structured output through the LM (the fake answers garbage, so parsing fails: expected).
    Writing steps are plain text (no schema); structured outputs such as hypotheses get the schema."""
    with pytest.raises(LMError), lm_context(lm), lm_errors():
        dspy.Predict("note: str -> summary: str, words: int")(note=f"sample {uuid.uuid4()}")


def sent_format(request):
    return json.loads(request["body"]).get("response_format")


def test_no_provider_key_goes_to_a_custom_api_base():
    with fake_openai_server("garbage") as (base, seen):
        make_lm("openai/fake", api_base=base, cache=False, num_retries=0)(f"hello {uuid.uuid4()}")
    assert posts(seen)
    for request in seen:
        assert CANARY not in json.dumps(request)
        assert request["headers"]["Authorization"] == "Bearer no-key"


def test_the_server_key_is_the_one_the_user_names(monkeypatch):
    monkeypatch.setenv("HYPERALIGN_API_KEY", "server-key-one")
    monkeypatch.setenv("MY_SERVER_KEY", "server-key-two")
    with fake_openai_server("garbage") as (base, seen):
        make_lm("openai/fake", api_base=base, cache=False, num_retries=0)("a")
        make_lm("openai/fake", api_base=base, cache=False, num_retries=0, api_key_env="MY_SERVER_KEY")("b")
    assert [r["headers"]["Authorization"] for r in posts(seen)] == ["Bearer server-key-one", "Bearer server-key-two"]
    with pytest.raises(LMError, match="NOT_SET_ANYWHERE"):
        make_lm("openai/fake", api_base=base, api_key_env="NOT_SET_ANYWHERE")


def test_cli_sends_only_the_named_key(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_SERVER_KEY", "server-key-three")
    samples = tmp_path / "s.txt"
    samples.write_text(f"A note {uuid.uuid4()}.\n\nAnother note, short.\n")
    with fake_openai_server("garbage") as (base, seen):
        code = main(["hypotheses", "--samples", str(samples), "--lm", "openai/fake", "--api-base", base,
                     "--retries", "0", "--api-key-env", "MY_SERVER_KEY"])
    assert code == 3  # the fake's answer does not parse; what matters is what was sent
    assert posts(seen) and CANARY not in json.dumps(seen)
    assert {r["headers"]["Authorization"] for r in posts(seen)} == {"Bearer server-key-three"}


def test_schema_goes_in_the_llama_cpp_server_form():
    with fake_openai_server("garbage", owned_by="me") as (base, seen):
        lm = make_lm("openai/fake", api_base=base, cache=False, num_retries=0)  # auto: a server you run
        assert isinstance(adapter_for(lm), CompactJSONAdapter)
        write_once(lm)
        write_once(lm)
    assert [r["path"] for r in seen if r["method"] == "GET"] == ["/v1/models"]  # asked once per LM
    for request in posts(seen):
        fmt = sent_format(request)
        assert fmt["type"] == "json_object" and fmt["schema"]["required"] == ["summary", "words"]
    assert len(posts(seen)) == 2  # one call per output: no fallback call


def test_schema_goes_in_the_standard_form_to_other_servers():
    with fake_openai_server("garbage", owned_by="vllm") as (base, seen):
        write_once(make_lm("openai/fake", api_base=base, cache=False, num_retries=0, structured="schema"))
    fmt = sent_format(posts(seen)[0])
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["schema"]["required"] == ["summary", "words"]


def test_json_and_off_modes_and_their_defaults(monkeypatch):
    with fake_openai_server("garbage", owned_by="me") as (base, seen):
        monkeypatch.setenv("HYPERALIGN_STRUCTURED", "json")
        write_once(make_lm("openai/fake", api_base=base, cache=False, num_retries=0))
        json_calls = len(posts(seen))
        write_once(make_lm("openai/fake", api_base=base, cache=False, num_retries=0, structured="off"))
    assert sent_format(posts(seen)[0]) == {"type": "json_object"}
    assert all(sent_format(r) is None for r in posts(seen)[json_calls:])
    monkeypatch.delenv("HYPERALIGN_STRUCTURED")
    hosted = make_lm("openai/gpt-4o-mini")
    assert hosted.engine.structured == "off" and type(adapter_for(hosted)) is dspy.ChatAdapter
    assert make_lm("ollama_chat/llama3.1").engine.structured == "schema"
    with pytest.raises(LMError, match="structured output must be one of"):
        make_lm("openai/fake", structured="grammar")
    with pytest.raises(LMError, match="always decodes under the output's schema"):
        make_lm("embedded", structured="off")


def test_password_in_the_api_base_is_kept_by_neither_cache_nor_history():
    password = f"pw{uuid.uuid4().hex}"
    with fake_openai_server("garbage") as (base, seen):
        lm = make_lm("openai/fake", api_base=base.replace("http://", f"http://user:{password}@"), num_retries=0)
        lm(f"hello {uuid.uuid4()}")  # cached: DSPy writes the answer to its disk cache
    assert posts(seen)
    assert password not in repr(lm.history) and password not in json.dumps(lm.dump_state())
    cache_dir = Path(dspy.cache.disk_cache.directory)
    stored = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert stored, "DSPy wrote nothing to its disk cache"
    assert not any(password.encode() in p.read_bytes() for p in stored)


def test_several_deployments_share_the_calls():
    """LiteLLM's Router (least busy): while the first server holds a call, the next goes to the second."""
    with fake_openai_server("hang") as (busy, seen_busy), fake_openai_server("garbage") as (free, seen_free):
        lm = make_lm(f"openai/fake@{busy},openai/fake", api_base=free, cache=False, num_retries=0, structured="off")
        assert lm.model == "openai/fake" and lm.engine.deployments == (busy, free)
        first = threading.Thread(target=lm, args=("first",))
        first.start()
        deadline = time.monotonic() + 30
        while not posts(seen_busy) and time.monotonic() < deadline:
            time.sleep(0.05)
        lm("second")
        first.join()
    assert [json.loads(r["body"])["messages"][-1]["content"] for r in posts(seen_busy)] == ["first"]
    assert [json.loads(r["body"])["messages"][-1]["content"] for r in posts(seen_free)] == ["second"]
    assert all(json.loads(r["body"])["max_tokens"] == 2048 for r in posts(seen_busy + seen_free))
    assert CANARY not in json.dumps(seen_busy + seen_free)


def test_deployments_of_different_models_or_bad_urls_are_refused():
    with pytest.raises(LMError, match="one model"):
        make_lm("openai/a@http://127.0.0.1:1/v1,openai/b@http://127.0.0.1:2/v1")
    with pytest.raises(LMError, match="not an http"):
        make_lm("openai/a", api_base="127.0.0.1:8000")


def test_a_pickled_server_lm_keeps_no_key_or_address_and_refuses_calls(monkeypatch):
    monkeypatch.setenv("MY_SERVER_KEY", "server-key-four")
    lm = make_lm("openai/fake", api_base="http://127.0.0.1:9/v1", api_key_env="MY_SERVER_KEY")
    blob = pickle.dumps(lm)
    assert b"server-key-four" not in blob and b"127.0.0.1:9" not in blob
    with pytest.raises(LMError, match="without its server address"), lm_errors():
        pickle.loads(blob)("hello")
    saved = json.dumps(lm.dump_state())
    assert "server-key-four" not in saved and "127.0.0.1:9" not in saved


def test_hypothesis_lm_options_from_the_command_line():
    from hyperalign.cli import build_parser
    from hyperalign.cli.common import hypothesis_lm_options, lm_options

    args = build_parser().parse_args(["personalize", "-s", "f.txt", "-t", "Write.", "--lm", "openai/small", "--api-base",
                                      "http://127.0.0.1:9/v1", "--structured", "json", "--api-key-env", "MY_KEY",
                                      "--hypothesis-lm", "embedded"])
    assert lm_options(args)["structured"] == "json" and lm_options(args)["api_key_env"] == "MY_KEY"
    options = hypothesis_lm_options(args)
    assert options["model"] == "embedded" and options["api_base"] == ""
    assert make_lm(**options).model.startswith("embedded/")
    args.hypothesis_lm = "openai/big@http://127.0.0.1:8/v1"
    inferring = make_lm(**{**hypothesis_lm_options(args), "api_key_env": None})
    assert inferring.model == "openai/big" and inferring.engine.deployments == ("http://127.0.0.1:8/v1",)
    assert inferring.engine.structured == "json"


def test_the_structured_mode_is_part_of_the_lm_identity():
    from hyperalign.core.lm import lm_identity

    schema, off = (lm_identity(make_lm("openai/fake", api_base="http://127.0.0.1:9/v1", structured=mode)) for mode in ("schema", "off"))
    assert schema["model"] == off["model"] and schema != off  # cached hypotheses are not shared across modes
    assert "structured" not in lm_identity(make_lm("embedded"))


def test_commands_that_cannot_use_a_hypothesis_lm_refuse_it(capsys):
    assert main(["demo", "--hypothesis-lm", "embedded"]) == 2
    assert "this command does not use --hypothesis-lm" in capsys.readouterr().err


def test_a_deployment_that_failed_is_skipped_while_another_is_available():
    with fake_openai_server("rate-limit") as (failing, seen_failing), fake_openai_server("garbage") as (healthy, seen_healthy):
        lm = make_lm("openai/fake", api_base=f"{failing},{healthy}", cache=False, num_retries=0, structured="off")
        with pytest.raises(Exception):  # noqa: B017 - the 429 as DSPy reports it; what matters is where the next calls go
            lm("first")
        lm("second")
        lm("third")
    assert len(posts(seen_failing)) == 1 and len(posts(seen_healthy)) == 2
    assert sorted(lm.engine.routing.in_flight().values()) == [0, 0]  # every call counted back when it ended
