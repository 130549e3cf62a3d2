"""Validate the judge as an authorship attributor: each user's samples are their profile, each
held-out text a query against all users; how often is the true author the closest?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from hyperalign.core.errors import InputError
from hyperalign.data.model import User
from hyperalign.optimize.stylometry.judge import check_text, check_texts, space_for
from hyperalign.optimize.stylometry.methods import BASELINE_METHOD, method_for
from hyperalign.optimize.stylometry.space import Method


@dataclass
class ValidationReport:
    """Top-1 accuracy over `n` held-out texts, and the most frequent (true author, chosen author) errors."""

    top1: float
    n: int
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    n_writers: int = 0

    @property
    def chance(self) -> float:
        return 1.0 / self.n_writers if self.n_writers else 0.0


def validate(users: Sequence[User], method: Method | None = None, n_confusions: int = 5, domain: str | None = None) -> ValidationReport:
    """Top-1 attribution accuracy of `method` (default: the one fixed for `domain`) over every held-out
    text of `users`."""
    method = method or method_for(domain)
    users = [u for u in users if u.samples]
    if len(users) < 2:
        raise InputError(f"validation needs at least two users with sample texts, got {len(users)}")
    queries = [(i, item.reference) for i, u in enumerate(users) for item in u.held_out]
    if not queries:
        raise InputError("no held-out texts to attribute: every user's texts are samples (lower --k)")
    space = space_for(method, [check_texts(u.samples, f"user {u.id!r}") for u in users])
    errors: Counter[tuple[str, str]] = Counter()
    correct = 0
    for truth, text in queries:
        chosen = int(np.argmax(space.similarities(check_text(text, f"a held-out text of user {users[truth].id!r}"))))
        if chosen == truth:
            correct += 1
        else:
            errors[users[truth].id, users[chosen].id] += 1
    confusions = [(a, b, n) for (a, b), n in errors.most_common(n_confusions)]
    return ValidationReport(top1=correct / len(queries), n=len(queries), confusions=confusions, n_writers=len(users))


def validate_baseline(users: Sequence[User]) -> ValidationReport:
    """The same validation for the TF-IDF centroid baseline (lower-cased words, plain cosine)."""
    return validate(users, BASELINE_METHOD)
