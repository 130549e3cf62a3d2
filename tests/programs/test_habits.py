"""Measured habits: each one a hypothesis can name is measured, and a claim about it is supported
or contradicted by the texts."""

import pytest

from hyperalign.programs.checks.habits import check_habits, habit_phrases, measure_habits

TERSE = [
    "Thursday's sync moves to Friday. Same room. Bring Q3 numbers.\n\nD.",
    "Can't do the April panel. Calendar's full. Try Priya.\nD.",
    "Need two more weeks on the board pack. New date: the 21st.\nD.",
]
CHATTY = [
    "Hi team! I hope you're all doing really well after the long weekend we have all just had together! Would anyone "
    "be able to cover my shift on Saturday morning while I take my mother to the airport for her trip? I'd be so "
    "grateful to whoever can step in for me this time!\n\nThanks,\nSam",
    "Hello everyone, what a week it has been for the whole team and for the people in the warehouse too! can you "
    "believe the numbers we got back from the regional office on Tuesday afternoon?\n\n- sales up\n- costs down\n\nCheers,\nSam",
]


def test_measures_count_each_habit():
    terse, chatty = measure_habits(TERSE), measure_habits(CHATTY)
    assert terse.words_per_sentence < 6 < chatty.words_per_sentence
    assert terse.exclamations_per_100_words == 0 < chatty.exclamations_per_100_words
    assert terse.questions_per_100_words == 0 < chatty.questions_per_100_words
    assert terse.share_opening_with_greeting == 0 and chatty.share_opening_with_greeting == 1
    assert terse.share_ending_with_sign_off == 1 and chatty.share_ending_with_sign_off == 1
    assert terse.contractions_per_100_words > 0
    assert terse.share_list_lines == 0 < chatty.share_list_lines
    assert terse.share_lowercase_sentence_starts == 0 < chatty.share_lowercase_sentence_starts


@pytest.mark.parametrize("statement, habit, verdict", [
    ("The writer uses many exclamation marks.", "exclamation marks", "contradicted"),
    ("The writer never uses exclamation marks.", "exclamation marks", "supported"),
    ("The writer writes long, winding sentences.", "sentence length", "contradicted"),
    ("The writer writes very short sentences.", "sentence length", "supported"),
    ("The writer often asks rhetorical questions.", "questions", "contradicted"),
    ("The writer opens with a warm greeting.", "greetings", "contradicted"),
    ("The writer skips greetings.", "greetings", "supported"),
    ("The writer signs off with an initial.", "sign-offs", "supported"),
    ("The writer writes in lower case.", "lower case", "contradicted"),
    ("The writer uses proper capitalization.", "lower case", "supported"),
    ("The writer avoids contractions.", "contractions", "contradicted"),
    ("The writer uses bullet points.", "lists", "contradicted"),
    ("The writer writes long paragraphs.", "paragraph length", "contradicted"),
])
def test_a_named_habit_is_checked_against_the_texts(statement, habit, verdict):
    checks = check_habits(statement, measure_habits(TERSE))
    assert [(c.habit, c.verdict) for c in checks] == [(habit, verdict)]
    assert checks[0].reason.startswith(f"{habit}: {verdict} by the texts (")


def test_the_same_claims_flip_on_the_other_writer():
    chatty = measure_habits(CHATTY)
    for statement in ("The writer uses many exclamation marks.", "The writer often asks rhetorical questions.",
                      "The writer opens with a warm greeting.", "The writer uses bullet points."):
        assert [c.verdict for c in check_habits(statement, chatty)] == ["supported"]


def test_a_statement_naming_no_measurable_habit_is_not_judged():
    assert check_habits("The writer comes across as decisive.", measure_habits(TERSE)) == []


def test_every_phrase_offered_for_the_measured_slot_is_supported():
    for texts in (TERSE, CHATTY):
        measures = measure_habits(texts)
        phrases = habit_phrases(measures)
        assert len(phrases) >= 3
        for phrase in phrases:
            checks = check_habits(f"The writer writes {phrase}.", measures)
            assert checks and {c.verdict for c in checks} == {"supported"}, phrase


def test_habits_most_writers_share_are_offered_only_when_nothing_else_sets_the_writer_apart():
    # Sentences of 13-19 words, one contraction in about 100 words (0 < rate < 1), no "!" or "?": no sentence habit stands out.
    plain = [
        "The quarterly report shows that the northern region sold more units than it did last spring. "
        "Costs in the warehouse rose by a small amount because the new shelving had to be installed. The shelves are now in use.",
        "The board will meet on the third of the month to review the budget for the coming year. "
        "It's likely that the meeting will run long because there are many proposals to discuss.",
        "The supplier confirmed that the delayed parts left their depot on Monday and should arrive by Thursday. "
        "The team will check every box against the order before the parts go to the assembly line.",
    ]
    measures = measure_habits(plain)
    assert habit_phrases(measures, "sentences") == ["without exclamation marks", "without question marks"]
    # A distinctive habit of the same kind takes their place; the layout keeps its own.
    casual = [t.replace("It's likely", "It's likely, and it's sure,") + " I'm sure we'll manage." for t in plain]
    assert habit_phrases(measure_habits(casual), "sentences") == ["with contractions"]
    assert habit_phrases(measures, "layout") == ["short paragraphs", "without a greeting or a sign-off"]


def test_formality_is_checked_by_its_measurable_marks():
    casual = measure_habits(["hey team!! thursday is not gonna work, i have lab. can we do friday?",
                             "so i talked to sam and he said fine. i think we're good, no stress!"])
    journalist = measure_habits(["The central bank held its key rate at 5.25 percent on Tuesday, citing steady prices.",
                                 "Analysts said the decision was expected. The bank will meet again in March."])
    for statement, writer, verdict in (
        ("The writer comes across as formal and polite.", casual, "contradicted"),
        ("The writer uses formal, polished vocabulary.", casual, "contradicted"),
        ("The writer uses casual slang and loose spelling.", casual, "supported"),
        ("The writer uses casual slang and loose spelling.", journalist, "contradicted"),
        ("The writer comes across as authoritative and businesslike.", journalist, "supported"),
    ):
        checks = [c for c in check_habits(statement, writer) if c.habit == "register"]
        assert [c.verdict for c in checks] == [verdict], statement
        assert "contractions and" in checks[0].reason and "lower case" in checks[0].reason
