"""The compiled program as an MLflow pyfunc model: `mlflow.pyfunc.load_model` / `mlflow models serve`.

The model holds the compiled-program directory (program.json + manifest.json) as an artifact and
rebuilds the program from it, so no DSPy settings, LM objects or keys are pickled. It is logged
"from code" (optimize/tracking/pyfunc_code.py), so MLflow pickles nothing at all. The LM comes from
the serving environment (HYPERALIGN_LM, default the embedded one; keys from the provider's env vars)
and is loaded with the program in `load_context`, when the server starts, not in the first request.

Request rows: `samples` (list of texts), `task`, optional `attributes` (object) and `user_id`.
Answer rows: `text`, `hypotheses`, `warnings`, `error` (null, or one line saying what was wrong
with that row: the other rows are still answered) and the `user_id` sent.

    model = mlflow.pyfunc.load_model("models:/hyperalign-email@champion")
    [answer] = model.predict([{"samples": ["Hi all, ..."], "task": "Invite the team to lunch"}])
"""

from __future__ import annotations

import json
import logging
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import mlflow
import mlflow.pyfunc

from hyperalign.core.embedded import EmbeddedEngine
from hyperalign.core.embedded import warm_up as load_weights
from hyperalign.core.errors import HyperAlignError
from hyperalign.core.lm import lm_context, make_lm
from hyperalign.optimize.tracking.requests import (
    FIELDS,
    ID_FIELD,
    USER_ID,
    RowError,
    program_arguments,
    row_id,
    rows_of,
)
from hyperalign.programs.storage import load_program_dir, read_manifest

PROGRAM_ARTIFACT = "program"
CODE_FILE = Path(__file__).with_name("pyfunc_code.py")
DEFAULT_FIELDS = ("samples", "task", "attributes")
log = logging.getLogger("hyperalign.serving")


def signature(input_fields: tuple[str, ...] = DEFAULT_FIELDS):
    """The request fields by name (typed `any`: the model checks each row itself, so one bad row
    does not fail a whole request as MLflow's type check would) and the answer's typed fields."""
    # Imported here: heavy: MLflow (~1 s) loads only when a store or model is used.
    from mlflow.models import ModelSignature
    from mlflow.types.schema import (
        AnyType,
        Array,
        ColSpec,
        DataType,
        Object,
        Property,
        Schema,
    )

    inputs = [ColSpec(AnyType(), name, required=FIELDS[name].required if name in FIELDS else False) for name in input_fields]
    inputs.append(ColSpec(AnyType(), USER_ID, required=ID_FIELD.required))
    evidence = Object([Property("quote", DataType.string), Property("grounded", DataType.boolean)])
    hypothesis = Object([
        Property("category", DataType.string), Property("statement", DataType.string),
        Property("evidence", Array(evidence)), Property("grounded", DataType.boolean),
    ])
    outputs = [
        ColSpec(DataType.string, "text", required=False),
        ColSpec(Array(hypothesis), "hypotheses", required=False),
        ColSpec(Array(DataType.string), "warnings", required=False),
        ColSpec(DataType.boolean, "hypotheses_cached", required=False),
        ColSpec(DataType.string, "error", required=False),
        ColSpec(DataType.string, USER_ID, required=False),
    ]
    return ModelSignature(inputs=Schema(inputs), outputs=Schema(outputs))


def jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def warm_up(lm) -> None:
    """Load the embedded model's weights now (a server start), not in the first request."""
    if isinstance(getattr(lm, "engine", None), EmbeddedEngine):
        load_weights()


class CompiledProgramModel(mlflow.pyfunc.PythonModel):
    """Calls the compiled program once per request row under the serving environment's LM."""

    def load_context(self, context) -> None:
        started = time.perf_counter()
        self.program = load_program_dir(context.artifacts[PROGRAM_ARTIFACT])
        self.input_fields = tuple(self.program.manifest.get("input_fields", DEFAULT_FIELDS))
        self.lm = make_lm()
        warm_up(self.lm)
        # The server's log (stderr) says the program and LM are ready before the first request.
        print(f"hyperalign: program '{self.program.manifest.get('program')}' and LM {self.lm.model} loaded "
              f"in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    def predict(self, context, model_input, params: dict | None = None) -> list[dict]:
        # dspy.context per request (inside lm_context): the server calls predict from worker threads.
        with lm_context(self.lm):
            return [self.answer(number, row) for number, row in enumerate(rows_of(model_input), start=1)]

    def answer(self, number: int, row: Any) -> dict:
        """One row's answer; a problem with the row (or the LM) becomes this row's `error`."""
        out: dict[str, Any] = {"text": None, "hypotheses": [], "warnings": [], "error": None, USER_ID: None}
        try:
            if not isinstance(row, dict):
                raise RowError(f"each row is an object of fields, got {type(row).__name__}")
            out[USER_ID] = row_id(row)
            prediction = self.program(**program_arguments(row, self.input_fields))
        except (RowError, HyperAlignError) as exc:
            out["error"] = f"row {number}: {exc}"
            return out
        except Exception as exc:  # a bug, not the client's fault: logged with its traceback, answered in one line
            log.exception("row %d failed", number)
            out["error"] = f"row {number}: internal error ({type(exc).__name__}); the server log has the details"
            return out
        out.update({key: jsonable(value) for key, value in prediction.items()})
        return out


def log_pyfunc(program_dir: Path, registered_name: str, pip_requirements: list[str]) -> str:
    """Log the program directory as a pyfunc model (from code: nothing pickled) with its signature;
    return the registered version."""
    fields = tuple(read_manifest(Path(program_dir)).get("input_fields", DEFAULT_FIELDS))
    with warnings.catch_warnings():  # the signature is given explicitly (predict has no type hints)
        warnings.filterwarnings("ignore", message=".*type hints to the `predict` method.*")
        warnings.filterwarnings("ignore", message=".*input example was not provided.*")
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(CODE_FILE),
            artifacts={PROGRAM_ARTIFACT: str(program_dir)},
            registered_model_name=registered_name,
            pip_requirements=pip_requirements,
            signature=signature(fields),
        )
    return str(info.registered_model_version)
