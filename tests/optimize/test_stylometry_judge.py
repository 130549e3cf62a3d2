"""The stylometric judge on real e-mails (CMCC, ../shared/data): scores relative to other writers,
feedback that names real feature gaps with numbers, determinism, thread safety, bad input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import dspy
import numpy as np
import pytest

from hyperalign.core.errors import InputError
from hyperalign.optimize.stylometry import (
    FEATURES,
    StylometricJudge,
    attribute,
    style_vector,
    stylometric_score,
)

SENTENCE_LENGTH = [f.name for f in FEATURES].index("sentence_length")


@pytest.fixture(scope="module")
def users(emails):
    return emails


@pytest.fixture(scope="module")
def background(users):
    return [u.samples for u in users]


def test_own_held_out_email_ranks_first_and_scores_above_other_writers(users, background):
    judge = StylometricJudge(background, domain="email")
    for user in users[:6]:
        own = judge(samples=user.samples, candidate=user.held_out[0].reference)
        assert isinstance(own, dspy.Prediction) and 0.0 <= own.score <= 1.0
        assert own.rank == 1 and own.score > 0.75
        others = [judge(samples=user.samples, candidate=o.held_out[0].reference).score for o in users if o is not user]
        assert np.mean(others) < 0.6 and max(others) < own.score


def test_degenerate_text_does_not_score_like_the_user(users, background):
    # What a small LM produces when it loops or stops: it resembles no writer, so it must not win
    # just because some user is its least distant writer.
    degenerate = ["word " * 500, "the the the the the the the the the the", "!!!!!!!!!!!!", "\u2026"]
    for user in users[:6]:
        own = stylometric_score(user.samples, user.held_out[0].reference, background, domain="email").score
        scores = [stylometric_score(user.samples, text, background, domain="email").score for text in degenerate]
        assert max(scores) < own and np.mean(scores) < 0.4


def test_feedback_names_the_sentence_length_gap_with_numbers(users, background):
    user = users[0]
    # The user's own held-out e-mail, its sentences run together into one.
    words = re.sub(r"[.!?]+(\s|$)", r", and\1", user.held_out[0].reference)
    candidate = " ".join(words.split()).removesuffix(", and") + "."
    verdict = stylometric_score(user.samples, candidate, background, domain="email")
    user_average = float(np.mean([style_vector(s)[SENTENCE_LENGTH] for s in user.samples]))
    gap = next(g for g in verdict.gaps if g["feature"] == "sentence_length")
    assert gap["candidate"] == pytest.approx(style_vector(candidate)[SENTENCE_LENGTH])
    assert gap["user"] == pytest.approx(user_average)
    assert gap["candidate"] > 3 * user_average and gap["z"] > 0
    phrase = f"sentences average {gap['candidate']:.1f} words; the user's average {user_average:.1f}"
    assert gap["text"] == phrase and phrase in verdict.feedback
    # The same words in the user's own sentences score higher than the run-on version.
    assert stylometric_score(user.samples, user.held_out[0].reference, background, domain="email").score > verdict.score


def test_gaps_are_the_furthest_features_and_none_when_close(users, background):
    user = users[1]
    shouting = "\n".join(f"- {line.upper()}!!!" for line in user.held_out[0].reference.split(". ")[:6])
    gaps = stylometric_score(user.samples, shouting, background, domain="email").gaps
    named = [g["feature"] for g in gaps]
    assert {"capitals", "exclamations", "bullets"} & set(named)
    assert [abs(g["z"]) for g in gaps] == sorted((abs(g["z"]) for g in gaps), reverse=True)
    # One of the user's own samples is within their range: few or no gaps, and a high score.
    own = stylometric_score(user.samples, user.samples[0], background, domain="email")
    assert own.rank == 1 and all(abs(g["z"]) < 2 for g in own.gaps)


def test_attribute_ranks_every_writer_closest_first(users):
    writers = {u.id: u.samples for u in users}
    ranking = attribute(users[2].held_out[0].reference, writers)
    assert [name for name, _ in ranking][0] == users[2].id
    assert sorted(name for name, _ in ranking) == sorted(writers)
    similarities = [s for _, s in ranking]
    assert similarities == sorted(similarities, reverse=True)


def test_scores_are_identical_across_calls_threads_and_processes(users, background, shared_data):
    candidates = [u.held_out[0].reference for u in users]
    serial = [stylometric_score(users[0].samples, c, background) for c in candidates]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda c: stylometric_score(users[0].samples, c, background), candidates))
    assert [(p.score, p.rank, p.feedback) for p in serial] == [(p.score, p.rank, p.feedback) for p in threaded]
    # A fresh interpreter (another hash seed) gives the very same score: the n-gram hashing is stable.
    code = (
        "import sys; from hyperalign.data import load_users; from hyperalign.optimize.stylometry import stylometric_score;"
        "u = load_users('email', sys.argv[1], k=5, seed=0);"
        "print(repr(stylometric_score(u[0].samples, u[3].held_out[0].reference, [x.samples for x in u]).score))"
    )
    path = str(shared_data / "cmcc" / "cmcc.jsonl")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, env=env, timeout=300, check=True)
    assert float(out.stdout.strip().splitlines()[-1]) == serial[3].score


@pytest.mark.parametrize(
    ("samples", "candidate", "background", "message"),
    [
        (["A sample."], "", [["Other."]], "the candidate is empty"),
        (["A sample."], "   \n ", [["Other."]], "the candidate is empty"),
        (["A sample."], None, [["Other."]], "the candidate must be a text"),
        ("A sample as a bare string.", "Text.", [["Other."]], "samples must be a list of texts"),
        ([], "Text.", [["Other."]], "samples: no texts"),
        (["A sample.", ""], "Text.", [["Other."]], "samples, text 2 is empty"),
        (["A sample."], "Text.", [], "at least one background writer"),
        (["A sample."], "Text.", [["Other.", 42]], "background writer 1, text 2 must be a text"),
        (["A sample."], "Text.", [["A sample."]], "no writer other than the user"),
    ],
)
def test_bad_input_is_an_input_error(samples, candidate, background, message):
    with pytest.raises(InputError, match=re.escape(message)):
        stylometric_score(samples, candidate, background)


def test_attribution_needs_two_writers():
    with pytest.raises(InputError, match="at least two writers"):
        attribute("Some text.", {"only": ["A sample."]})
