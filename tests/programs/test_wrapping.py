"""Hard-wrapped lines: measured as a habit, not mistaken for sentence ends, stated, and kept by an edit."""

import textwrap

from hyperalign.programs.checks.habits import LAYOUT, check_habits, habit_phrases, measure_habits
from hyperalign.programs.checks.wrapping import unwrap, wrap_width
from hyperalign.programs.habit_edits import keep_habits

PARAGRAPHS = [
    "Well first of all I have to say that the council never asked anybody on our street what they "
    "thought about the new parking rules. They just put the signs up one morning and that was that. "
    "Most of us found out when the tickets started showing up on our windshields.",
    "Second, the whole thing about safety does not hold up. There have been no accidents on this "
    "corner in the twelve years I have lived here, and the only near miss I remember was a delivery "
    "van that was parked exactly where they now want people to park.",
    "So no, I am not in favour of it. I would rather they spent the money fixing the potholes on the "
    "main road, which really are a danger to anybody on a bicycle after dark.",
]


def wrapped(width: int = 72) -> str:
    return "\n\n".join(textwrap.fill(p, width) for p in PARAGRAPHS)


def test_a_wrapped_writer_is_measured_at_their_width_and_others_at_zero():
    assert wrap_width([wrapped(72), wrapped(72)]) in range(66, 73)
    assert wrap_width(["\n\n".join(PARAGRAPHS)]) == 0  # a paragraph per line
    items = "\n".join(f"- item {i}: a thing we still need for the trip next week" for i in range(8))
    assert len(items) > 200 and wrap_width([items] * 3) == 0  # a list: every line its own
    one_per_line = "\n".join(p.split(". ")[0] + "." for p in PARAGRAPHS * 3)
    assert wrap_width([one_per_line] * 3) == 0  # a sentence per line: the next word would have fit


def test_unwrap_joins_the_wrappers_breaks_and_keeps_the_writers_own():
    text = "Hi Sam,\n\n" + wrapped(72) + "\n\nThanks,\nJo"
    flat = unwrap(text, wrap_width([text]))
    assert flat == "Hi Sam,\n\n" + "\n\n".join(PARAGRAPHS) + "\n\nThanks,\nJo"
    assert unwrap(text, 0) == text
    # No blank line before the sign-off or a list: once a paragraph is joined, the writer's own breaks stay.
    tight = wrapped(72) + "\nThanks,\nJo\n- milk\n- eggs"
    assert unwrap(tight, 72) == "\n\n".join(PARAGRAPHS) + "\nThanks,\nJo\n- milk\n- eggs"


def test_a_wrapped_text_measures_like_the_same_text_unwrapped():
    """A line end inside a sentence is no sentence end: before, a capitalizing writer's wrapped texts
    measured 43% lower-case sentence starts and 6-word sentences (CMCC S14)."""
    flat, wrapped_ = measure_habits(["\n\n".join(PARAGRAPHS)] * 3), measure_habits([wrapped(72)] * 3)
    assert wrapped_.words_per_sentence == flat.words_per_sentence
    assert wrapped_.share_lowercase_sentence_starts == 0.0
    assert wrapped_.wrap_width and not flat.wrap_width


def test_the_wrap_is_checked_and_stated_with_the_other_layout_habit():
    m = measure_habits([wrapped(72)] * 3)
    phrases = habit_phrases(m, LAYOUT)
    assert phrases and all(p.startswith(f"in lines wrapped at about {m.wrap_width} characters") for p in phrases)
    for phrase in phrases:
        verdicts = {c.habit: (c.claim, c.verdict) for c in check_habits(f"The writer usually writes {phrase}.", m)}
        assert verdicts["line wrap"] == ("more", "supported") and len(verdicts) >= 2
        assert all(verdict == "supported" for _, verdict in verdicts.values()), verdicts
    flat = measure_habits(["\n\n".join(PARAGRAPHS)] * 3)
    assert [c.verdict for c in check_habits("The writer wraps their lines at 72 characters.", flat)] == ["contradicted"]
    # The width stated must be the writer's, give or take a few characters.
    assert [c.verdict for c in check_habits(f"The writer wraps lines at {m.wrap_width - 2} characters.", m)] == ["supported"]
    assert [c.verdict for c in check_habits("The writer wraps their lines at 30 characters.", m)] == ["contradicted"]


def test_the_edit_wraps_long_lines_at_the_users_width_and_changes_no_word():
    m = measure_habits([wrapped(60)] * 3)
    quoted = "> a line quoted from the e-mail this one answers, left as it was even though it is long"
    text = ("Dear Ms. Lee,\n\n" + "\n\n".join(PARAGRAPHS) + f"\n\n{quoted}"
            + "\n\n- one item on a list that goes on and on well past the width of a line")
    out, edits = keep_habits(text, [f"The writer usually writes in lines wrapped at about {m.wrap_width} characters."], m)
    body = out.split("\n\n>")[0]
    assert f"\n\n{quoted}\n\n" in out
    assert max(len(line) for line in body.split("\n")) <= m.wrap_width
    assert out.split() == text.split() and out.startswith("Dear Ms. Lee,\n\n")
    assert out.endswith(text.split("\n\n")[-1])  # the list item is left whole
    assert len(edits) == 1 and "wrapped" in edits[0]
    unchanged, none = keep_habits(text, ["The writer usually writes long paragraphs."], m)
    assert unchanged == text and none == []
