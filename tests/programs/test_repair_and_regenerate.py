"""A scripted LM (DummyLM) that answers with copied statements, duplicates, contradicted habits and
an echo of the hypotheses: each is caught with its reason and repaired (inference asks again for
the missing hypotheses; generation writes again)."""

import dspy
from dspy.utils import DummyLM

from hyperalign.programs import HyPerAlign, HypothesisInference

SAMPLES = [
    "Thursday's sync moves to Friday 9:00. Same room. Bring Q3 numbers.\nD.",
    "Can't do the April panel. Calendar's full through June. Try Priya in Ops.\nD.",
    "Need two more weeks on the board pack. New date: the 21st. Flag if that's a problem.\nD.",
]
TASK = "Write an email asking a colleague to cover your shift on Saturday."


def hyp(statement, quote="Same room.", category="writing style"):
    return {"category": category, "statement": statement, "evidence": [quote]}


FIRST = [
    hyp("The writer comes across as brisk and decisive.", category="personality"),
    hyp("Calendar's full through June. Try Priya in Ops."),  # copied from the texts
    hyp("The writer comes across as decisive and brisk.", category="personality"),  # near-duplicate
    hyp("The writer uses many exclamation marks."),  # contradicted: there are none
]
REPAIR = [
    hyp("The writer comes across as brisk and decisive.", category="personality"),  # already kept
    hyp("The writer writes very short sentences.", quote="Bring Q3 numbers."),
    hyp("The writer makes a point by giving only the facts.", quote="New date: the 21st.", category="communication strategy"),
]
GOOD = [REPAIR[1], REPAIR[2], FIRST[0]]
ECHO = "You come across as brisk and decisive. You write very short sentences. You make a point by giving only the facts."
ON_TASK = "Can anyone cover my Saturday shift? Swap is fine. Let me know by Thursday.\nD."


def test_invalid_hypotheses_are_caught_with_reasons_and_the_missing_ones_asked_for():
    lm = DummyLM([{"hypotheses": FIRST}, {"hypotheses": REPAIR}])
    with dspy.context(lm=lm):
        result = HypothesisInference()(samples=SAMPLES)
    valid = [h["statement"] for h in result.hypotheses if h["valid"]]
    dropped = {h["statement"]: h["reason"] for h in result.hypotheses if not h["valid"]}
    assert valid == ["The writer comes across as brisk and decisive.", "The writer writes very short sentences.",
                     "The writer makes a point by giving only the facts."]
    assert dropped["Calendar's full through June. Try Priya in Ops."].startswith("copies text from the samples")
    assert dropped["The writer comes across as decisive and brisk."].startswith("duplicate")
    assert dropped["The writer uses many exclamation marks."].startswith("contradicted: exclamation marks")
    assert result.lm_calls == 2
    # The repair call shows the kept hypothesis (and the ruled-out ones) as known.
    repair_prompt = lm.history[1]["messages"][-1]["content"]
    assert "The writer comes across as brisk and decisive." in repair_prompt
    assert "The writer uses many exclamation marks." in repair_prompt


def test_repair_stops_after_two_calls():
    lm = DummyLM([{"hypotheses": FIRST}] * 3)
    with dspy.context(lm=lm):
        result = HypothesisInference()(samples=SAMPLES)
    assert result.lm_calls == 3 and len(lm.history) == 3
    assert sum(h["valid"] for h in result.hypotheses) == 1


def test_no_repair_when_three_are_valid():
    lm = DummyLM([{"hypotheses": GOOD}])
    with dspy.context(lm=lm):
        result = HypothesisInference()(samples=SAMPLES)
    assert result.lm_calls == 1 and all(h["valid"] for h in result.hypotheses)


