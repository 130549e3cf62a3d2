"""The stylometric judge: no LM, deterministic, fast. A writer's profile from their texts (hashed
character and word n-grams, interpretable style features); a score for how close a text is to one
user relative to other writers; the features where it is furthest, in words; validation as an
authorship attributor."""

from hyperalign.optimize.stylometry.attribution import attribute
from hyperalign.optimize.stylometry.features import FEATURES, Feature, style_vector
from hyperalign.optimize.stylometry.judge import StylometricJudge, stylometric_score
from hyperalign.optimize.stylometry.methods import BASELINE_METHOD, DOMAIN_METHODS, JUDGE_METHOD, METHODS, method_for
from hyperalign.optimize.stylometry.validation import (
    ValidationReport,
    validate,
    validate_baseline,
)

__all__ = [
    "BASELINE_METHOD",
    "DOMAIN_METHODS",
    "FEATURES",
    "JUDGE_METHOD",
    "METHODS",
    "Feature",
    "StylometricJudge",
    "ValidationReport",
    "attribute",
    "method_for",
    "style_vector",
    "stylometric_score",
    "validate",
    "validate_baseline",
]
