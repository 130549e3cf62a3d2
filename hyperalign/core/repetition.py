"""A DRY ("don't repeat yourself") penalty for free text on the embedded LM.

At greedy decoding SmolLM2-135M loops: a news article's second paragraph comes back word for word
until the token limit. A flat repetition penalty over the last 64 tokens does not reach a loop a
paragraph long. DRY (p-e-w, text-generation-webui #5677; llama.cpp's `llama_sampler_init_dry`)
lowers a token by how long a sequence it would repeat: `multiplier * base ** (length - allowed)`,
so a repeated name costs little and a repeated sentence cannot go on. llama-cpp-python 0.3 builds
its sampler chain without DRY, so this is the same rule as a logits processor (its public hook).

Only the generated tokens count: echoing the task's given opening is asked for, not a loop.
Matches stop at a sequence breaker (a token holding a newline, '"', ':' or '*'), and a breaker itself
is never lowered (a line may always end), as in llama.cpp.

    >>> dry = DryPenalty(breakers=set())
    >>> dry.start = 0
    >>> scores = dry([5, 6, 7, 5, 6], np.zeros(10, dtype=np.float32))
    >>> round(float(scores[7]), 2)  # 7 would repeat "5 6 7": a match of 2 before it
    -0.8
"""

from __future__ import annotations

from collections.abc import Sequence, Set

import numpy as np

BREAKER_CHARACTERS = ("\n", '"', ":", "*")
MAX_EXPONENT = 30  # caps base ** (length - allowed): past it the token is already out of reach


def breaker_tokens(pieces: Sequence[bytes]) -> set[int]:
    """Ids of tokens whose text (`pieces[id]`, the vocabulary's bytes) holds a sequence breaker."""
    marks = tuple(c.encode() for c in BREAKER_CHARACTERS)
    return {t for t, piece in enumerate(pieces) if any(m in piece for m in marks)}


class DryPenalty:
    """Logits processor (`processor(input_ids, scores) -> scores`) for one completion: a fresh one
    per call, since the first call sees the prompt only and its length marks where generation starts.

        llama.create_chat_completion(messages=..., logits_processor=LogitsProcessorList([DryPenalty(breakers)]))
    """

    def __init__(self, breakers: Set[int], multiplier: float = 0.8, base: float = 1.75, allowed_length: int = 2):
        self.breakers = breakers
        self.multiplier = multiplier
        self.base = base
        self.allowed_length = allowed_length
        self.start: int | None = None

    def __call__(self, input_ids: Sequence[int], scores: np.ndarray) -> np.ndarray:
        if self.start is None:
            self.start = len(input_ids)
        generated = np.asarray(input_ids[self.start :]).tolist()
        for token, length in self.repeat_lengths(generated).items():
            if length >= self.allowed_length:
                exponent = min(length - self.allowed_length, MAX_EXPONENT)
                scores[token] -= self.multiplier * self.base**exponent
        return scores

    def repeat_lengths(self, tokens: list[int]) -> dict[int, int]:
        """Token -> the longest run of the text's last tokens it would repeat if it came next."""
        n = len(tokens)
        if n < 2 or tokens[-1] in self.breakers:
            return {}
        longest = self.allowed_length + MAX_EXPONENT  # past it the penalty no longer grows
        lengths: dict[int, int] = {}
        for i in range(n - 1):
            follower = tokens[i + 1]
            if tokens[i] != tokens[-1] or follower in self.breakers:  # a breaker may always come next
                continue
            length = 1
            while (
                length < longest
                and i - length >= 0
                and tokens[i - length] == tokens[n - 1 - length]
                and tokens[i - length] not in self.breakers
            ):
                length += 1
            lengths[follower] = max(lengths.get(follower, 0), length)
        return lengths
