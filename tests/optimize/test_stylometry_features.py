"""The interpretable features and the n-gram hashing, on texts whose values can be counted by hand."""

from __future__ import annotations

import numpy as np
import pytest

from hyperalign.optimize.stylometry import FEATURES, style_vector
from hyperalign.optimize.stylometry.views import N_FEATURES, NgramView, distorted

EMAIL = "Hi all!\n\n- Budget is due Friday.\n- Don't send slides.\n\nI can't make the 3pm call; sorry.\nD."


def values(text: str) -> dict[str, float]:
    return dict(zip((f.name for f in FEATURES), style_vector(text)))


def test_counts_match_a_hand_count():
    v = values(EMAIL)
    # Words: Hi all Budget is due Friday Don't send slides I can't make the 3pm call sorry D = 17
    assert v["length"] == 17
    # Sentences: "Hi all!", "- Budget is due Friday.", "- Don't send slides.", "I can't ... sorry.", "D."
    assert v["sentence_length"] == pytest.approx(17 / 5)
    assert v["paragraph_length"] == pytest.approx(17 / 3)
    assert v["bullets"] == pytest.approx(100 * 2 / 5)  # 2 of 5 non-empty lines
    assert v["contractions"] == pytest.approx(100 * 2 / 17)
    assert v["exclamations"] == pytest.approx(100 * 1 / 17)
    assert v["semicolons"] == pytest.approx(100 * 1 / 17)
    assert v["first_person_singular"] == pytest.approx(100 * 1 / 17)
    assert v["dashes"] == 0  # bullet markers are not dashes


def test_every_feature_has_a_phrase_that_states_its_value():
    for feature, value in zip(FEATURES, style_vector(EMAIL)):
        said = feature.describe(value)
        assert feature.format(value) in said and "{" not in said


def test_rates_do_not_depend_on_text_length():
    once, thrice = style_vector(EMAIL), style_vector("\n\n".join([EMAIL] * 3))
    names = [f.name for f in FEATURES]
    for name in ("sentence_length", "commas", "contractions", "capitals", "bullets", "word_length"):
        assert thrice[names.index(name)] == pytest.approx(once[names.index(name)])
    assert thrice[names.index("length")] == 3 * once[names.index("length")]


def test_line_ends_and_spaces_do_not_change_a_profile():
    crlf = EMAIL.replace("\n", "\r\n").replace(" ", "  ")
    assert np.array_equal(style_vector(crlf), style_vector(EMAIL))


def test_hashed_ngrams_cover_every_position_in_range():
    text = "The cat sat."
    row = NgramView("c", "char", (3, 4)).counts(text)
    assert row.shape == (1, N_FEATURES) and row.sum() == (len(text) - 2) + (len(text) - 3)
    trigrams = NgramView("c3", "char", (3,)).counts
    assert (trigrams(text) != trigrams(text)).nnz == 0
    # Same 3-gram, same bucket; "The" and "the" differ (case is style).
    assert trigrams("the").indices[0] in trigrams("xthe").indices and trigrams("The").indices[0] != trigrams("the").indices[0]
    assert NgramView("w", "word", (1, 2)).counts("I can't go, sorry.").sum() == 6 + 5  # I can't go , sorry .
    assert trigrams("ab").nnz == 0 and NgramView("w", "word", (1,)).counts("").nnz == 0
    lower = NgramView("lower", "char", (3,), lowercase=True).counts
    assert (lower("The") != lower("the")).nnz == 0  # a lower-cased view folds case
    # A line break is part of a writer's layout: it is not folded into a space.
    assert (trigrams("a\nb") != trigrams("a b")).nnz > 0


def test_binary_view_counts_presence_only():
    assert NgramView("w", "word", (1,), tf="binary").counts("no no no").sum() == 1
    assert NgramView("w", "word", (1,)).counts("no no no").sum() == 3


def test_masking_keeps_function_words_punctuation_and_word_shapes():
    assert distorted("The cat sat on 12 mats, didn't it?") == "The *** *** on ## ****, ****'* it?"
