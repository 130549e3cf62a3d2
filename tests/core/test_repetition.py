"""The DRY penalty: how long a run a next token would repeat, and what that costs it."""

import numpy as np
import pytest

from hyperalign.core.free_text import FreeTextVocab, free_text_processors
from hyperalign.core.repetition import DryPenalty, breaker_tokens

VOCAB = 20
BREAK = 9  # a token holding a newline


def penalties(history: list[int], prompt: list[int] = (), **kw) -> np.ndarray:
    dry = DryPenalty(breakers={BREAK}, **kw)
    dry(list(prompt), np.zeros(VOCAB, dtype=np.float32))  # the first call sees the prompt alone
    return -dry(list(prompt) + history, np.zeros(VOCAB, dtype=np.float32))


def test_a_token_that_would_continue_a_repeated_run_is_lowered_by_the_runs_length():
    cost = penalties([1, 2, 3, 4, 5, 1, 2, 3, 4])
    # 5 would repeat "1 2 3 4 5": a run of 4 before it -> 0.8 * 1.75 ** (4 - 2)
    assert cost[5] == pytest.approx(0.8 * 1.75**2)
    assert np.count_nonzero(cost) == 1


def test_longer_repeats_cost_more_and_short_ones_nothing():
    short = penalties([1, 7, 1])  # 7 would repeat "1 7": a run of 1, under the allowed 2
    assert not short.any()
    assert penalties([1, 2, 3, 1, 2])[3] < penalties([1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5])[6]


def test_a_loop_a_paragraph_long_is_out_of_reach():
    sentence = list(range(1, 9))
    cost = penalties(sentence * 2 + sentence[:-1])
    assert cost[sentence[-1]] > 100  # a logit lower by this much is never picked at greedy decoding


def test_a_sequence_breaker_ends_the_match():
    # "1 2 <break> 4 5 1 2 <break> 4": 5 would repeat "1 2 <break> 4 5", but the match stops at the
    # breaker, so it is the run "4" alone, under the allowed 2
    assert not penalties([1, 2, BREAK, 4, 5, 1, 2, BREAK, 4]).any()


def test_a_breaker_may_always_come_next():
    """After a repeated "1 2 3", ending the line is no loop (llama.cpp never lowers a breaker)."""
    cost = penalties([1, 2, 3, BREAK, 5, 1, 2, 3])
    assert cost[BREAK] == 0 and cost[5] == 0  # 5 follows the breaker, not "3"


def test_only_generated_tokens_count():
    """Echoing the task's opening (in the prompt) is asked for; only the reply's own repeats count."""
    assert not penalties([1, 2, 3], prompt=[1, 2, 3, 4]).any()
    assert penalties([1, 2, 3, 4, 1, 2, 3], prompt=[1, 2, 3, 4])[4] > 0


def test_breakers_are_the_tokens_holding_a_breaking_character():
    pieces = [b"the", b" cat", b"\n", b'."', b":", b"**", b" dog\n"]
    assert breaker_tokens(pieces) == {2, 3, 4, 5, 6}


def test_plain_text_processors_ban_brackets_and_add_dry_only_when_on():
    vocab = FreeTextVocab(banned=np.array([3], dtype=np.intc), breakers=frozenset())

    def run(processors, calls):
        for input_ids in calls:
            scores = np.zeros(VOCAB, dtype=np.float32)
            for processor in processors:
                scores = processor(np.array(input_ids, dtype=np.intc), scores)
        return scores

    prompt, reply = [7, 8], [1, 2, 5, 1, 2]
    off = run(free_text_processors(vocab, 0.0), [prompt, prompt + reply])
    on = run(free_text_processors(vocab, 0.8), [prompt, prompt + reply])
    assert off[3] <= -100 and on[3] <= -100
    assert off[5] == 0 and on[5] == pytest.approx(-0.8)  # 5 would repeat "1 2 5"
