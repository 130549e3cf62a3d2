"""Users of the shared corpora (../shared/data), loaded once per session for the judge tests."""

from __future__ import annotations

import pytest

from hyperalign.data import load_users


@pytest.fixture(scope="session")
def emails(shared_data):
    return load_users("email", shared_data / "cmcc" / "cmcc.jsonl", k=5, seed=0)


@pytest.fixture(scope="session")
def essays(shared_data):
    return load_users("essay", shared_data / "cmcc" / "cmcc.jsonl", k=5, seed=0)


@pytest.fixture(scope="session")
def news(shared_data):
    return load_users("news", shared_data / "ccat50" / "ccat50.jsonl", k=5, seed=0)
