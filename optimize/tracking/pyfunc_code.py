"""Entry point MLflow runs to build the pyfunc model ("models from code": nothing is pickled)."""

import mlflow.models

from hyperalign.optimize.tracking.pyfunc import CompiledProgramModel

mlflow.models.set_model(CompiledProgramModel())
