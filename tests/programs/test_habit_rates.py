"""Habits kept at the user's measured rate: contractions (or none) and lower case. The rate comes
from the user's texts, the edit is reported, and a hypothesis that names no such habit changes
nothing."""

from hyperalign.programs.checks.habits import measure_habits
from hyperalign.programs.habit_edits import keep_habits
from hyperalign.programs.habit_rates import contract_to_rate, expand_contractions, lower_starts_to_share

FORMAL = ("I am writing about the order. It is late and I do not know why. We are waiting. "
          "I have called twice. That is all I can do. You are the only one who can help.")  # 36 words


def test_contractions_reach_the_users_rate_and_no_further():
    text, changed = contract_to_rate(FORMAL, per_100_words=6.0)  # 6 per 100 words of 36: 2
    assert changed == ["I am", "It is"]
    assert text.startswith("I'm writing about the order. It's late and I do not know why.")
    # A text already at the rate is left alone; a rate of 0 contracts nothing.
    assert contract_to_rate(text, per_100_words=6.0) == (text, [])
    assert contract_to_rate(FORMAL, per_100_words=0.0) == (FORMAL, [])
    # A high rate contracts every form it knows, and keeps the case of a sentence start.
    everything, changed = contract_to_rate(FORMAL, per_100_words=50.0)
    assert changed == ["I am", "It is", "do not", "We are", "That is", "You are"]
    assert "I have called" in everything and "That's all" in everything and "You're the only" in everything
    # Never at a clause's end, never "let us" or a possessive "have".
    plain = "I know what it is. And I am too. Please let us know. I have a question."
    assert contract_to_rate(plain, per_100_words=100.0) == (plain, [])


def test_expansion_writes_every_known_contraction_out():
    text, changed = expand_contractions("I\u2019m sure it's fine. Don't worry, we'll see. The cat's bowl.")
    assert text == "I am sure it is fine. Do not worry, we will see. The cat's bowl."  # a possessive stays
    assert changed == ["I\u2019m", "it's", "Don't", "we'll"]
    # "'s" and "'d" before a participle are "has" and "had".
    assert expand_contractions("It's been long and I'd seen it. She's here, they've said.")[0] == (
        "It has been long and I had seen it. She is here, they have said.")


def test_lower_case_starts_spread_at_the_users_share():
    text = "Dear Jo,\n\nThe room is booked. I will be there. We start at ten. Bring the notes. See you."
    lowered, changed = lower_starts_to_share(text, share=0.5)  # 6 starts: 3 to lower
    # "I" stays, and so do words the text never writes in lower case ("Bring", "See": they could be names).
    assert changed == ["Dear", "The", "We"]
    assert lowered == "dear Jo,\n\nthe room is booked. I will be there. we start at ten. Bring the notes. See you."
    # Starts already in lower case count; "Mr." ends no sentence; a name keeps its capital.
    assert lower_starts_to_share("the room. we meet. The end. Then go.", share=0.5) == ("the room. we meet. The end. Then go.", [])
    assert lower_starts_to_share("I met Mr. Smith. Reuters said so. The end.", share=1.0)[0] == "I met Mr. Smith. Reuters said so. the end."
    assert lower_starts_to_share(text, share=0.0) == (text, [])


def test_a_user_who_writes_all_in_lower_case_gets_all_lower_case():
    user = ["hey team!! thursday is not gonna work, i have lab. can we do friday?",
            "so i talked to sam and he said fine. i think we're good.", "ok see you all friday, i'll bring snacks."]
    statement = "The writer writes in lower case."
    text, edits = keep_habits("Hi Team,\n\nI will be late on Friday. Sam knows.", [statement], measure_habits(user))
    assert text == "hi team,\n\ni will be late on friday. sam knows."
    assert edits == [f"lower-cased as the user does (100% of sentence starts): 'every capital letter' ({statement})"]


def test_rate_edits_follow_the_hypotheses_and_need_the_measures():
    casual = ["I'm off today, it's my day. Don't call.", "We're done, that's it. I'll sign.", "Can't come, I've got work."]
    with_contractions = "The writer writes with contractions."
    text, edits = keep_habits(FORMAL, [with_contractions], measure_habits(casual))
    assert text.startswith("I'm writing about the order. It's late and I don't know why.")
    assert edits[0].startswith("contracted to the user's ") and edits[0].endswith(f"({with_contractions})")
    assert keep_habits(FORMAL, [with_contractions]) == (FORMAL, [])  # no measures: no rate to keep
    assert keep_habits(FORMAL, ["The writer comes across as blunt and impatient."], measure_habits(casual)) == (FORMAL, [])
    text, edits = keep_habits("I'm sure it's fine.", ["The writer writes without contractions."])
    assert text == "I am sure it is fine." and edits == ["wrote out contractions: \"I'm\", \"it's\" (The writer writes without contractions.)"]


def test_lines_are_removed_before_a_rate_is_kept():
    user = ["i think it's wrong. the war was a mistake. Nobody asked.", "they don't listen. we should vote. It's simple."]
    statements = ["The writer writes in lower case.", "The writer usually writes without a greeting or a sign-off."]
    text, edits = keep_habits("Dear Sarah,\n\nWe must vote. They will listen. It is time.", statements, measure_habits(user))
    assert text == "we must vote. they will listen. It is time."  # the greeting gone, then 2 of 3 starts lowered (4 of 6)
    assert edits[0].startswith("removed the greeting 'Dear Sarah,'") and "'Dear'" not in edits[1]


def test_an_edit_follows_what_the_statement_claims_not_the_words_it_shares():
    casual = measure_habits(["I'm off, it's late. Don't call.", "We're done, that's it. I'll sign.", "the end. it's fine."])
    # "rarely ... with contractions" claims fewer: contractions are written out, not added.
    text, edits = keep_habits("I am sure it's fine to go.", ["The writer rarely writes with contractions."], casual)
    assert text == "I am sure it is fine to go." and edits[0].startswith("wrote out contractions")
    # "never ... in lower case" claims capitals: nothing is lowered.
    assert keep_habits("The room is booked. We meet.", ["The writer never writes in lower case."], casual) == (
        "The room is booked. We meet.", [])


def test_the_tasks_given_opening_is_never_edited():
    from hyperalign.programs.conditioned_generation import shaped

    casual = measure_habits(["I'm off, it's late. Don't call.", "We're done, that's it. I'll sign."])
    opening = "The bank said it is not cutting rates."
    text, edits = shaped(f"{opening}\n\nIt is true that we are late.", opening, ["The writer writes with contractions."], casual)
    assert text == f"{opening}\n\nIt's true that we're late."
    assert edits and "'It is', 'we are'" in edits[0]
