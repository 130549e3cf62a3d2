"""Deterministic, seeded splits: per user, samples vs held-out texts; across users, train/val/test."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

from hyperalign.core.errors import InputError
from hyperalign.data.model import Document, HeldOutItem, User, item_id
from hyperalign.data.problems import Problems

logger = logging.getLogger("hyperalign.data")


@dataclass
class UserSplit:
    """Disjoint groups of users: compile on train (and val), score on test users it never saw."""

    train: list[User]
    val: list[User]
    test: list[User]


def build_users(documents: list[Document], k: int, seed: int, problems: Problems, source: str) -> list[User]:
    """Group documents by author and split each author's texts into k samples and the rest held out.

    Samples are drawn only from texts the corpus allows as samples (`sample_ok`). A user without
    k such texts plus one more to hold out is skipped with a warning; if every user is skipped,
    that is an error about `source`, never a silent empty list.
    """
    if k < 1:
        raise InputError(f"k must be at least 1 (got {k})")
    by_author = _unique_texts_by_author(documents)
    users = []
    for author, docs in by_author.items():
        eligible = [d for d in docs if d.sample_ok]
        if len(eligible) < k or len(docs) < k + 1:
            problems.warn(
                source,
                f"user '{author}' skipped: {len(docs)} text(s), {len(eligible)} usable as samples; "
                f"needs {k} samples and at least one more text to hold out",
            )
            continue
        users.append(_split_one(author, docs, eligible, k, seed))
    _unique_item_ids(users)
    if not users:
        reason = f"none of its {len(by_author)} users has at least {k + 1} texts" if by_author else "it holds no texts"
        problems.error(source, f"no usable users: {reason}")
    return users


def _unique_item_ids(users: list[User]) -> None:
    """Source-file names may repeat across authors (user-made folders): such items get hashed ids."""
    counts: dict[str, int] = {}
    for item in (item for user in users for item in user.held_out):
        counts[item.id] = counts.get(item.id, 0) + 1
    for user in users:
        for item in user.held_out:
            if counts[item.id] > 1:
                item.id = item_id(user.id, item.reference)


def _unique_texts_by_author(documents: list[Document]) -> dict[str, list[Document]]:
    # Corpora repeat texts (Enron keeps a message in several folders); a text must never be both
    # a sample and a held-out reference, so each author's duplicates are dropped.
    by_author: dict[str, list[Document]] = {}
    seen: set[tuple[str, str]] = set()
    dropped = 0
    for doc in documents:
        key = (doc.author, doc.text)
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        by_author.setdefault(doc.author, []).append(doc)
    if dropped:
        logger.info("dropped %d duplicate text(s)", dropped)
    return by_author


def _split_one(author: str, docs: list[Document], eligible: list[Document], k: int, seed: int) -> User:
    # Seeded per user (string seeds are hashed stably), so one user's split does not depend on
    # which other users are in the corpus or in what order.
    rng = random.Random(f"{seed}/{author}")
    chosen = {id(eligible[i]) for i in rng.sample(range(len(eligible)), k)}
    return User(
        id=author,
        samples=[d.text for d in docs if id(d) in chosen],
        held_out=[HeldOutItem(d.task, d.text, dict(d.metadata), item_id(author, d.text, d.metadata.get("file", "")))
                  for d in docs if id(d) not in chosen],
        attributes=dict(docs[0].attributes),
    )


def split_users(users: list[User], train: int | float, val: int | float, seed: int = 0) -> UserSplit:
    """Shuffle users with `seed` and cut them into train, val and the rest as test.

    `train` and `val` are user counts, or fractions of all users when given as floats below 1.
    At least one user must remain for testing.
    """
    n_train, n_val = _count(train, len(users), "train"), _count(val, len(users), "val")
    if n_train < 1 or n_train + n_val >= len(users):
        raise InputError(
            f"cannot split {len(users)} users into {n_train} train + {n_val} validation users "
            "and at least one test user"
        )
    ordered = sorted(users, key=lambda u: u.id)
    random.Random(seed).shuffle(ordered)
    return UserSplit(ordered[:n_train], ordered[n_train : n_train + n_val], ordered[n_train + n_val :])


def _count(value: int | float, total: int, name: str) -> int:
    if isinstance(value, float) and 0 <= value < 1:
        return round(value * total)
    if isinstance(value, int) and value >= 0:
        return value
    raise InputError(f"{name} must be a user count or a fraction below 1 (got {value!r})")
