"""Adversarial candidates for validating a judge: for a user's held-out item, texts that a gameable
metric would score at or above the user's real text. Built from the corpus itself (no LM), seeded."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from hyperalign.data.model import User
from hyperalign.programs.checks.tokens import sentences

ADVERSARIES = ("copy", "shuffle", "off_task", "other_user", "junk_tail", "one_sentence")
DESCRIPTIONS = {
    "copy": "a verbatim copy of a sample",
    "shuffle": "the samples' sentences, shuffled",
    "off_task": "the user's own text for another task",
    "other_user": "another user's text for the same task",
    "junk_tail": "the real text with a junk tail",
    "one_sentence": "a one-sentence answer",
}
JUNK_CHARS = 1500


@dataclass(frozen=True)
class Pair:
    """The real text against one adversary, judged with `samples` as the user's texts."""

    adversary: str
    user_id: str
    task: str
    real: str
    candidate: str
    samples: tuple[str, ...]


def junk_tail(seed: int, size: int = JUNK_CHARS) -> str:
    """Phone numbers, symbol runs and a stuttered sign-off: what a degenerate generator appends."""
    rng = random.Random(seed)
    parts = []
    while sum(len(p) + 1 for p in parts) < size:
        kind = rng.randrange(3)
        if kind == 0:
            parts.append(f"{rng.randrange(200, 999)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}")
        elif kind == 1:
            parts.append(rng.choice("*#=-~+") * rng.randrange(4, 20))
        else:
            parts.append("P." * rng.randrange(3, 7) + "S.")
    return " ".join(parts)[:size]


def shuffled_sentences(samples: Sequence[str], n_words: int, rng: random.Random) -> str:
    """Sentences of the samples in random order, about `n_words` long."""
    pool = [s for text in samples for s in sentences(text)]
    rng.shuffle(pool)
    out, total = [], 0
    for sentence in pool:
        out.append(sentence)
        total += len(sentence.split())
        if total >= n_words:
            break
    return " ".join(out)


def build_pairs(users: Sequence[User], seed: int = 0, items_per_user: int = 1) -> list[Pair]:
    """Every adversary for up to `items_per_user` held-out items of each user (seeded).

    `other_user` appears only where another user has a held-out text for the same task; `off_task` uses
    another held-out item of the user when there is one, else one of the samples, left out of the samples
    the pair is judged with.
    """
    by_task: dict[str, list[tuple[str, str]]] = {}
    for user in users:
        for item in user.held_out:
            by_task.setdefault(item.task, []).append((user.id, item.reference))
    pairs = []
    for user in users:
        rng = random.Random(f"{seed}/{user.id}")
        for item in user.held_out[:items_per_user]:
            rivals = [text for uid, text in by_task[item.task] if uid != user.id]
            off_task = [o.reference for o in user.held_out if o.task != item.task]
            for name, text, samples in _adversaries(tuple(user.samples), item.reference, off_task, rivals, rng):
                pairs.append(Pair(name, user.id, item.task, item.reference, text, samples))
    return pairs


def _adversaries(samples: tuple[str, ...], real: str, off_task: list[str], rivals: list[str], rng: random.Random):
    """(adversary, text, the samples to judge the pair with) for one real text."""
    yield "copy", rng.choice(samples), samples
    yield "shuffle", shuffled_sentences(samples, len(real.split()), rng), samples
    if off_task:
        yield "off_task", rng.choice(off_task), samples
    elif len(samples) > 1:
        j = rng.randrange(len(samples))
        yield "off_task", samples[j], samples[:j] + samples[j + 1 :]
    if rivals:
        yield "other_user", rng.choice(rivals), samples
    yield "junk_tail", real.rstrip() + "\n\n" + junk_tail(rng.randrange(1 << 30)), samples
    yield "one_sentence", (sentences(real) or [real])[0], samples
