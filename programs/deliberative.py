"""Deliberative alignment for one user: hypotheses about their intent, expertise and needs (from their
attributes and earlier requests), then a decision under a safety specification, with the clauses that
apply, the decision and the response, so a reviewer can audit every answer.

The user's requests and attributes only ever reach the LM as input fields (data); the instructions
are the signatures' docstrings, and the specification is its own input field, which a user of the
library can replace but the user being answered cannot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import dspy
from pydantic import Field, RootModel, create_model

from hyperalign.core.hashing import cache_key
from hyperalign.core.lm import lm_identity
from hyperalign.core.lm_errors import lm_errors
from hyperalign.programs.hypothesis_cache import HypothesisCache
from hyperalign.programs.hypothesis_inference import (
    HypothesisInference,
    wants_constrained_quotes,
)
from hyperalign.programs.inputs import clean_attributes, clean_samples, clean_task
from hyperalign.programs.safety_spec import SafetySpec, load_spec
from hyperalign.signatures.deliberation import DeliberateForUser, InferUserNeeds

SPEC_STATE_KEY = "safety_spec"


def clause_constrained(signature: type[dspy.Signature], spec: SafetySpec) -> type[dspy.Signature]:
    """The same signature with `clauses` limited to the spec's IDs (1 to 4 of them): under a decoding
    grammar (the embedded LM) every cited clause then exists by construction."""
    ids = Literal[tuple(spec.clauses)]
    # A root model, so the item bounds reach the JSON schema (field metadata does not).
    clauses = create_model("Clauses", __base__=RootModel[list[ids]], root=(list[ids], Field(min_length=1, max_length=4)))
    return signature.with_updated_fields("clauses", type_=clauses)


def decide(predictor: dspy.Predict, spec: SafetySpec, **inputs) -> dict:
    """Run a decision predictor over the spec; the result carries only clauses the spec defines."""
    call = {"policy": spec.as_lines(), **inputs}
    if wants_constrained_quotes():
        call["signature"] = clause_constrained(predictor.signature, spec)
    with lm_errors():  # e.g. a decision outside comply/partial/decline becomes a one-line LMError
        pred = predictor(**call)
    return dict(
        text=pred.response.strip(),
        clauses=spec.known(pred.clauses.root if isinstance(pred.clauses, RootModel) else pred.clauses),
        decision=pred.decision,
        rationale=pred.rationale.strip(),
    )


class SpecState:
    """Saves the specification with the program state, so a loaded program follows the same policy."""

    spec: SafetySpec

    def dump_state(self, json_mode: bool = True) -> dict:
        state = super().dump_state(json_mode=json_mode)
        state[SPEC_STATE_KEY] = {"clauses": dict(self.spec.clauses), "source": self.spec.source}
        return state

    def load_state(self, state: dict, **kwargs):
        state = dict(state)
        saved = state.pop(SPEC_STATE_KEY, None)
        result = super().load_state(state, **kwargs)
        if saved:
            self.spec = SafetySpec(dict(saved["clauses"]), saved.get("source", "saved"))
        return result


class Deliberative(SpecState, dspy.Module):
    """earlier requests + attributes → hypotheses → clauses, decision and response under the spec."""

    def __init__(
        self,
        spec: SafetySpec | str | Path | None = None,
        inference: HypothesisInference | None = None,
        cache: HypothesisCache | None = None,
    ):
        super().__init__()
        self.spec = load_spec(spec)
        self.inference = inference or HypothesisInference(signature=InferUserNeeds)
        self.deliberate = dspy.Predict(DeliberateForUser)
        self.cache = cache if cache is not None else HypothesisCache()

    def infer_hypotheses(self, samples: list[str], attributes: dict[str, str] | None = None) -> tuple[list[dict], bool]:
        """Hypotheses about the user and whether they came from the cache (the call protocol of every
        program that infers hypotheses), inferred once per user (and LM, and inference prompt state).
        A user with no earlier requests has none."""
        attributes = clean_attributes(attributes)
        if not any(isinstance(s, str) and s.strip() for s in samples or []):
            return [], False
        samples = clean_samples(samples)
        key = cache_key("deliberative", samples, attributes, lm_identity(dspy.settings.lm), self.inference.infer.dump_state())
        result, cached = self.cache.get_or_compute(key, lambda: self.inference(samples=samples, attributes=attributes))
        if cached:
            self.inference.record_trace(result)
        return result.hypotheses, cached

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None) -> dspy.Prediction:
        task, attributes = clean_task(task), clean_attributes(attributes)
        hypotheses, _ = self.infer_hypotheses(samples, attributes)
        # Ungrounded hypotheses quote nothing the user wrote: they are left out of the deliberation.
        statements = [f"{h['category']}: {h['statement']}" for h in hypotheses if h.get("grounded", True)]
        out = decide(self.deliberate, self.spec, request=task, hypotheses=statements, attributes=attributes)
        return dspy.Prediction(**out, hypotheses=hypotheses)
