"""The compiled program as an MLflow pyfunc model: `mlflow.pyfunc.load_model` / `mlflow models serve`.

The model holds the compiled-program directory (program.json + manifest.json) as an artifact and
rebuilds the program from it, so no DSPy settings, LM objects or keys are pickled. It is logged
"from code" (optimize/tracking/pyfunc_code.py), so MLflow pickles nothing at all. The LM comes from the
serving environment (HYPERALIGN_LM, default the embedded one; keys from the provider's env vars).
Input: rows with `samples` (list of texts), `task`, `attributes` (optional mapping). Output: one
dict per row with `text` and `hypotheses` (and any other JSON-friendly field the program returns).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import mlflow
import mlflow.pyfunc

from hyperalign.core.lm import lm_context, make_lm

PROGRAM_ARTIFACT = "program"
CODE_FILE = Path(__file__).with_name("pyfunc_code.py")


def rows_of(model_input: Any) -> list[dict]:
    """Rows from a DataFrame, a list of dicts or a single dict."""
    if hasattr(model_input, "to_dict"):
        return model_input.to_dict(orient="records")
    if isinstance(model_input, dict):
        return [model_input]
    return list(model_input)


def jsonable(value: Any) -> Any:
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


class CompiledProgramModel(mlflow.pyfunc.PythonModel):
    """Calls the compiled program once per input row under the serving environment's LM."""

    def load_context(self, context) -> None:
        from hyperalign.loading import load_program_dir

        self.program = load_program_dir(context.artifacts[PROGRAM_ARTIFACT])
        self.input_fields = tuple(self.program.manifest.get("input_fields", ("samples", "task", "attributes")))
        self.lm = None

    def predict(self, context, model_input, params: dict | None = None) -> list[dict]:
        if self.lm is None:
            self.lm = make_lm()
        outputs = []
        with lm_context(self.lm):
            for row in rows_of(model_input):
                kwargs = {name: _plain(row[name]) for name in self.input_fields if name in row and row[name] is not None}
                prediction = self.program(**kwargs)
                outputs.append({key: jsonable(value) for key, value in prediction.items()})
        return outputs


def _plain(value: Any) -> Any:
    """numpy arrays (what a DataFrame column of lists holds after JSON parsing) back to lists."""
    return value.tolist() if hasattr(value, "tolist") else value


def log_pyfunc(program_dir: Path, registered_name: str, pip_requirements: list[str]) -> str:
    """Log the program directory as a pyfunc model (from code: nothing pickled); return its version."""
    with warnings.catch_warnings():  # the rows are free-form (lists, mappings): no typed signature
        warnings.filterwarnings("ignore", message=".*type hints to the `predict` method.*")
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(CODE_FILE),
            artifacts={PROGRAM_ARTIFACT: str(program_dir)},
            registered_model_name=registered_name,
            pip_requirements=pip_requirements,
        )
    return str(info.registered_model_version)
