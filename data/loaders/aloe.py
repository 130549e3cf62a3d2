"""ALOE simulated users: profiles and personality descriptions (JSONL of strings), paired with a seed."""

from __future__ import annotations

import random
from pathlib import Path

from hyperalign.core.errors import DataError, InputError
from hyperalign.data.model import SimulatedUser
from hyperalign.data.problems import Problems, where
from hyperalign.data.readers import read_jsonl_values, require_file

PROFILES = "profile.jsonl"
PERSONALITIES = "personality.jsonl"


def load(path: Path | str, n: int = 10, seed: int = 0, problems: Problems | None = None) -> list[SimulatedUser]:
    """`n` simulated users from the ALOE folder at `path`: distinct profiles, each with a personality.

    Profiles are drawn without replacement; personalities from a seeded shuffle, reused in turn
    when n exceeds their number. The same seed always gives the same pairs, and a larger n only
    appends users (the first n are the same).
    """
    problems = problems or Problems()
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(f"{folder}: expected a folder holding {PROFILES} and {PERSONALITIES}")
    profiles = _strings(folder / PROFILES, problems)
    personalities = _strings(folder / PERSONALITIES, problems)
    if not profiles or not personalities:
        return []
    if not 1 <= n <= len(profiles):
        raise InputError(f"n must be between 1 and {len(profiles)} (the number of ALOE profiles), got {n}")
    chosen = _shuffled(len(profiles), f"{seed}/profiles")[:n]
    order = _shuffled(len(personalities), f"{seed}/personalities")
    users = []
    for turn, p in enumerate(chosen):
        q = order[turn % len(order)]
        users.append(SimulatedUser(f"aloe-p{p + 1:03d}-q{q + 1:02d}", profiles[p], personalities[q]))
    return users


def _shuffled(count: int, seed: str) -> list[int]:
    return random.Random(seed).sample(range(count), count)


def _strings(path: Path, problems: Problems) -> list[str]:
    table = read_jsonl_values(require_file(path), problems)
    values = []
    for index, value in enumerate(table.rows):
        if value.strip():
            values.append(value.strip())
        else:
            problems.error(table.where(index), "empty entry")
    if not values:
        problems.error(where(path), "no entries")
    return values
