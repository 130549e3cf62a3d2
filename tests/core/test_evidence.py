from hyperalign.programs.checks.evidence import ground_hypotheses, normalize, quote_occurs

TEXTS = ["Can't do the April panel.\r\n  Send   Priya instead.", "Thanks \u2014 that\u2019s \u201cgreat\u201d news!"]


def test_normalize_folds_whitespace_case_and_typographic_quotes():
    assert normalize("  That\u2019s \n\n GREAT\u201d ") == "that's great\""


def test_quote_found_after_whitespace_normalisation_and_wrapping_quotes():
    texts = [normalize(t) for t in TEXTS]
    assert quote_occurs('"send priya instead."', texts)
    assert quote_occurs("that's \"great\" news", texts)
    assert quote_occurs("Thanks - that's", texts)


def test_invented_or_too_short_quote_is_not_found():
    texts = [normalize(t) for t in TEXTS]
    assert not quote_occurs("Send Maria instead.", texts)
    assert not quote_occurs("..", texts)


def test_hypothesis_grounded_when_any_quote_occurs_and_flags_each_quote():
    hyps = [
        {"statement": "terse", "category": "writing style", "evidence": ["Can't do the April panel.", "I adore panels"]},
        {"statement": "invented", "category": "personality", "evidence": ["never wrote this"]},
    ]
    out = ground_hypotheses(hyps, TEXTS)
    assert [e["grounded"] for e in out[0]["evidence"]] == [True, False]
    assert out[0]["grounded"] is True
    assert out[1]["grounded"] is False and out[1]["evidence"][0]["grounded"] is False
    assert out[0]["statement"] == "terse"  # the rest of the hypothesis is kept as it was
