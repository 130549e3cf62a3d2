"""hyperalign.load: compiled-program directories, registry URIs, and refusal of pickles."""

from __future__ import annotations

import dspy
import pytest
from dspy.utils import DummyLM

import hyperalign
from hyperalign.core.errors import ProgramLoadError, StoreError
from hyperalign.loading import load, parse_models_uri
from hyperalign.programs import HyPerAlign, ZeroShot
from hyperalign.programs.storage import save_program_dir

DEMO = {"task": "Write an email moving the meeting.", "text": "Meeting moves to Friday. Same room.\nD."}


def compiled_dir(tmp_path, program=None, name="hyperalign", **manifest):
    """A program directory as compile writes it, with one demonstration in the generation step."""
    program = program or HyPerAlign()
    predictor = program.generation.write if isinstance(program, HyPerAlign) else program.write
    predictor.demos = [dspy.Example(**DEMO)]
    directory = tmp_path / "compiled"
    save_program_dir(program, {"program": name, "domain": "email", **manifest}, directory)
    return directory


def test_loads_directory_without_pickle_and_keeps_demos(tmp_path):
    directory = compiled_dir(tmp_path, scores={"val_after": 40.0})
    assert sorted(p.name for p in directory.iterdir()) == ["manifest.json", "program.json"]

    program = hyperalign.load(directory)
    assert isinstance(program, HyPerAlign)
    assert [d["text"] for d in program.generation.write.demos] == [DEMO["text"]]
    assert program.manifest["scores"] == {"val_after": 40.0}
    # The state file itself is accepted as a reference too.
    assert isinstance(load(directory / "program.json"), HyPerAlign)


def test_loaded_program_is_ready_to_call(tmp_path):
    program = load(compiled_dir(tmp_path, program=ZeroShot(), name="zero-shot"))
    lm = DummyLM([{"text": "Shift swap? Saturday. Thanks.\nD."}])
    with dspy.context(lm=lm):
        prediction = program(samples=["A text."], task="Ask a colleague to cover Saturday.")
    assert prediction.text == "Shift swap? Saturday. Thanks.\nD."
    # The loaded demonstration is part of the prompt the LM saw.
    assert DEMO["text"] in "\n".join(m["content"] for m in lm.history[-1]["messages"])


def test_missing_or_broken_directories_are_named(tmp_path):
    with pytest.raises(ProgramLoadError, match="no such compiled-program directory"):
        load(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProgramLoadError, match="not a compiled hyperalign program"):
        load(tmp_path / "empty")

    directory = compiled_dir(tmp_path)
    (directory / "manifest.json").write_text('{"program": "no-such-program"}', encoding="utf-8")
    with pytest.raises(ProgramLoadError, match="unknown program 'no-such-program'"):
        load(directory)
    (directory / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ProgramLoadError, match="unreadable manifest"):
        load(directory)
    (directory / "manifest.json").write_text('{"program": "hyperalign"}', encoding="utf-8")
    (directory / "program.json").write_text('{"generation.write": 3}', encoding="utf-8")
    with pytest.raises(ProgramLoadError, match="cannot load the program state"):
        load(directory)


def test_pickled_program_refused_unless_opted_in(tmp_path):
    program = ZeroShot()
    program.write.demos = [dspy.Example(**DEMO)]
    program.save(str(tmp_path / "pickled"), save_program=True)

    with pytest.raises(ProgramLoadError, match="allow_pickle=True"):
        load(tmp_path / "pickled")
    loaded = load(tmp_path / "pickled", allow_pickle=True)
    assert isinstance(loaded, ZeroShot)
    assert loaded.write.demos[0]["text"] == DEMO["text"]


def test_models_uri_forms_and_unknown_model(tmp_path):
    assert parse_models_uri("models:/hyperalign-email/3") == ("hyperalign-email", "3", None)
    assert parse_models_uri("models:/hyperalign-email@champion") == ("hyperalign-email", None, "champion")
    with pytest.raises(ProgramLoadError, match="models:/NAME/VERSION"):
        parse_models_uri("models:/justaname")
    with pytest.raises(StoreError, match="no MLflow store there"):  # reading never creates a store
        load("models:/hyperalign-nothing@champion", tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    assert not (tmp_path / "mlflow.db").exists()
    from hyperalign.optimize.tracking.preflight import check_store

    uri = check_store(f"sqlite:///{tmp_path / 'mlflow.db'}", write=True)  # an empty store: the model is missing
    with pytest.raises(ProgramLoadError, match="not found in the MLflow registry"):
        load("models:/hyperalign-nothing@champion", tracking_uri=uri)


def test_pickled_mlflow_model_refused_unless_opted_in(tmp_path):
    import mlflow

    from hyperalign.optimize.tracking.store import experiment_id, use_store

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    with use_store(uri), mlflow.start_run(experiment_id=experiment_id(mlflow.MlflowClient(uri, uri), "pickles")):
        mlflow.dspy.log_model(ZeroShot(), name="model", registered_model_name="hyperalign-pickles")

    with pytest.raises(ProgramLoadError, match="pickled program"):
        load("models:/hyperalign-pickles/1", tracking_uri=uri)
    loaded = load("models:/hyperalign-pickles/1", tracking_uri=uri, allow_pickle=True)
    assert isinstance(loaded, ZeroShot)
