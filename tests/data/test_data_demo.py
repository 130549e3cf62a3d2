"""The bundled demo set: 8 fictional writers whose styles differ measurably, and demo tasks."""

from __future__ import annotations

import re
from statistics import mean

import pytest

from hyperalign.data import load_demo_tasks, load_users
from hyperalign.data.loaders import demo
from hyperalign.data.loaders.demo import EMAILS
from hyperalign.data.problems import Problems


@pytest.fixture(scope="module")
def texts_by_user():
    by_user: dict[str, list[str]] = {}
    for doc in demo.read_documents(EMAILS, Problems()):
        by_user.setdefault(doc.author, []).append(doc.text)
    return by_user


def words_per_sentence(texts):
    sentences = [s for t in texts for s in re.split(r"[.!?]+\s+", t) if s.strip()]
    return mean(len(s.split()) for s in sentences)


def test_demo_users_split_5_and_3():
    users = load_users("demo")
    assert len(users) == 8
    assert all(len(u.samples) == 5 and len(u.held_out) == 3 for u in users)
    assert all(set(u.attributes) == {"role", "audience"} for u in users)
    assert load_users("email") == users  # email with no path means the demo e-mails


def test_every_writer_has_8_emails_of_the_promised_length(texts_by_user):
    assert len(texts_by_user) == 8
    for user, texts in texts_by_user.items():
        assert len(texts) == 8 and len(set(texts)) == 8
        lengths = [len(t.split()) for t in texts]
        if user == "dana_okafor":  # the terse executive
            assert max(lengths) <= 25
        else:
            assert 80 <= min(lengths) and max(lengths) <= 200, user


def test_styles_differ_measurably(texts_by_user):
    t = texts_by_user
    lowercase_starts = lambda texts: mean(s[0].islower() for x in texts for s in re.split(r"(?<=[.!?])\s+", x) if s[:1].isalpha())  # noqa: E731
    assert lowercase_starts(t["jay_rivera"]) > 0.9 > 0.1 > max(lowercase_starts(v) for k, v in t.items() if k != "jay_rivera")
    exclamations = {k: sum(x.count("!") for x in v) for k, v in t.items()}
    assert max(exclamations, key=exclamations.get) == "jay_rivera"
    assert exclamations["eleanor_whitcombe"] == exclamations["tomasz_nowak"] == exclamations["greg_hollis"] == 0
    assert all(re.search(r"^- ", x, re.M) for x in t["tomasz_nowak"])  # bullet points in every mail
    assert sum(x.count(";") for x in t["eleanor_whitcombe"]) >= 12
    by_sentence = {k: words_per_sentence(v) for k, v in t.items()}
    assert max(by_sentence, key=by_sentence.get) == "eleanor_whitcombe"
    assert min(by_sentence, key=by_sentence.get) == "dana_okafor"
    assert all("Harold Percival Ashworth" in x.splitlines()[-3:] for x in t["harold_ashworth"])  # full-name sign-off
    assert not any(re.match(r"(hi|dear|hello)\b", x, re.I) for x in t["dana_okafor"])  # no greeting


def test_demo_tasks_are_new_email_tasks():
    tasks = load_demo_tasks()
    seen = {item.task for u in load_users("demo", k=1) for item in u.held_out}
    assert len(tasks) == 6 and len(set(tasks)) == 6
    assert all(task.startswith("Write an email") for task in tasks)
    assert not set(tasks) & seen
