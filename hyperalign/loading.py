"""`hyperalign.load(ref)`: a compiled program in an app, from a directory (hyperalign.programs.storage)
or the MLflow registry (hyperalign.optimize.tracking.registry). A thin facade over both."""

from hyperalign.optimize.program_ref import load
from hyperalign.optimize.tracking.registry import parse_models_uri

__all__ = ["load", "parse_models_uri"]
