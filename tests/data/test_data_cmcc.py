"""CMCC e-mails, essays and blogs from the real corpus, each with its topic question as the task."""

from __future__ import annotations

import pytest

from hyperalign.data import load_users
from hyperalign.data.loaders.cmcc import TASK_TEMPLATES, TOPIC_QUESTIONS, topic_code


@pytest.fixture(scope="module")
def by_domain(shared):
    path = shared / "cmcc" / "cmcc.jsonl"
    return {domain: load_users(domain, path) for domain in ("email", "essay", "blog")}


@pytest.mark.parametrize("domain, genre", [("email", "Emails"), ("essay", "Essays"), ("blog", "Blogs")])
def test_each_genre_gives_15_authors_with_6_texts(by_domain, domain, genre):
    users = by_domain[domain]
    assert len(users) == 15
    for user in users:
        assert len(user.samples) == 5 and len(user.held_out) == 1
        item = user.held_out[0]
        assert item.metadata["genre"] == genre
        question = TOPIC_QUESTIONS[item.metadata["topic_code"]]
        assert item.task == TASK_TEMPLATES[genre].format(question=question)


def test_genres_do_not_mix(by_domain):
    texts = {d: {t for u in users for t in u.samples + [i.reference for i in u.held_out]} for d, users in by_domain.items()}
    assert len(texts["email"]) == len(texts["essay"]) == len(texts["blog"]) == 90
    assert not texts["email"] & texts["essay"] and not texts["essay"] & texts["blog"]


def test_tasks_are_the_literature_prompts(by_domain):
    email_task = by_domain["email"][0].held_out[0].task
    essay_task = by_domain["essay"][0].held_out[0].task
    assert email_task.startswith("Write an email response to someone who asked you the following: ")
    assert essay_task.startswith("Write an approximately 500 word essay to the following prompt: ")


def test_every_topic_code_has_a_question():
    assert set(TOPIC_QUESTIONS) == set("CGPMIS")
    assert topic_code("", "privacy (school shooting/myspace)") == "P"
    assert topic_code("m", "") == "M"
    assert topic_code("X", "weather") is None
