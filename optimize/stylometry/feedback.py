"""Explanations: the interpretable features where a text is furthest from a writer, in words."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from hyperalign.optimize.stylometry.features import FEATURES
from hyperalign.optimize.stylometry.space import Profile, Space

# Gaps smaller than this (in units of how much the feature varies between texts) are not worth naming.
MIN_GAP = 0.5


@dataclass(frozen=True)
class Gap:
    """A feature where the candidate differs from the user: both values, the gap in feature scales
    (signed: positive means the candidate has more), and the gap said in words."""

    feature: str
    candidate: float
    user: float
    z: float
    text: str

    def as_dict(self) -> dict[str, float | str]:
        return asdict(self)


def style_gaps(style: np.ndarray, profile: Profile, space: Space, n: int = 3) -> list[Gap]:
    """The `n` features where `style` (one text's style vector) is furthest from the writer's mean,
    of those at least MIN_GAP apart."""
    # A habit the user varies a lot in is judged on the user's own spread, else on the domain's.
    scale = np.maximum(space.style_scale, profile.style_sd)
    z = (style - profile.style_mean) / scale
    gaps = []
    for i in np.argsort(-np.abs(z), kind="stable")[:n]:
        if abs(z[i]) < MIN_GAP:
            break
        feature = FEATURES[i]
        words = f"{feature.describe(style[i])}; the user's average {feature.format(profile.style_mean[i])}"
        gaps.append(Gap(feature.name, float(style[i]), float(profile.style_mean[i]), float(z[i]), words))
    return gaps


def feedback_text(score: float, rank: int, n_writers: int, gaps: list[Gap]) -> str:
    """One paragraph for a person or an optimizer: where the text stands, then what to change."""
    beaten = n_writers - rank
    standing = (
        f"Stylometric score {score:.2f}: the text is closer to this user's writing than to {beaten} of the "
        f"{n_writers - 1} other writers (rank {rank} of {n_writers})."
    )
    if not gaps:
        return f"{standing} Its measurable habits (length, sentences, punctuation, casing, pronouns) are within the user's usual range."
    return f"{standing} Furthest from the user's style: " + " | ".join(g.text for g in gaps) + "."
