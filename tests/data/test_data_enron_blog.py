"""Enron and Blog Authorship loaders on small fixture files written by the tests."""

from __future__ import annotations

import pytest

from hyperalign.core.errors import DataError
from hyperalign.data import load_users
from hyperalign.data.loaders import enron
from hyperalign.data.loaders.enron import own_text
from hyperalign.data.problems import Problems


def all_texts(user):
    return user.samples + [item.reference for item in user.held_out]


def test_enron_groups_by_sender_and_skips_short_ones(enron_csv, caplog):
    users = {u.id: u for u in load_users("email", enron_csv, k=2)}
    # carol has one message: skipped with a warning; bob's pure forward has nothing of his own
    assert sorted(users) == ["alice.moreau@example.com", "bob.tran@example.com"]
    assert "carol.diaz@example.com" in caplog.text and "skipped" in caplog.text
    assert len(all_texts(users["alice.moreau@example.com"])) == 4  # the duplicate is dropped
    assert len(all_texts(users["bob.tran@example.com"])) == 3
    assert users["alice.moreau@example.com"].attributes == {"name": "Alice Moreau"}


def test_enron_strips_quotes_forwards_and_signatures(enron_csv):
    users = {u.id: u for u in load_users("email", enron_csv, k=2)}
    alice = all_texts(users["alice.moreau@example.com"])
    joined = "\n".join(alice + all_texts(users["bob.tran@example.com"]))
    for foreign in ("Original Message", "Can you check", "Forwarded by", "forwarded text", "Bob wrote", "> ", "wrote:", "555-0142", "Senior Trader"):
        assert foreign not in joined
    assert "We move to floor 32 on Friday. Pack your drawers on Thursday.\n\nThanks,\nAlice" in alice
    assert "Numbers look fine to me. Send the final sheet by noon." in alice


def test_enron_tasks_come_from_subjects(enron_csv):
    documents = enron.read_documents(enron_csv, Problems())
    alice = {d.task for d in documents if d.author == "alice.moreau@example.com"}
    assert alice == {
        'Write an email with the subject "gas forecast".',  # "Re:" dropped
        'Write an email with the subject "desk move".',
        'Write an email with the subject "lunch".',  # "FW:" dropped
        "Write an email that starts with the following: Quick one: who has the keys to the east meeting room?",
    }


def test_own_text_removes_lotus_notes_reply_header():
    body = "See below, I agree.\n\n\n\n\tJohn Smith@ECT\n\t05/14/2001 04:39 PM\n\t\tTo: Alice\nold text"
    assert own_text(body) == "See below, I agree."


def test_blog_groups_by_blogger_with_attributes(blog_csv, caplog):
    users = {u.id: u for u in load_users("blog", blog_csv, k=2)}
    assert sorted(users) == ["1001", "1002"]
    assert "'1003' skipped" in caplog.text
    assert users["1001"].attributes == {"gender": "female", "age": "24", "industry": "Education", "star sign": "Leo"}
    assert "industry" not in users["1002"].attributes  # indUnk means unknown
    assert len(all_texts(users["1001"])) == 4
    assert "Today I graded forty essays. My red pen has given up." in all_texts(users["1001"])  # whitespace trimmed


def test_blog_tasks_quote_the_first_sentence(blog_csv):
    users = load_users("blog", blog_csv, k=2)
    for user in users:
        for item in user.held_out:
            opening = item.task.removeprefix("Write a blog post that starts with the following: ")
            assert opening != item.task and item.reference.startswith(opening)


def test_blog_csv_is_not_an_email_corpus(blog_csv):
    with pytest.raises(DataError, match="does not read"):
        load_users("email", blog_csv)
