"""CCAT50 in both layouts, from the real corpus in ../shared/data."""

from __future__ import annotations

import pytest

from hyperalign.data import load_users
from hyperalign.data.loaders import news
from hyperalign.data.text import first_sentence


@pytest.fixture(scope="module")
def jsonl_users(shared):
    return load_users("news", shared / "ccat50" / "ccat50.jsonl")


@pytest.fixture(scope="module")
def native_users(shared):
    return load_users("news", shared / "ccat50" / "native")


def test_jsonl_has_35_authors_with_15_articles_each(jsonl_users):
    assert len(jsonl_users) == 35
    assert sum(len(u.samples) + len(u.held_out) for u in jsonl_users) == 525
    assert {len(u.samples) for u in jsonl_users} == {5}
    assert {len(u.held_out) for u in jsonl_users} == {10}


def test_test_split_articles_are_never_samples(jsonl_users):
    for user in jsonl_users:
        splits = [item.metadata["split"] for item in user.held_out]
        assert splits.count("C50test") == 5  # all five test articles held out
        assert splits.count("C50train") == 5  # plus the training articles not drawn as samples


def test_native_layout_reads_3_authors_and_normalises_crlf(native_users):
    assert sorted(u.id for u in native_users) == ["AaronPressman", "AlanCrosby", "AlexanderSmith"]
    for user in native_users:
        assert len(user.samples) == 5 and len(user.held_out) == 5
        assert all(item.metadata["split"] == "C50test" for item in user.held_out)
        texts = user.samples + [item.reference for item in user.held_out]
        assert all("\r" not in text and text == text.strip() for text in texts)


def test_both_layouts_hold_the_same_articles(jsonl_users, native_users):
    by_author = {u.id: set(u.samples) | {i.reference for i in u.held_out} for u in jsonl_users}
    for user in native_users:
        native_texts = set(user.samples) | {i.reference for i in user.held_out}
        assert native_texts <= by_author[user.id]


def test_task_quotes_the_first_sentence_of_the_reference(jsonl_users):
    prefix = "Write an article that starts with the following: "
    for user in jsonl_users:
        for item in user.held_out:
            assert item.task.startswith(prefix)
            opening = item.task[len(prefix):]
            assert item.reference.startswith(opening)
            assert len(opening.split()) >= 4
            # a whole sentence, or the whole first paragraph when it has no full stop
            assert opening[-1] in ".!?\"'" or opening == item.reference.split("\n")[0].strip()


def test_task_for_uses_first_sentence():
    article = "Mr. Smith of Acme Inc. said on Tuesday the U.S. unit would grow. Sales rose 5 percent.\r\nMore text."
    assert news.task_for(article).endswith(": Mr. Smith of Acme Inc. said on Tuesday the U.S. unit would grow.")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two.", "One."),
        ('He said "Stop." Then he left.', 'He said "Stop."'),
        ("Gen. J. Doe arrived in Washington. He spoke.", "Gen. J. Doe arrived in Washington."),
        ("No full stop at all", "No full stop at all"),
        ("\n\n  First paragraph only.\nSecond paragraph.", "First paragraph only."),
    ],
)
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Internet search firm Yahoo! Inc. Wednesday reported a loss. More.", "Internet search firm Yahoo! Inc. Wednesday reported a loss."),
        ("Bre-X chose J.P. Morgan and Co as adviser. Then.", "Bre-X chose J.P. Morgan and Co as adviser."),
        ("Shares in Molson Cos. Ltd. sank on Monday. Next.", "Shares in Molson Cos. Ltd. sank on Monday."),
    ],
)
def test_first_sentence_keeps_company_names_and_initials(text, expected):
    assert first_sentence(text) == expected
