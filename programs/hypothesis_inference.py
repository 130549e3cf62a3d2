"""Step 1 of HyPerAlign: infer explicit, evidence-grounded hypotheses about a user from their texts."""

from __future__ import annotations

import re
from typing import Literal

import dspy
from hyperalign.core.embedded import grammar_safe_pieces
from hyperalign.programs.evidence import ground_hypotheses, normalize
from hyperalign.programs.inputs import clean_attributes, clean_samples, fit_texts
from hyperalign.signatures.hypotheses import Hypothesis, InferHypotheses
from pydantic import BaseModel, Field, RootModel, create_model

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_QUOTE_CHARS = 120
MAX_QUOTE_CHOICES = 80


def quote_choices(texts: list[str]) -> list[str]:
    """Verbatim passages (sentences, cut to a short length) a hypothesis may cite."""
    choices: list[str] = []
    for text in texts:
        # Choices become grammar literals: cut at every character llama.cpp's grammar cannot hold
        # (quotes, backslashes, control characters, emoji...), so each piece stays verbatim.
        pieces = (piece for sentence in _SENTENCE_END.split(text) for piece in grammar_safe_pieces(sentence))
        for sentence in pieces:
            sentence = sentence.strip()
            if len(sentence) < 3:
                continue
            if len(sentence) > MAX_QUOTE_CHARS:
                sentence = sentence[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
            if sentence not in choices:
                choices.append(sentence)
    return choices[:MAX_QUOTE_CHOICES]


def hypothesis_type(signature: type[dspy.Signature]) -> type[BaseModel]:
    """The item model of the signature's `hypotheses` output (a sibling of Hypothesis may bring its
    own categories), or Hypothesis when the field is not a root model of items."""
    annotation = signature.output_fields["hypotheses"].annotation
    root = getattr(annotation, "model_fields", {}).get("root")
    args = getattr(root.annotation, "__args__", ()) if root is not None else ()
    return args[0] if args and isinstance(args[0], type) and issubclass(args[0], BaseModel) else Hypothesis


def quote_constrained(signature: type[dspy.Signature], choices: list[str]) -> type[dspy.Signature]:
    """The same signature, but evidence must be one of the given passages. Under a decoding grammar
    (the embedded LM) this makes every quote verbatim by construction."""
    item = hypothesis_type(signature)
    constrained = create_model(
        item.__name__,
        __base__=item,
        __doc__=item.__doc__,
        evidence=(list[Literal[tuple(choices)]], Field(min_length=1, max_length=3, description="quotes copied from the texts")),
    )
    # Keep the signature's own list bounds (e.g. 3..7) rather than restating them here.
    annotation = signature.output_fields["hypotheses"].annotation
    bounds = getattr(annotation, "model_fields", {}).get("root") or Field(min_length=3, max_length=7)
    bounded = create_model("Hypotheses", __base__=RootModel[list[constrained]], root=(list[constrained], bounds))
    return signature.with_updated_fields("hypotheses", type_=bounded)


def wants_constrained_quotes() -> bool:
    """Engines that decode under a grammar (the embedded LM) say so; their quotes are then picked
    from the texts' own sentences instead of typed out, which a small model gets wrong."""
    lm = dspy.settings.lm
    return bool(getattr(getattr(lm, "engine", None), "prefers_constrained_quotes", False))


def unique(hypotheses: list[dict]) -> list[dict]:
    """Drop repeated statements (small models at temperature 0 loop on one hypothesis)."""
    seen, kept = set(), []
    for hyp in hypotheses:
        key = normalize(hyp.get("statement", ""))
        if key not in seen:
            seen.add(key)
            kept.append(hyp)
    return kept


class HypothesisInference(dspy.Module):
    """Texts (+ optional attributes) → hypotheses, each marked grounded when a quote really occurs."""

    def __init__(
        self,
        signature: type[dspy.Signature] = InferHypotheses,
        max_texts: int = 8,
        max_chars_per_text: int = 1500,
        constrain_quotes: bool | None = None,
    ):
        super().__init__()
        self.infer = dspy.Predict(signature)
        self.max_texts = max_texts
        self.max_chars_per_text = max_chars_per_text
        self.constrain_quotes = constrain_quotes

    def forward(self, samples: list[str], attributes: dict[str, str] | None = None) -> dspy.Prediction:
        texts = clean_samples(samples)
        shown = fit_texts(texts, self.max_texts, self.max_chars_per_text)
        call = {"texts": shown, "attributes": clean_attributes(attributes)}
        if self.constrain_quotes or (self.constrain_quotes is None and wants_constrained_quotes()):
            call["signature"] = quote_constrained(self.infer.signature, quote_choices(shown))
        pred = self.infer(**call)
        items = pred.hypotheses.root if isinstance(pred.hypotheses, RootModel) else pred.hypotheses
        raw = [h.model_dump() if isinstance(h, BaseModel) else dict(h) for h in items]
        call.pop("signature", None)
        return dspy.Prediction(hypotheses=ground_hypotheses(unique(raw), texts), trace_entry=(call, pred))

    def record_trace(self, result: dspy.Prediction) -> None:
        """Replay a cached inference into the active trace, as `dspy.Predict` records a live call, so
        optimizers still see the inference step when its result comes from the cache."""
        trace = dspy.settings.trace
        if trace is None or dspy.settings.max_trace_size <= 0:
            return
        if len(trace) >= dspy.settings.max_trace_size:
            trace.pop(0)
        inputs, pred = result.trace_entry
        trace.append((self.infer, dict(inputs), pred))
