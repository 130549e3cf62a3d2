"""Habits a valid hypothesis rules out (greeting and the pleasantry after it, sign-off, exclamation
marks) are kept by editing, each edit reported with the hypothesis behind it; nothing else in the
text changes."""

import dspy
from dspy.utils import DummyLM

from hyperalign.programs import HyPerAlign
from hyperalign.programs.habit_edits import keep_habits

NO_GREETING = "The writer writes without a greeting."
NO_SIGN_OFF = "The writer writes without a sign-off."
NO_BANG = "The writer writes without exclamation marks."
LETTER = "Dear Sir/Madam,\n\nThe church must change! Will it?!\n\nBest regards,\nJohn Smith"


def test_each_ruled_out_habit_is_taken_out_and_reported():
    text, edits = keep_habits(LETTER, [NO_GREETING, NO_SIGN_OFF, NO_BANG])
    assert text == "The church must change. Will it?"
    assert edits == [
        "removed the greeting 'Dear Sir/Madam,' (The writer writes without a greeting.)",
        "removed the sign-off 'Best regards, / John Smith' (The writer writes without a sign-off.)",
        "removed exclamation marks '!!' (The writer writes without exclamation marks.)",
    ]


def test_only_stated_habits_are_edited_and_body_text_is_never_cut():
    assert keep_habits(LETTER, ["The writer comes across as blunt and impatient."]) == (LETTER, [])
    # A long first line that opens with "Hi" is text, not only a greeting; a lone "Thanks" line is the whole text.
    long_opening = "Hi all, the meeting moves to Friday because the room is taken."
    assert keep_habits(long_opening, [NO_GREETING]) == (long_opening, [])
    assert keep_habits("Thanks,\nJo", [NO_SIGN_OFF]) == ("Thanks,\nJo", [])
    # A sign-off followed by a long line is not the end of the text.
    middle = "Regards to your team.\nThe figures for March follow in the next message, with the notes."
    assert keep_habits(middle, [NO_SIGN_OFF]) == (middle, [])


def test_the_program_reports_its_edits():
    samples = ["Prices went up again. Nobody asked us.", "The meeting is off. Tell the others.", "We pay anyway. Done."]
    hypotheses = [
        {"category": "writing style", "statement": NO_GREETING, "evidence": ["Nobody asked us."]},
        {"category": "personality", "statement": "The writer comes across as blunt and impatient.", "evidence": ["Done."]},
        {"category": "communication strategy", "statement": "The writer makes a point by stating an opinion outright.",
         "evidence": ["We pay anyway."]},
    ]
    text = "Hi Sam,\n\nThe price rise is wrong and the staff were never asked about it. Stop it now."
    with dspy.context(lm=DummyLM([{"text": text}])):
        pred = HyPerAlign()(samples=samples, task="Write an email to your manager about the price rise.",
                            hypotheses=hypotheses)
    assert pred.text == "The price rise is wrong and the staff were never asked about it. Stop it now."
    assert pred.edits == ["removed the greeting 'Hi Sam,' (The writer writes without a greeting.)"]


def test_the_pleasantry_after_a_greeting_goes_with_it():
    letter = "Dear Sarah,\n\nI hope this message finds you well. The church must change.\n\nIt will not."
    text, edits = keep_habits(letter, [NO_GREETING])
    assert text == "The church must change.\n\nIt will not."
    assert edits == [f"removed the greeting 'Dear Sarah, / I hope this message finds you well.' ({NO_GREETING})"]
    # Without a greeting line before it, or with nothing after it, the sentence is the writer's text.
    assert keep_habits("I hope you are well. The church must change.", [NO_GREETING])[1] == []
    assert keep_habits("Hi,\nI hope you are well.", [NO_GREETING])[0] == "I hope you are well."
    # Only the formula: a hope about something else is the writer's text.
    assert keep_habits("Hi Sam,\nI hope that the launch goes well tomorrow. Call me after.", [NO_GREETING])[0] == (
        "I hope that the launch goes well tomorrow. Call me after.")


def test_one_statement_naming_two_habits_keeps_both():
    both = "The writer usually writes without a greeting or a sign-off."
    text, edits = keep_habits(LETTER, [both])
    assert text == "The church must change! Will it?!"
    assert [e.split(" '")[0] for e in edits] == ["removed the greeting", "removed the sign-off"]
