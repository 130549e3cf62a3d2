"""HyPerAlign: hypothesis inference chained with conditioned generation, hypotheses cached per user.

Only valid hypotheses condition the text (a claim about the writer, distinct, grounded, not
contradicted by the measured habits); the result keeps the dropped ones with their reasons and warns
when fewer than three remain.
"""

from __future__ import annotations

from collections.abc import Iterable

import dspy

from hyperalign.core.hashing import cache_key
from hyperalign.core.lm import lm_identity
from hyperalign.programs.checks.hypotheses import check_hypotheses
from hyperalign.programs.conditioned_generation import ConditionedGeneration, usable
from hyperalign.programs.hypothesis_cache import HypothesisCache
from hyperalign.programs.hypothesis_inference import MIN_VALID, HypothesisInference
from hyperalign.programs.inputs import clean_attributes, clean_samples, clean_task


def dropped(hypotheses: list[dict]) -> list[dict]:
    """The hypotheses left out of conditioning, each with its category, statement and reason."""
    return [{"category": h.get("category"), "statement": h.get("statement"), "reason": h.get("reason", "ungrounded")}
            for h in hypotheses if not usable(h)]


def hypothesis_warnings(hypotheses: list[dict]) -> list[str]:
    """Warnings about the hypotheses a text is conditioned on (none when three or more are valid)."""
    flagged = [flag for h in hypotheses for flag in h.get("flags", [])]
    if flagged:  # an injection quoted as evidence: say so, whatever else is said
        return [f"hypothesis evidence {flagged[0]}", *hypothesis_warnings([{**h, "flags": []} for h in hypotheses])]
    valid = sum(usable(h) for h in hypotheses)
    if valid == 0:
        return ["no valid hypothesis about the user: the text is not personalized by hypotheses"]
    if valid < MIN_VALID:
        return [f"only {valid} valid hypothes{'is' if valid == 1 else 'es'} about the user (fewer than {MIN_VALID}): "
                "the text is personalized by less than usual"]
    return []


class HyPerAlign(dspy.Module):
    """samples (+ attributes) → checked hypotheses → text for the task, in the user's voice.

        program = HyPerAlign()
        pred = program(samples=user_texts, task="Ask a colleague to cover Saturday")
        pred.text, pred.hypotheses, pred.dropped, pred.warnings
    """

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

    def infer_hypotheses(
        self, samples: list[str], attributes: dict[str, str] | None = None, rejected: Iterable[str] | None = None
    ) -> tuple[list[dict], bool]:
        """Checked hypotheses for this user (valid first, then the dropped ones with their reason) and
        whether they came from the cache (keyed by the texts, attributes, rejected statements, LM and
        the inference step's prompt state, so a compiled variant infers anew)."""
        samples, attributes = clean_samples(samples), clean_attributes(attributes)
        rejected = sorted({r.strip() for r in rejected or [] if isinstance(r, str) and r.strip()})
        key = cache_key(samples, attributes, rejected, lm_identity(dspy.settings.lm), self.inference.infer.dump_state())
        result, cached = self.cache.get_or_compute(
            key, lambda: self.inference(samples=samples, attributes=attributes, rejected=rejected)
        )
        if cached:
            self.inference.record_trace(result)
        return result.hypotheses, cached

    def forward(
        self,
        samples: list[str],
        task: str,
        attributes: dict[str, str] | None = None,
        hypotheses: list[dict] | None = None,
        rejected: Iterable[str] | None = None,
    ) -> dspy.Prediction:
        """`hypotheses` given (e.g. a stored profile): no inference call; they are checked against the
        samples all the same. `rejected`: statements the user turned down, never used."""
        task = clean_task(task)
        rejected = [r for r in rejected or [] if isinstance(r, str) and r.strip()]
        if hypotheses is None:
            hypotheses, cached = self.infer_hypotheses(samples, attributes, rejected)
        else:
            hypotheses, cached = list(hypotheses), False
            texts = [s for s in samples or [] if isinstance(s, str) and s.strip()]
            if texts:
                hypotheses = check_hypotheses([_unchecked(h) for h in hypotheses], clean_samples(texts), rejected)
        out = self.generation(task=task, hypotheses=hypotheses, attributes=attributes, samples=samples)
        warnings = hypothesis_warnings(hypotheses)
        if out.get("problems"):
            warnings.append("the text still fails a check after regenerating: " + "; ".join(out.problems))
        return dspy.Prediction(
            text=out.text, hypotheses=hypotheses, dropped=dropped(hypotheses), hypotheses_cached=cached,
            warnings=warnings, problems=list(out.get("problems") or []), regenerated=bool(out.get("regenerated")),
            edits=list(out.get("edits") or []),
        )


def _unchecked(hypothesis: dict) -> dict:
    """A hypothesis without an earlier verdict, so it is checked afresh (its grounding is kept)."""
    return {k: v for k, v in hypothesis.items() if k not in ("valid", "reason", "habits")}
