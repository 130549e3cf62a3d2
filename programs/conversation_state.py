"""A conversation's state as plain JSON: the messages so far and the current hypotheses about the user.

An app keeps this dict between turns (or saves it with `save_state` / `load_state`) and hands it back
to the conversational program with the next message; nothing else about the conversation lives in
the program.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hyperalign.core.errors import InputError
from hyperalign.core.files import write_text

FORMAT = "hyperalign-conversation"
VERSION = 1
ROLES = ("user", "assistant")
STATUSES = ("new", "kept", "revised", "retired")
# A chat message longer than this is a paste accident, not a message; it would not fit any context.
MAX_MESSAGE_CHARS = 20_000


def new_state() -> dict[str, Any]:
    """An empty conversation: no messages, no hypotheses, no user turn yet."""
    return {"format": FORMAT, "version": VERSION, "turn": 0, "messages": [], "hypotheses": []}


def clean_message(message: str) -> str:
    """The user's message, stripped; refuse an empty or oversized one before any LM call."""
    if not isinstance(message, str):
        raise InputError(f"the message is a {type(message).__name__}, not text")
    if not message.strip():
        raise InputError("the message is empty: type something to say")
    if len(message) > MAX_MESSAGE_CHARS:
        raise InputError(f"the message is {len(message):,} characters; the limit is {MAX_MESSAGE_CHARS:,}")
    return message.strip()


def active_hypotheses(state: dict[str, Any]) -> list[dict]:
    return [h for h in state["hypotheses"] if h.get("status") != "retired"]


def user_messages(state: dict[str, Any]) -> list[str]:
    return [m["content"] for m in state["messages"] if m["role"] == "user"]


def transcript(state: dict[str, Any], last: int | None = None, max_chars: int = 600) -> list[str]:
    """'role: content' lines for the LM, the last `last` messages, each cut to `max_chars`."""
    messages = state["messages"][-last:] if last else state["messages"]
    return [f"{m['role']}: {m['content'][:max_chars]}" for m in messages]


def validate_state(data: Any, source: str = "conversation") -> dict[str, Any]:
    """A conversation state checked field by field; the error names `source` and what is wrong."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise InputError(f"{source}: not a saved hyperalign conversation (format is {data.get('format')!r}, expected {FORMAT!r})")
    if data.get("version") != VERSION:
        raise InputError(f"{source}: unsupported conversation version {data.get('version')!r} (this hyperalign reads {VERSION})")
    turn = data.get("turn")
    if not isinstance(turn, int) or turn < 0:
        raise InputError(f"{source}: 'turn' must be a non-negative integer, got {turn!r}")
    messages = data.get("messages")
    if not isinstance(messages, list):
        raise InputError(f"{source}: 'messages' must be a list")
    for i, m in enumerate(messages, start=1):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise InputError(f"{source}: message {i} needs a role (user or assistant) and text content")
        if not isinstance(m.get("turn"), int):
            raise InputError(f"{source}: message {i} has no integer 'turn'")
    hypotheses = data.get("hypotheses")
    if not isinstance(hypotheses, list):
        raise InputError(f"{source}: 'hypotheses' must be a list")
    for i, h in enumerate(hypotheses, start=1):
        if not isinstance(h, dict) or not isinstance(h.get("statement"), str) or not isinstance(h.get("evidence"), list):
            raise InputError(f"{source}: hypothesis {i} needs a statement and an evidence list")
        if h.get("status") not in STATUSES or not isinstance(h.get("turn"), int):
            raise InputError(f"{source}: hypothesis {i} needs a status ({', '.join(STATUSES)}) and an integer turn")
        if not all(isinstance(e, dict) and isinstance(e.get("quote"), str) for e in h["evidence"]):
            raise InputError(f"{source}: hypothesis {i} has evidence without a quote")
    return data


def save_state(state: dict[str, Any], path: str | Path) -> Path:
    """Write the conversation as JSON, atomically (a temp file renamed into place)."""
    path = Path(path)
    validate_state(state)
    if not path.parent.is_dir():
        raise InputError(f"cannot save the conversation to {path}: folder {path.parent} does not exist")
    return write_text(path, json.dumps(state, ensure_ascii=False, indent=2))


def load_state(path: str | Path) -> dict[str, Any]:
    """Read a saved conversation; a missing, unreadable or malformed file is an InputError naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the conversation ({exc.__class__.__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}, line {exc.lineno}: not valid JSON ({exc.msg})") from None
    return validate_state(data, source=str(path))
