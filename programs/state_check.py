"""A saved program's JSON state, checked against an allow-list before anything of it is applied.

DSPy's `Predict.load_state` sets every key it finds as an attribute of the predictor, and a saved
`lm` decides which model is called (and where the user's texts go). A compiled program needs only
its demos and its prompt, so that is all a loaded file may hold: for each of the program's own
predictors, demos and the signature's instructions and field prefixes/descriptions. An LM, a
`config` (max_tokens, n, ...), any other key, a predictor the program does not have, or a missing
one is refused with an error naming the file and the key.

    state = json.loads(path.read_text())
    program.load_state(checked_state(state, program, str(path)))
"""

from __future__ import annotations

from typing import Any

import dspy

from hyperalign.core.errors import ProgramLoadError

PREDICTOR_KEYS = {"traces", "train", "demos", "signature", "lm", "fields"}
SIGNATURE_KEYS = {"instructions", "fields"}
FIELD_KEYS = {"prefix", "description"}


def checked_state(state: Any, program: dspy.Module, source: str) -> dict:
    """`state` if it holds only what `program`'s own predictors define; ProgramLoadError otherwise."""

    def refuse(where: str, what: str) -> ProgramLoadError:
        return ProgramLoadError(f"{source}: cannot load the program state: {where} {what} "
                                "(a saved program holds only demos and prompts)")

    if not isinstance(state, dict):
        raise refuse("the state", f"is a {type(state).__name__}, not an object")
    predictors = dict(program.named_predictors())
    for name in state:
        if name not in predictors and name != "metadata":
            raise refuse(repr(name), f"is not a part of the {type(program).__name__} program")
    for name, predictor in predictors.items():
        if name not in state:
            raise refuse(repr(name), "is missing")
        _check_predictor(state[name], predictor, lambda what, n=name: refuse(repr(n), what))
    metadata = state.get("metadata", {})
    if not isinstance(metadata, dict) or set(metadata) - {"dependency_versions"}:
        raise refuse("'metadata'", "holds more than dependency versions")
    return state


def _check_predictor(entry: Any, predictor: dspy.Predict, refuse) -> None:
    if not isinstance(entry, dict):
        raise refuse(f"is a {type(entry).__name__}, not an object")
    unknown = sorted(set(entry) - PREDICTOR_KEYS)
    if unknown:
        raise refuse(f"has unknown key(s) {', '.join(map(repr, unknown))}")
    if entry.get("lm") is not None:
        raise refuse("names an LM ('lm'): the caller chooses the LM, never a loaded file")
    for key in ("traces", "train", "demos"):
        if not isinstance(entry.get(key, []), list):
            raise refuse(f"'{key}' is not a list")
    if not all(isinstance(demo, dict) for demo in entry.get("demos", [])):
        raise refuse("has a demo that is not an object")
    if entry.get("fields", {}) != {} and not predictor.fields:
        raise refuse("has decision 'fields' this predictor does not use")
    signature = entry.get("signature")
    if not isinstance(signature, dict) or set(signature) - SIGNATURE_KEYS:
        raise refuse("'signature' holds more than instructions and fields")
    if not isinstance(signature.get("instructions", ""), str):
        raise refuse("'signature.instructions' is not text")
    fields = signature.get("fields", [])
    if not isinstance(fields, list) or len(fields) != len(predictor.signature.fields):
        raise refuse(f"'signature.fields' does not match the signature's {len(predictor.signature.fields)} fields")
    for field in fields:
        if not isinstance(field, dict) or set(field) - FIELD_KEYS or not all(isinstance(v, str) for v in field.values()):
            raise refuse("'signature.fields' holds more than a text prefix and description per field")