def test_an_echo_of_the_hypotheses_is_caught_and_written_again():
    lm = DummyLM([{"hypotheses": GOOD}, {"text": ECHO}, {"text": ON_TASK}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    assert pred.text == ON_TASK and pred.regenerated and pred.problems == []
    assert len(lm.history) == 3
    # The hypotheses reach the LM in the second person, each with its grounding quote; the task as the request.
    prompt = lm.history[1]["messages"][-1]["content"]
    assert 'You write very short sentences. For example: \\"Bring Q3 numbers.\\"' in prompt and TASK in prompt


def test_an_echo_that_stays_is_reported():
    lm = DummyLM([{"hypotheses": GOOD}, {"text": ECHO}, {"text": ECHO}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    assert pred.regenerated and any(p.startswith("echoes the hypotheses") for p in pred.problems)
    assert any("still fails a check" in w for w in pred.warnings)


def test_the_program_conditions_only_on_valid_hypotheses_and_says_what_it_dropped():
    lm = DummyLM([{"hypotheses": FIRST}, {"hypotheses": FIRST}, {"hypotheses": FIRST}, {"text": ON_TASK}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    prompt = lm.history[-1]["messages"][-1]["content"]
    assert "brisk and decisive" in prompt and "exclamation" not in prompt and "Try Priya" not in prompt
    assert [d["reason"].split(":")[0] for d in pred.dropped] == ["copies text from the samples", "duplicate", "contradicted"]
    assert pred.warnings[0].startswith("only 1 valid hypothesis about the user (fewer than 3)")


def test_given_hypotheses_skip_inference_and_rejected_ones_are_left_out():
    lm = DummyLM([{"text": ON_TASK}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK, hypotheses=GOOD,
                            rejected=["The writer comes across as brisk and decisive."])
    assert len(lm.history) == 1  # generation only
    assert [d["reason"].split(":")[0] for d in pred.dropped] == ["rejected"]
    assert "brisk" not in lm.history[0]["messages"][-1]["content"]


def test_a_text_that_is_only_the_given_opening_is_written_again_as_the_rest():
    opening = "The Postal Service announced a plan on Wednesday to sell digital postmarks for e-mail."
    task = f"Write an article that starts with the following: {opening}"
    restated = "On Wednesday the Postal Service announced a plan to sell digital postmarks for e-mail."
    rest = "The postmarks would prove when a message was sent. Banks and lawyers are expected to be the first buyers."
    lm = DummyLM([{"hypotheses": GOOD}, {"text": restated}, {"text": rest}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=task)
    assert pred.text == f"{opening} {rest}" and pred.regenerated
    assert "Write what comes after that first sentence" in lm.history[2]["messages"][-1]["content"]


def test_a_text_that_talks_about_itself_is_written_again():
    about = ("This article, written in the style of business and polished to perfection, is designed to make you smile. "
             "Can anyone cover my Saturday shift?")
    lm = DummyLM([{"hypotheses": GOOD}, {"text": about}, {"text": ON_TASK}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    assert pred.text == ON_TASK and pred.regenerated
    from hyperalign.programs.conditioned_generation import output_problems

    assert any(p.startswith("talks about the text instead of being it: 'written in the style'")
               for p in output_problems(about, TASK, SAMPLES, []))
    # Talk to the person who asked for the text (measured on CCAT50) is not the text either.
    for chatter, found in (("Sales rose. Here\u2019s a rewritten version of the article to help you.", "Here\u2019s a rewritten version of the article"),
                           ("Sounds like a great story. Sales rose.", "Sounds like a great story")):
        assert f"talks about the text instead of being it: {found!r}" in output_problems(chatter, TASK, SAMPLES, [])
    # An e-mail that says what it is for is not talk about itself.
    plain = output_problems("This is to let you know the wifi is down tonight. Here is the draft budget for next year. "
                            "Sounds like a great idea.", TASK, SAMPLES, [])
    assert not any(p.startswith("talks about the text") for p in plain)


def test_a_hypothesis_is_shown_with_a_grounded_quote_only():
    from hyperalign.programs.conditioned_generation import shown

    grounded = {"statement": "The writer writes very short sentences.",
                "evidence": [{"quote": "made up", "grounded": False}, {"quote": "Bring Q3 numbers.", "grounded": True}]}
    assert shown(grounded, True) == 'You write very short sentences. For example: "Bring Q3 numbers."'
    assert shown(grounded, False) == "You write very short sentences."
    assert shown({**grounded, "evidence": grounded["evidence"][:1]}, True) == "You write very short sentences."


OFF_TASK_TEXT = "The harbour was quiet this morning. Grilled sardines, cold wine and a long lunch by the water."


def test_an_off_task_draft_is_written_again_without_the_quotes():
    """The quotes come from the user's texts on other topics; the second draft is asked from the task alone."""
    lm = DummyLM([{"hypotheses": GOOD}, {"text": OFF_TASK_TEXT}, {"text": ON_TASK}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    first, second = (lm.history[i]["messages"][-1]["content"] for i in (1, 2))
    assert "For example" in first and "For example" not in second
    assert "You write very short sentences." in second
    assert pred.text == ON_TASK and pred.problems == []


def test_of_two_failing_drafts_the_one_on_task_is_kept():
    """One problem each (off task; echoes a hypothesis): the draft that does the task wins."""
    echo_on_task = ON_TASK + " You come across as brisk and decisive."
    lm = DummyLM([{"hypotheses": GOOD}, {"text": OFF_TASK_TEXT}, {"text": echo_on_task}])
    with dspy.context(lm=lm):
        pred = HyPerAlign()(samples=SAMPLES, task=TASK)
    assert pred.text == echo_on_task and len(pred.problems) == 1 and pred.problems[0].startswith("echoes")
