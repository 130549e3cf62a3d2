"""What the embedded LM's plain-text replies (no response schema) get on top of greedy decoding:
no token holding a square bracket, and the DRY penalty against loops (core/repetition.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from hyperalign.core.repetition import DryPenalty, breaker_tokens

# A text to send holds no template slots; measured: SmolLM2-135M wrote "[Seller's Name]", "[Event Name]"
# into e-mails even when told not to.
_BANNED = -100.0


@dataclass(frozen=True)
class FreeTextVocab:
    """The tokens a plain-text reply treats specially: banned ones and DRY's sequence breakers.

        vocab = free_text_vocab(llama)
        processors = free_text_processors(vocab, dry_multiplier=0.8)
    """

    banned: np.ndarray
    breakers: frozenset[int]


_free_text_vocab: dict[int, FreeTextVocab] = {}


def free_text_vocab(llama: Any) -> FreeTextVocab:
    """Tokens holding '[' or ']' and DRY's breakers, from one pass over the vocabulary per model."""
    key = id(llama)
    if key not in _free_text_vocab:
        pieces = [llama.detokenize([token]) for token in range(llama.n_vocab())]
        banned = np.array([t for t, piece in enumerate(pieces) if b"[" in piece or b"]" in piece], dtype=np.intc)
        _free_text_vocab[key] = FreeTextVocab(banned, frozenset(breaker_tokens(pieces)))
    return _free_text_vocab[key]


def free_text_processors(vocab: FreeTextVocab, dry_multiplier: float) -> list:
    """Logits processors for one plain-text completion. (llama-cpp-python 0.3.36 loses both a
    `logit_bias` and a `logits_processor` passed together, so the ban is a processor too.)"""

    def ban(input_ids, scores):
        scores[vocab.banned] += _BANNED
        return scores

    return [ban] + ([DryPenalty(vocab.breakers, multiplier=dry_multiplier)] if dry_multiplier > 0 else [])
