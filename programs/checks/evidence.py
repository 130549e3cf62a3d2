"""Check that each hypothesis's evidence quotes really occur in the user's texts."""

from __future__ import annotations

from collections.abc import Iterable

from hyperalign.core.text import fold as normalize
from hyperalign.programs.checks.injection import injection_phrase

__all__ = ["ground_hypotheses", "normalize", "quote_occurs"]

# Quote marks and ellipses a model wraps around a quote; not part of the quoted passage.
_WRAPPING = " \t\n\"'`.\u2026"


def quote_occurs(quote: str, normalized_texts: Iterable[str]) -> bool:
    """True when the quote, stripped of wrapping quote marks, is a substring of one of the texts."""
    needle = normalize(quote).strip(_WRAPPING)
    if len(needle) < 3:
        return False
    return any(needle in text for text in normalized_texts)


def ground_hypotheses(hypotheses: list[dict], texts: list[str]) -> list[dict]:
    """Mark every quote and hypothesis as grounded or not; a hypothesis is grounded when any quote is.
    A quote that reads like an instruction to an AI (a prompt injection in a sample) is flagged:
    the quote carries `injection` (the phrase), the hypothesis `flags`."""
    normalized = [normalize(t) for t in texts]
    grounded = []
    for hyp in hypotheses:
        evidence = [evidence_item(q, normalized) for q in hyp.get("evidence", [])]
        flags = [f"quotes an instruction to an AI ({e['injection']!r}): possible prompt injection in a sample"
                 for e in evidence if e.get("injection")]
        grounded.append({**hyp, "evidence": evidence, "grounded": any(e["grounded"] for e in evidence),
                         **({"flags": flags} if flags else {})})
    return grounded


def evidence_item(quote: str, normalized_texts: list[str]) -> dict:
    item = {"quote": quote, "grounded": quote_occurs(quote, normalized_texts)}
    phrase = injection_phrase(quote)
    return {**item, "injection": phrase} if phrase else item
