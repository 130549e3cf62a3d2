"""The shapes a hypothesis answer may take under a decoding grammar (the embedded LM).

A grammar makes the small model's answer valid by construction where it can: evidence is picked from
the texts' own sentences (so every quote is verbatim), and with `slot_constrained` each answer slot
has a fixed category and a statement that must open with a third-person stem ("The writer comes
across as ...") and end in one of the stem's choices (the signature's CHOICES: "confident and
direct", ...), or, for a stem without choices, in plain words only (no quote marks, digits or
question marks), so a statement can neither be a question nor open as the user's own sentence. One
style slot may only name a habit measured in the texts ("The writer writes short sentences."), so
what it says is supported by the measurements by construction.
"""

from __future__ import annotations

import re
from typing import Literal

import dspy
from pydantic import BaseModel, Field, RootModel, create_model

from hyperalign.core.embedded import grammar_safe_pieces
from hyperalign.signatures.hypotheses import Hypothesis

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
MAX_QUOTE_CHARS = 120
MAX_QUOTE_CHOICES = 80
# A passage this short ("jay", "Thanks,", "D.") says nothing about the writer (measured: the embedded LM
# cited the demo writer's one-word signature as evidence for three hypotheses). Shorter passages are
# offered only when a text has nothing longer.
MIN_QUOTE_WORDS = 3
# What may follow a stem: a lower-case word, then plain words and light punctuation, ending in a full
# stop. The bounds stop the model from running on (a bare maxLength did not bound it: measured).
# `[.]` not `\.`: llama-cpp-python 0.3.36 writes `\.` into the grammar, which llama.cpp cannot parse.
STATEMENT_TAIL = r" [a-z][a-zA-Z ,'-]{8,90}[.]$"
_PLAIN_STEM = re.compile(r"^[A-Za-z ]+$")


def quote_choices(texts: list[str]) -> list[str]:
    """Verbatim passages (sentences, cut to a short length) a hypothesis may cite: those of at least
    MIN_QUOTE_WORDS words, or all of them when none is that long."""
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
    telling = [c for c in choices if len(c.split()) >= MIN_QUOTE_WORDS]
    return (telling or choices)[:MAX_QUOTE_CHOICES]


def hypothesis_type(signature: type[dspy.Signature]) -> type[BaseModel]:
    """The item model of the signature's `hypotheses` output (a sibling of Hypothesis may bring its
    own categories), or Hypothesis when the field is not a root model of items."""
    annotation = signature.output_fields["hypotheses"].annotation
    root = getattr(annotation, "model_fields", {}).get("root")
    args = getattr(root.annotation, "__args__", ()) if root is not None else ()
    return args[0] if args and isinstance(args[0], type) and issubclass(args[0], BaseModel) else Hypothesis


def _evidence(choices: list[str], most: int) -> tuple:
    return (list[Literal[tuple(choices)]], Field(min_length=1, max_length=most, description="quotes copied from the texts"))


def quote_constrained(signature: type[dspy.Signature], choices: list[str]) -> type[dspy.Signature]:
    """The same signature, but evidence must be one of the given passages. Under a decoding grammar
    (the embedded LM) this makes every quote verbatim by construction."""
    item = hypothesis_type(signature)
    constrained = create_model(item.__name__, __base__=item, __doc__=item.__doc__, evidence=_evidence(choices, 3))
    # Keep the signature's own list bounds (e.g. 3..7) rather than restating them here.
    annotation = signature.output_fields["hypotheses"].annotation
    bounds = getattr(annotation, "model_fields", {}).get("root") or Field(min_length=3, max_length=7)
    bounded = create_model("Hypotheses", __base__=RootModel[list[constrained]], root=(list[constrained], bounds))
    return signature.with_updated_fields("hypotheses", type_=bounded)


def item_slots(signature: type[dspy.Signature]) -> tuple[tuple[str, str], ...]:
    """The (category, stem) slots the signature's item model declares, limited to its own categories
    (a sibling with other categories and no slots of its own gets none: it keeps the list shape)."""
    item = hypothesis_type(signature)
    categories = getattr(item.model_fields["category"].annotation, "__args__", ())
    return tuple((category, stem) for category, stem in getattr(item, "SLOTS", ()) if category in categories)


def slot_constrained(
    signature: type[dspy.Signature],
    choices: list[str] | list[list[str]],
    slots: list[tuple[str, str]],
    fixed: dict[str, list[str]] | None = None,
) -> type[dspy.Signature]:
    """The signature answering exactly one hypothesis per slot: the slot's category, a statement
    opening with its stem, and one quote (one keeps the answer short: it is grounded by
    construction). `choices` are the quotes every slot may pick, or one list per slot (e.g. each
    slot quoting a different text, so the hypotheses do not all rest on one sentence). `fixed` maps
    a stem to the only statements its slot may give (the habits measured in the texts, or a
    vocabulary), so what the slot says is valid by construction."""
    item = hypothesis_type(signature)
    per_slot = choices if choices and isinstance(choices[0], list) else [choices] * len(slots)
    models = []
    for i, (category, stem) in enumerate(slots):
        if not _PLAIN_STEM.match(stem):
            raise ValueError(f"a statement stem holds letters and spaces only, got {stem!r}")
        allowed = (fixed or {}).get(stem)
        statement = (Literal[tuple(allowed)], ...) if allowed else (
            str, Field(pattern="^" + stem + STATEMENT_TAIL, description=f"'{stem} ...': one sentence about the writer"))
        models.append(create_model(
            f"{item.__name__}{i + 1}",
            __base__=item,
            __doc__=item.__doc__,
            category=(Literal[category], ...),
            statement=statement,
            evidence=_evidence(per_slot[i], 1),
        ))
    return signature.with_updated_fields("hypotheses", type_=tuple[tuple(models)])


def wants_constrained_quotes() -> bool:
    """Engines that decode under a grammar (the embedded LM) say so; their quotes are then picked
    from the texts' own sentences instead of typed out, which a small model gets wrong."""
    lm = dspy.settings.lm
    return bool(getattr(getattr(lm, "engine", None), "prefers_constrained_quotes", False))
