"""LM set-up: model strings, environment, adapters, per-context LMs, error translation."""

import json
import threading

import pytest
from dspy.utils import DummyLM

from hyperalign.core.compact_adapter import CompactJSONAdapter
from hyperalign.core.errors import InputError, LMError
from hyperalign.core.lm import adapter_for, lm_context, make_lm
from hyperalign.core.lm_errors import lm_errors
from hyperalign.programs import HyPerAlign, ZeroShot


def test_embedded_is_the_default_and_uses_the_compact_json_adapter(monkeypatch):
    monkeypatch.delenv("HYPERALIGN_LM", raising=False)
    lm = make_lm()
    assert lm.model.startswith("embedded/")
    assert isinstance(adapter_for(lm), CompactJSONAdapter)


def test_model_api_base_and_temperature_from_the_environment(monkeypatch):
    monkeypatch.setenv("HYPERALIGN_LM", "openai/my-served-model")
    monkeypatch.setenv("HYPERALIGN_API_BASE", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("HYPERALIGN_TEMPERATURE", "0.3")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    lm = make_lm()
    assert lm.model == "openai/my-served-model"
    assert lm.kwargs["temperature"] == 0.3
    assert lm.engine.deployments == ("http://127.0.0.1:9/v1",)
    # A server people run themselves gets the output's schema (auto), hence the compact JSON prompt.
    assert lm.engine.structured == "schema" and isinstance(adapter_for(lm), CompactJSONAdapter)


def test_bad_temperature_is_an_lm_error_and_an_unknown_provider_an_input_error(monkeypatch):
    monkeypatch.setenv("HYPERALIGN_TEMPERATURE", "warm")
    with pytest.raises(LMError, match="HYPERALIGN_TEMPERATURE"):
        make_lm("embedded")
    monkeypatch.delenv("HYPERALIGN_TEMPERATURE")
    with pytest.raises(InputError, match="unknown LM provider 'madeup'"):  # the user's model string (exit 2)
        make_lm("madeup/model")


def test_a_key_from_the_environment_never_enters_a_saved_program(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-canary-0123456789-abcdefghij")
    program = HyPerAlign()
    program.inference.infer.lm = make_lm("openai/gpt-4o-mini")  # a per-predictor LM is saved with the state
    program.save(str(tmp_path / "program.json"))
    saved = (tmp_path / "program.json").read_text()
    assert "gpt-4o-mini" in saved and "sk-canary" not in saved
    json.loads(saved)


def test_each_thread_can_use_its_own_lm():
    results = {}

    def worker(name):
        with lm_context(DummyLM([{"text": f"from {name}"}] * 3)):
            results[name] = ZeroShot()(samples=["x"], task="Write.").text

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("alpha", "beta", "gamma")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {"alpha": "from alpha", "beta": "from beta", "gamma": "from gamma"}


def test_unparseable_answer_becomes_one_lm_error():
    with lm_context(DummyLM([{"wrong_field": "x"}] * 5)), pytest.raises(LMError, match="could not be parsed"):
        with lm_errors():
            ZeroShot()(samples=["x"], task="Write.")
