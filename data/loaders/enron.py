"""The Enron e-mail corpus as commonly shared: a CSV with `file, message` holding raw RFC 822 messages.

Each message is parsed, its quoted replies, forwarded parts and signature are cut away, and the
messages are grouped by sender address. Messages with nothing of the sender's own left (pure
forwards) are dropped.
"""

from __future__ import annotations

import email
import logging
import re
from email.message import Message
from email.utils import parseaddr
from pathlib import Path

from hyperalign.data.loaders.files import users_from_file
from hyperalign.data.model import Document, User
from hyperalign.data.problems import Problems
from hyperalign.data.readers import read_table
from hyperalign.data.text import first_sentence, normalise

logger = logging.getLogger("hyperalign.data")

# The first line of quoted or forwarded material: everything from here on is someone else's text.
_QUOTE_START = re.compile(
    r"^\s*(-+\s*original message\s*-+"
    r"|-+\s*forwarded by"
    r"|on\b.*\bwrote:\s*$"
    r"|(from|sent|to):\s"
    r"|.*\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}\s*(am|pm)\s*$)",  # Lotus Notes reply header
    re.IGNORECASE,
)
_SIGNATURE_START = re.compile(r"^--\s*$")
# Trailing signature lines: phone numbers, addresses, links.
# Lotus Notes addresses (Name@ECT) have no dot, hence \S@\S.
_CONTACT_LINE = re.compile(
    r"\b(phone|tel|fax|mobile|cell|pager)\b|\(\d{3}\)\s*\d{3}|\d{3}[-.]\d{3}[-.]\d{4}|https?://|www\.|\S@\S",
    re.IGNORECASE,
)
_REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd)\s*:\s*)+", re.IGNORECASE)


def load(path: Path | str, k: int = 5, seed: int = 0, problems: Problems | None = None) -> list[User]:
    return users_from_file(path, read_documents, k, seed, problems)


def read_documents(path: Path, problems: Problems) -> list[Document]:
    table = read_table(path, ["file", "message"], problems)
    documents, empty = [], 0
    for index, row in table.records(["message"], problems):
        message = email.message_from_string(row["message"])
        sender = parseaddr(message.get("From", ""))[1].lower()
        if not sender:
            problems.error(table.where(index), "message has no From: address")
            continue
        body = own_text(body_of(message))
        if not body:
            empty += 1
            continue
        subject = _REPLY_PREFIX.sub("", message.get("Subject", "")).strip()
        name = message.get("X-From", "").strip()
        documents.append(
            Document(
                author=sender,
                text=body,
                task=task_for(subject, body),
                attributes={"name": name} if name and "@" not in name else {},
                metadata={"file": str(table.rows[index].get("file") or ""), "subject": subject, "date": message.get("Date", "")},
            )
        )
    if empty:
        logger.info("%s: %d message(s) had no text of their own (forwards, quotes only)", path, empty)
    return documents


def task_for(subject: str, body: str) -> str:
    if subject:
        return f'Write an email with the subject "{subject}".'
    return f"Write an email that starts with the following: {first_sentence(body)}"


def body_of(message: Message) -> str:
    """The plain-text body, decoded if it was sent quoted-printable or base64."""
    part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), None)
    if part is None:
        return ""
    if part.get("Content-Transfer-Encoding", "").lower() not in ("quoted-printable", "base64"):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    raw = part.get_payload(decode=True) or b""
    try:
        return raw.decode(part.get_content_charset() or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        return raw.decode("utf-8", errors="replace")


def own_text(body: str) -> str:
    """The sender's own words: no quoted reply, no forwarded message, no signature block."""
    kept = []
    for line in normalise(body).split("\n"):
        if _QUOTE_START.match(line) or _SIGNATURE_START.match(line):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line.rstrip())
    while kept and (not kept[-1].strip() or _CONTACT_LINE.search(kept[-1])):
        kept.pop()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
