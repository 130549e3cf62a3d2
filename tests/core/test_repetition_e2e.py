"""End to end on the real embedded LM: with the DRY penalty, a long article does not loop.

Measured before it (greedy decoding, CCAT50, the few-shot baseline at the user's length): 15 of 15
articles repeated a paragraph word for word until the token cap."""

import re

import pytest

from hyperalign.core.embedded import EmbeddedEngine

pytestmark = pytest.mark.slow

MIN_WORDS = 6  # a repeated sentence this long is a loop, not a repeated name


def repeated_sentences(text: str) -> list[str]:
    seen, repeated = set(), []
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        key = " ".join(sentence.lower().split())
        if len(key.split()) >= MIN_WORDS and key in seen:
            repeated.append(sentence)
        seen.add(key)
    return repeated


def few_shot_articles(users, dry_multiplier: float) -> list[str]:
    import dspy

    from hyperalign.core.lm import EMBEDDED_MODEL_NAME, lm_context
    from hyperalign.programs import FewShot
    from hyperalign.programs.conditioned_generation import max_tokens_for, target_words

    texts = []
    for user in users:
        cap = max_tokens_for(target_words(user.samples))
        lm = dspy.LM(EMBEDDED_MODEL_NAME, engine=EmbeddedEngine(dry_multiplier=dry_multiplier), temperature=0.0,
                     max_tokens=cap, cache=False)
        with lm_context(lm):
            texts.append(FewShot(max_texts=5)(samples=user.samples, task=user.held_out[0].task).text)
    return texts


def test_articles_written_with_the_users_texts_in_the_prompt_do_not_loop(news):
    users = sorted((u for u in news if u.held_out), key=lambda u: u.id)[:2]
    for text in few_shot_articles(users, dry_multiplier=0.8):
        assert len(text.split()) >= 100 and not repeated_sentences(text), text
