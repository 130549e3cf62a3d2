"""Case 2: a loaded program.json is not trusted. Only what the program's own predictors define
(demos, instructions, field prefixes/descriptions) loads; an LM, a config or any unknown key is
refused with a clear error; `load(parent_dir)` does not search subfolders."""

from __future__ import annotations

import json

import pytest

from hyperalign import load
from hyperalign.core.errors import ProgramLoadError
from hyperalign.programs import HyPerAlign
from hyperalign.programs.storage import MANIFEST_FILE, PROGRAM_FILE


def save_program(directory, edit=None):
    directory.mkdir(parents=True)
    HyPerAlign().save(str(directory / PROGRAM_FILE))
    state = json.loads((directory / PROGRAM_FILE).read_text())
    if edit:
        edit(state)
    (directory / PROGRAM_FILE).write_text(json.dumps(state))
    (directory / MANIFEST_FILE).write_text(json.dumps({"format": 1, "program": "hyperalign", "domain": "email"}))
    return directory


def test_untouched_program_loads(tmp_path):
    program = load(save_program(tmp_path / "p"))
    assert isinstance(program, HyPerAlign)


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda s: s["inference.infer"].update(lm={"model": "ollama_chat/llama3"}), "LM"),
        (lambda s: s["inference.infer"].update(lm={"model": "openai/gpt-4o", "api_base": "http://evil"}), "LM"),
        (lambda s: s["generation.write"].update(config={"max_tokens": 7, "n": 3}), "'config'"),
        (lambda s: s["generation.write"].update(callbacks=["x"]), "'callbacks'"),
        (lambda s: s.update({"extra.predictor": {"demos": []}}), "'extra.predictor'"),
        (lambda s: s["inference.infer"]["signature"].update(model="x"), "signature"),
        (lambda s: s["inference.infer"]["signature"]["fields"][0].update(lm="x"), "field"),
        (lambda s: s["inference.infer"].update(demos="not a list"), "'demos'"),
        (lambda s: s.pop("generation.write"), "missing"),
        (lambda s: s["metadata"].update(lm="openai/x"), "metadata"),
    ],
)
def test_tampered_state_is_refused(tmp_path, edit, fragment):
    directory = save_program(tmp_path / "p", edit)
    with pytest.raises(ProgramLoadError) as info:
        load(directory)
    assert fragment in str(info.value) and str(directory / PROGRAM_FILE) in str(info.value)


def test_no_lm_is_applied_even_if_a_check_were_bypassed(tmp_path):
    """The loaded predictors carry no LM and no config: the caller's LM is what runs."""
    program = load(save_program(tmp_path / "p"))
    for _, predictor in program.named_predictors():
        assert predictor.lm is None
        assert not predictor.config


def test_parent_folder_is_not_searched(tmp_path):
    """Before: load(parent) found tmp/parent/unrelated/nested/manifest.json via rglob and loaded it."""
    save_program(tmp_path / "parent" / "unrelated" / "nested")
    with pytest.raises(ProgramLoadError, match="not a compiled"):
        load(tmp_path / "parent")
