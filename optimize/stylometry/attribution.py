"""Authorship attribution with the judge's similarity: which writer most likely wrote a text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from hyperalign.core.errors import InputError
from hyperalign.optimize.stylometry.judge import check_text, check_texts, space_for
from hyperalign.optimize.stylometry.methods import method_for
from hyperalign.optimize.stylometry.space import Method


def attribute(
    candidate: str, writers: Mapping[str, Sequence[str]], method: Method | None = None, domain: str | None = None
) -> list[tuple[str, float]]:
    """Every writer (id -> their sample texts) with the text's similarity to them, closest first.

    `method` defaults to the one fixed for `domain`. Similarities are unitless (standardized over the
    writers); ties keep the writers' order.
    """
    if len(writers) < 2:
        raise InputError(f"attribution needs at least two writers to choose between, got {len(writers)}")
    names = list(writers)
    texts = [check_texts(writers[name], f"writer {name!r}") for name in names]
    similarities = space_for(method or method_for(domain), texts).similarities(check_text(candidate, "the text to attribute"))
    order = np.argsort(-similarities, kind="stable")
    return [(names[i], float(similarities[i])) for i in order]
