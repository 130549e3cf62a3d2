"""A task that gives the first sentence gets a text that starts with it, said once."""

from hyperalign.programs.openings import start_with_opening, task_opening

OPENING = ("The U.S. Postal Service announced Wednesday a plan to boost online commerce by enhancing the "
           "security and reliability of electronic mail traveling on the Internet.")
TASK = f"Write an article that starts with the following: {OPENING}"


def test_the_opening_is_read_from_the_task():
    assert task_opening(TASK) == OPENING
    assert task_opening("Write an email declining an invitation to speak at an event.") is None


def test_a_text_that_starts_with_the_opening_is_kept_as_it_is():
    text = OPENING + " The service will sell digital postmarks."
    assert start_with_opening(text, OPENING) == text
    assert start_with_opening("Anything at all.", None) == "Anything at all."


def test_a_restated_opening_is_replaced_not_repeated():
    # Measured on the embedded LM: the first sentence paraphrased the opening.
    text = ("The U.S. Postal Service has made a bold move to enhance the security and reliability of electronic "
            "mail traveling on the Internet. The agency will sell digital postmarks next year.")
    assert start_with_opening(text, OPENING) == OPENING + " The agency will sell digital postmarks next year."


def test_a_text_that_goes_elsewhere_keeps_its_first_sentence_after_the_opening():
    text = "Critics were not convinced. Banks have offered secure mail for years."
    assert start_with_opening(text, OPENING) == f"{OPENING} {text}"


def test_a_line_that_only_announces_the_text_is_dropped():
    assert start_with_opening("Here is the article:\n\nI watched the game.", None) == "I watched the game."
    assert start_with_opening("Sure! Here's your email:\nHi Jo, the room is booked.", None) == "Hi Jo, the room is booked."
    assert start_with_opening("Here's a rewritten version of the article:\nSales rose.", "Sales rose.") == "Sales rose."
    # A sentence of the text itself stays: one that goes on in its line, one about something else, one alone.
    for text in ("Here is the article: it is short.", "Here is the plan:\nwe meet at ten.", "Here is the article:"):
        assert start_with_opening(text, None) == text
