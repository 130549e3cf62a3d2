"""HyPerAlign: hypothesis inference chained with conditioned generation, hypotheses cached per user."""

from __future__ import annotations

import dspy

from hyperalign.core.hashing import cache_key
from hyperalign.core.lm import lm_identity
from hyperalign.programs.conditioned_generation import ConditionedGeneration
from hyperalign.programs.hypothesis_cache import HypothesisCache
from hyperalign.programs.hypothesis_inference import HypothesisInference
from hyperalign.programs.inputs import clean_attributes, clean_samples, clean_task


class HyPerAlign(dspy.Module):
    """samples (+ attributes) → hypotheses → text for the task, in the user's voice."""

    def __init__(
        self,
        inference: HypothesisInference | None = None,
        generation: ConditionedGeneration | None = None,
        cache: HypothesisCache | None = None,
    ):
        super().__init__()
        self.inference = inference or HypothesisInference()
        self.generation = generation or ConditionedGeneration()
        self.cache = cache if cache is not None else HypothesisCache()

    def infer_hypotheses(self, samples: list[str], attributes: dict[str, str] | None = None) -> tuple[list[dict], bool]:
        """Hypotheses for this user and whether they came from the cache (keyed by the texts,
        attributes, LM and the inference step's prompt state, so a compiled variant infers anew)."""
        samples, attributes = clean_samples(samples), clean_attributes(attributes)
        key = cache_key(samples, attributes, lm_identity(dspy.settings.lm), self.inference.infer.dump_state())
        result, cached = self.cache.get_or_compute(key, lambda: self.inference(samples=samples, attributes=attributes))
        if cached:
            self.inference.record_trace(result)
        return result.hypotheses, cached

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None,
                hypotheses: list[dict] | None = None) -> dspy.Prediction:
        """`hypotheses` given (e.g. a stored profile): no inference call, they are used as they are."""
        task = clean_task(task)
        if hypotheses is None:
            hypotheses, cached = self.infer_hypotheses(samples, attributes)
        else:
            hypotheses, cached = list(hypotheses), False
        out = self.generation(task=task, hypotheses=hypotheses, attributes=attributes)
        warnings = []
        if not any(h["grounded"] for h in hypotheses):
            warnings.append("no hypothesis is grounded in the user's texts; the text is not personalized by them")
        return dspy.Prediction(text=out.text, hypotheses=hypotheses, hypotheses_cached=cached, warnings=warnings)
