"""Shared fixtures for the data-layer tests: the real corpora, and writers of small fixture files."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

# Before anything imports datasets: never reach for the hub.
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

@pytest.fixture(scope="session")
def shared(shared_data) -> Path:
    """The research corpora (tests/conftest.py: $HYPERALIGN_CORPORA, else ../shared/data)."""
    return shared_data


def _write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _raw_email(sender: str, name: str, subject: str, body: str, number: int) -> str:
    """A raw RFC 822 message in the shape of the Enron CSV's `message` column."""
    return (
        f"Message-ID: <{number}.1075855378110.JavaMail.evans@thyme>\n"
        f"Date: Mon, {number % 28 + 1} May 2001 16:39:00 -0700 (PDT)\n"
        f"From: {sender}\n"
        "To: team@example.com\n"
        f"Subject: {subject}\n"
        "Mime-Version: 1.0\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "Content-Transfer-Encoding: 7bit\n"
        f"X-From: {name}\n"
        "X-To: Team\n"
        "X-Folder: \\Sent Mail\n"
        "X-Origin: TEST\n"
        "X-FileName: test.pst\n"
        "\n"
        f"{body}"
    )


@pytest.fixture
def make_jsonl(tmp_path: Path):
    """make_jsonl(name, records) -> path of a JSONL file in tmp_path."""
    return lambda name, records: _write_jsonl(tmp_path / name, records)


@pytest.fixture
def make_csv(tmp_path: Path):
    """make_csv(name, header, rows) -> path of a CSV file in tmp_path."""
    return lambda name, header, rows: _write_csv(tmp_path / name, header, rows)


ALICE_SIGNATURE = "Alice Moreau\nSenior Trader\nPhone: (713) 555-0142\nalice.moreau@example.com"


@pytest.fixture
def enron_csv(tmp_path: Path) -> Path:
    """An Enron-style CSV: alice (4 messages, one duplicated in a second folder), bob (3 + a pure
    forward), carol (1). Bodies carry quoted replies, forwarded parts and signatures."""
    alice = ("alice.moreau@example.com", "Alice Moreau")
    bob = ("bob.tran@example.com", "Bob Tran")
    messages = [
        (alice, "Re: gas forecast", "Numbers look fine to me. Send the final sheet by noon.\n\n"
         "-----Original Message-----\nFrom: Bob Tran\nSent: Monday\nCan you check the forecast?"),
        (alice, "desk move", "We move to floor 32 on Friday. Pack your drawers on Thursday.\n\n"
         "Thanks,\nAlice\n\n--\n" + ALICE_SIGNATURE),
        (alice, "", "Quick one: who has the keys to the east meeting room?\n\n> Bob wrote that he had them.\n> Not sure."),
        (alice, "FW: lunch", "Lunch is on me today, meet at the lobby at 12.\n\n"
         "---------------------- Forwarded by Alice Moreau/HOU/ECT on 05/14/2001 04:39 PM ---------------------------\n"
         "Some forwarded text that is not Alice's."),
        (bob, "contract", "I signed the contract. Legal has the copy.\n\nBob"),
        (bob, "Re: desk move", "Fine by me. I will bring boxes.\n\nOn Mon, 14 May 2001, Alice wrote:\n> We move on Friday."),
        (bob, "weekend", "Anyone up for a game on Saturday? Court is booked from 10."),
        (bob, "FW: newsletter", "-----Original Message-----\nFrom: news@example.com\nThe newsletter."),
        (("carol.diaz@example.com", "Carol Diaz"), "hello", "Hi all, glad to join the team."),
    ]
    rows = [[f"{s[0].split('@')[0]}/sent/{i}.", _raw_email(s[0], s[1], subj, body, i)] for i, (s, subj, body) in enumerate(messages, 1)]
    rows.append(["alice.moreau/all_documents/1.", rows[0][1]])  # the same message in a second folder
    return _write_csv(tmp_path / "emails.csv", ["file", "message"], rows)


@pytest.fixture
def blog_csv(tmp_path: Path) -> Path:
    """A Blog Authorship Corpus CSV: blogger 1001 (4 posts), 1002 (3 posts), 1003 (1 post)."""
    header = ["id", "gender", "age", "topic", "sign", "date", "text"]
    rows = [
        ["1001", "female", "24", "Education", "Leo", "14,May,2004", "       Today I graded forty essays. My red pen has given up.       "],
        ["1001", "female", "24", "Education", "Leo", "15,May,2004", "Rain again. The kids were climbing the walls by second period."],
        ["1001", "female", "24", "Education", "Leo", "16,May,2004", "Parent evening went well. Mostly. One dad asked if I was the intern."],
        ["1001", "female", "24", "Education", "Leo", "17,May,2004", "Summer is close. I can smell it.\nOr maybe that is the cafeteria."],
        ["1002", "male", "35", "indUnk", "Aries", "01,June,2004", "New bike. Rode it to the coast and back, sixty miles."],
        ["1002", "male", "35", "indUnk", "Aries", "02,June,2004", "Legs hurt. Worth it."],
        ["1002", "male", "35", "indUnk", "Aries", "03,June,2004", "Fixed a flat in the rain. Nobody stopped to help. Typical."],
        ["1003", "female", "17", "Student", "Virgo", "05,July,2004", "First post! Hello internet."],
    ]
    return _write_csv(tmp_path / "blogtext.csv", header, rows)
