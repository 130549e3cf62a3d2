"""Validity of each hypothesis, with its reason: a claim about the writer (not copied, not an
instruction or question), distinct, grounded, not contradicted by the measured habits."""

from hyperalign.programs.checks.hypotheses import check_hypotheses, near_duplicate

TEXTS = [
    "I believe the Catholic Church has lost its way and no longer serves the poor. It must change now.",
    "Pot should be legal. In small amounts it would only be used for personal use, and that is fine.",
    "The war must stop. Our troops have been there far too long, and nothing has improved since.",
]
QUOTE = "Pot should be legal."


def hyp(statement, evidence=QUOTE, category="writing style"):
    return {"category": category, "statement": statement, "evidence": [evidence]}


def verdicts(hypotheses, **kwargs):
    return [(h["valid"], h["reason"].split(":")[0]) for h in check_hypotheses(hypotheses, TEXTS, **kwargs)]


def test_each_kind_of_invalid_hypothesis_is_caught_with_its_reason():
    checked = check_hypotheses([
        hyp("The writer comes across as blunt and impatient.", category="personality"),
        hyp("The Catholic Church has lost its way and no longer serves the poor."),  # copied
        hyp("I believe the church must change."),  # the user's own voice
        hyp("Write short sentences."),  # an instruction
        hyp("Does the writer like questions?"),  # a question
        hyp("The writer comes across as impatient and blunt.", category="personality"),  # near-duplicate of the first
        hyp("The writer uses many exclamation marks."),  # contradicted: none in the texts
        hyp("The writer argues from personal conviction.", evidence="a quote that is nowhere"),  # ungrounded
        hyp("The writer writes medium-length sentences without exclamation marks."),  # supported habit
    ], TEXTS)
    reasons = [h["reason"] for h in checked]
    assert [h["valid"] for h in checked] == [True, False, False, False, False, False, False, False, True]
    assert reasons[1].startswith("copies text from the samples: a run of")
    assert reasons[2].startswith("written in the first person")
    assert reasons[3] == "an instruction, not a claim about the writer"
    assert reasons[4] == "a question, not a claim about the writer"
    assert reasons[5] == "duplicate: says nearly the same as an earlier hypothesis"
    assert reasons[6] == "contradicted: exclamation marks: contradicted by the texts (0.0 exclamation marks per 100 words)"
    assert reasons[7] == "ungrounded: none of its quotes occurs in the texts"
    assert checked[8]["habits"] == [{"habit": "exclamation marks", "claim": "less", "verdict": "supported",
                                     "reason": "exclamation marks: supported by the texts (0.0 exclamation marks per 100 words)"}]


def test_a_short_topic_phrase_in_the_writers_words_is_not_a_copy():
    assert verdicts([hyp("The writer argues that pot should be legal.", category="communication strategy")]) == [(True, "ok")]


def test_rejected_statements_are_dropped_even_reworded():
    assert verdicts([hyp("The writer comes across as blunt.")], rejected=["The writer comes across as very blunt."]) == [
        (False, "rejected")]


def test_near_duplicates_ignore_stems_and_word_order():
    assert near_duplicate("The writer writes in a formal and professional manner.", "The writer uses a very formal, professional manner.")
    assert not near_duplicate("The writer comes across as blunt.", "The writer writes short sentences.")


def test_vacuous_and_unfinished_statements_are_caught():
    """Measured on the embedded LM before the fixed endings: statements about writing in general,
    and statements cut off mid-sentence, passed as valid."""
    checked = check_hypotheses([
        hyp("The writer makes a point by stating their communication strategy."),
        hyp("The writer uses his own voice to express himself."),
        hyp("The writer makes a point by stating that the writing is about their work, and they are trying to make it a."),
        hyp("The writer comes across as sceptical of quick fixes.", category="personality"),
    ], TEXTS)
    assert [h["reason"].split(":")[0] for h in checked] == ["vacuous", "vacuous", "unfinished", "ok"]
