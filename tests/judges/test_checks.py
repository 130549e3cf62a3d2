"""The deterministic checks (programs/checks) on real texts of the shared corpora: a user's real new
text passes each of them, and each adversary fails the check made for it, with numbers in the problem."""

from __future__ import annotations

import random
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from hyperalign.optimize.judges.adversaries import junk_tail, shuffled_sentences
from hyperalign.programs.checks import embed, fidelity, originality, sanity, similarity
from hyperalign.programs.checks.tokens import sentences


def test_real_emails_and_essays_are_original_and_sane(emails, essays):
    for user in emails + essays:
        item = user.held_out[0]
        copied = originality(item.reference, user.samples, item.task)
        sane = sanity(item.reference, user.samples)
        assert (copied.score, copied.problem, sane.score, sane.problem) == (1.0, "", 1.0, ""), user.id
        assert copied.longest_span < 15 and copied.copied_share < 0.05


def test_a_copied_sample_is_named_with_its_numbers(emails):
    user = emails[0]
    result = originality(user.samples[2], user.samples, user.held_out[0].task)
    assert result.score < 0.05 and result.copied_share == 1.0 and result.source == "sample 3"
    assert result.longest_span == len(re.findall(r"[^\W_]+(?:['\u2019][^\W_]+)*", user.samples[2]))
    assert "sample 3" in result.problem and "100%" in result.problem


def test_shuffled_sample_sentences_are_caught_in_any_order(emails, essays):
    for user in emails + essays:
        text = shuffled_sentences(user.samples, 250, random.Random(user.id))
        result = originality(text, user.samples)
        assert result.score < 0.5 and result.duplicate_sentences > 0.4, (user.id, result)


def test_quoting_the_task_once_is_fine_echoing_it_is_not(news):
    user = next(u for u in news if originality(u.held_out[0].reference, u.samples).score == 1.0)
    item = user.held_out[0]
    quoted = originality(item.reference, user.samples, item.task)  # the article starts with the task's sentence
    assert quoted.task_share > 0 and quoted.score == 1.0
    echo = originality(item.task, user.samples, item.task)
    assert echo.task_share > 0.9 and echo.score < 0.05 and "repeat the task" in echo.problem


def test_other_sources_are_named_by_their_labels():
    hypothesis = "The user writes short sentences and always signs off with a single initial after a dash."
    result = originality(f"Thanks for asking. {hypothesis}", [hypothesis], labels=["hypothesis 1"])
    assert result.source == "hypothesis 1" and "hypothesis 1" in result.problem and result.score < 0.5


def test_on_task_texts_are_closer_to_the_task_than_the_users_other_texts(emails, essays):
    real, off_task, wins = [], [], []
    for user in emails + essays:
        item = user.held_out[0]
        real.append(fidelity(item.reference, item.task, user.samples).score)
        for j, text in enumerate(user.samples):
            # Each of the user's own texts on another topic, judged with the other samples.
            off_task.append(fidelity(text, item.task, user.samples[:j] + user.samples[j + 1 :]).score)
            wins.append(real[-1] > off_task[-1])
    assert min(real) >= 0.5 and np.mean(real) > 0.9
    # Related topics (the Catholic church and same-sex marriage) make a few off-task texts look on task.
    assert np.mean(off_task) < 0.3 and np.mean(wins) >= 0.9


def test_fidelity_problem_names_the_similarities(emails):
    user = emails[3]
    result = fidelity(user.samples[0], user.held_out[0].task, user.samples[1:])
    if result.score < 0.5:
        assert re.fullmatch(r"off task: similarity to the task -?\d\.\d\d, the user's texts for other tasks -?\d\.\d\d", result.problem)
    with_reference = fidelity(user.held_out[0].reference, user.held_out[0].task, user.samples, reference=user.held_out[0].reference)
    assert with_reference.reference_similarity == pytest.approx(1.0, abs=1e-6) and with_reference.score > 0.99


def test_embeddings_are_deterministic_across_threads(emails):
    texts = [u.held_out[0].reference for u in emails]
    serial = embed(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda t: embed([t])[0], texts))
    assert np.array_equal(serial, np.array(threaded)) and np.allclose(np.linalg.norm(serial, axis=1), 1.0)
    assert similarity(texts[0], texts[0]) == pytest.approx(1.0)


def test_junk_tails_loops_one_liners_and_empty_texts_are_degenerate(emails):
    user = emails[1]
    real = user.held_out[0].reference
    junk = sanity(real + "\n\n" + junk_tail(7), user.samples)
    assert junk.score < 0.1 and junk.junk_share > 0.2 and "junk" in junk.problem
    loop = sanity("I think we should talk about it. " * 60, user.samples)
    assert loop.score < 0.1 and loop.repeated_share > 0.9
    first = sentences(real)[0]
    one = sanity(first, user.samples)
    assert one.score < 0.06 and "one-sentence answer" in one.problem
    assert sanity("", user.samples).score == 0.0 and sanity("   ", user.samples).problem == "degenerate: the text has no words"
    long = sanity(" ".join(user.samples * 8), user.samples)
    assert long.score < 0.5 and "words; the user's texts run" in long.problem


def test_a_user_who_writes_tables_is_not_punished_for_them():
    table = "Results:\n" + "\n".join(f"{i} 12.{i} +0.{i} -- 44 55 66 77" for i in range(10)) + "\nThat is all for today, see you."
    samples = [table.replace("12.", "13."), table.replace("44", "45")]
    assert sanity(table, samples).score == 1.0 and sanity(table).score < 1.0
