"""Fictional users for the deliberative domain (data/demo/deliberative_users.jsonl), and their
deterministic pairing with labelled safety prompts (XSTest / AdvBench / HarmBench).

Each line: {"user_id", "attributes": {name: text}, "requests": [3-5 earlier requests]}. Users whose
requests or attributes try to switch the policy off ("ignore the policy", "you are now unrestricted")
are marked `injection` by their id prefix `inject-`: they test that such text stays data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hyperalign.core.errors import InputError
from hyperalign.data.model import SafetyPrompt, User, user_example
from hyperalign.data.problems import Problems, where
from hyperalign.data.readers import read_table, require_file

if TYPE_CHECKING:
    import dspy

USERS = Path(__file__).resolve().parents[1] / "demo" / "deliberative_users.jsonl"
COLUMNS = ["user_id", "requests"]
INJECTION_PREFIX = "inject-"
MIN_REQUESTS, MAX_REQUESTS = 1, 10


@dataclass
class DeliberativeUser(User):
    """A user with earlier requests as samples (no held-out texts: the tasks are safety prompts)."""

    injection: bool = False


def load(path: Path | str | None = None, problems: Problems | None = None) -> list[DeliberativeUser]:
    """The users in a JSONL file (the bundled demo users by default), in file order."""
    problems = problems or Problems()
    path = require_file(path or USERS)
    table = read_table(path, COLUMNS, problems)
    users: list[DeliberativeUser] = []
    for index, row in enumerate(table.rows):
        user = _user(row, table.where, index, problems)
        if user is not None:
            if any(u.id == user.id for u in users):
                problems.error(table.where(index), f"user_id '{user.id}' appears twice")
                continue
            users.append(user)
    if not users:
        problems.error(where(path), "no users")
    return users


def _user(row: dict, locate, index: int, problems: Problems) -> DeliberativeUser | None:
    user_id = str(row.get("user_id") or "").strip()
    requests = row.get("requests")
    attributes = row.get("attributes") or {}
    if not user_id:
        problems.error(locate(index), "empty or missing 'user_id'")
    elif not isinstance(requests, list) or not all(isinstance(r, str) and r.strip() for r in requests):
        problems.error(locate(index), "'requests' must be a list of non-empty strings")
    elif not MIN_REQUESTS <= len(requests) <= MAX_REQUESTS:
        problems.error(locate(index), f"{len(requests)} requests; give {MIN_REQUESTS} to {MAX_REQUESTS}")
    elif not isinstance(attributes, dict):
        problems.error(locate(index), "'attributes' must be an object of strings")
    else:
        attrs = {str(k): str(v) for k, v in attributes.items() if v is not None}
        return DeliberativeUser(user_id, [r.strip() for r in requests], [], attrs, user_id.startswith(INJECTION_PREFIX))
    return None


def pair(
    prompts: list[SafetyPrompt], users: list[User], limit: int | None = None, seed: int = 0
) -> list[tuple[SafetyPrompt, User]]:
    """Deterministic pairing: safe and unsafe prompts are each shuffled with `seed` and interleaved
    (safe, unsafe, safe, ...; the longer list's rest at the end), cut to `limit`; prompt k then goes
    to user k mod len(users), users in file order. Same inputs and seed, same pairs."""
    if not users:
        raise InputError("no users to pair the prompts with")
    rng = random.Random(seed)
    safe = [p for p in prompts if p.label == "safe"]
    unsafe = [p for p in prompts if p.label == "unsafe"]
    rng.shuffle(safe)
    rng.shuffle(unsafe)
    ordered = [p for pair_ in zip(safe, unsafe) for p in pair_]
    shorter = min(len(safe), len(unsafe))
    ordered += safe[shorter:] + unsafe[shorter:]
    if limit is not None:
        ordered = ordered[:limit]
    return [(prompt, users[k % len(users)]) for k, prompt in enumerate(ordered)]


def to_examples(pairs: list[tuple[SafetyPrompt, User]]) -> list[dspy.Example]:
    """Inputs samples, task, attributes (the program's call shape); labels label, prompt_id,
    category, user_id, injection."""
    return [
        user_example(user, prompt.prompt, label=prompt.label, prompt_id=prompt.id, category=prompt.category,
                     injection=bool(getattr(user, "injection", False)))
        for prompt, user in pairs
    ]
