"""Shared test set-up: offline environment, paths to the reference corpora, the real embedded LM."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Offline and quiet before dspy/litellm/datasets are imported by any test module.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MLFLOW_TRACKING_URI", "sqlite:///" + str(Path(os.environ.get("TMPDIR", "/tmp")) / "hyperalign-tests-mlflow.db"))

REPO_ROOT = Path(__file__).resolve().parents[1]
# The public research corpora (CCAT50, CMCC, XSTest, ALOE): $HYPERALIGN_CORPORA, else ../shared/data.
CORPORA_ENV = "HYPERALIGN_CORPORA"
SHARED_DATA = Path(os.environ.get(CORPORA_ENV) or REPO_ROOT.parent / "shared" / "data").resolve()
CORPORA_MISSING = "reference corpora not found"
FIXTURE_LINE = next(n for n, line in enumerate(Path(__file__).read_text().splitlines(), 1) if line.startswith("def shared_data"))


def corpora_missing_message() -> str:
    return (f"{CORPORA_MISSING} at {SHARED_DATA}: put CCAT50, CMCC, XSTest and ALOE there (see the README, "
            f"section Tests) or set {CORPORA_ENV}=DIR")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The research corpora; tests read them in place, never copy them. Missing corpora skip the test
    (one summary line says where to put them), except under CI=true, where they fail it."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(corpora_missing_message())
        pytest.skip(corpora_missing_message())
    return SHARED_DATA


def pytest_terminal_summary(terminalreporter) -> None:
    """Every corpus skip reported from one place, so `-ra` folds them into ONE summary line
    ("SKIPPED [N] tests/conftest.py: reference corpora not found at ...") instead of one per test file."""
    for report in terminalreporter.stats.get("skipped", []):
        if isinstance(report.longrepr, tuple) and CORPORA_MISSING in str(report.longrepr[2]):
            report.longrepr = ("tests/conftest.py", FIXTURE_LINE, report.longrepr[2])


@pytest.fixture(scope="session")
def embedded_lm():
    """The real embedded LM (SmolLM2-135M-Instruct via llama.cpp), loaded once per test session."""
    from hyperalign.core.lm import make_lm

    return make_lm("embedded")


@pytest.fixture()
def use_embedded(embedded_lm):
    """Run the test body with the embedded LM and its adapter as the DSPy context."""
    from hyperalign.core.lm import lm_context

    with lm_context(embedded_lm) as lm:
        yield lm


@pytest.fixture(scope="session")
def emails(shared_data):
    """CMCC e-mail writers (k=5, seed 0), loaded once per session."""
    from hyperalign.data import load_users

    return load_users("email", shared_data / "cmcc" / "cmcc.jsonl", k=5, seed=0)


@pytest.fixture(scope="session")
def essays(shared_data):
    """CMCC essay writers (k=5, seed 0)."""
    from hyperalign.data import load_users

    return load_users("essay", shared_data / "cmcc" / "cmcc.jsonl", k=5, seed=0)


@pytest.fixture(scope="session")
def news(shared_data):
    """CCAT50 news writers (k=5, seed 0)."""
    from hyperalign.data import load_users

    return load_users("news", shared_data / "ccat50" / "ccat50.jsonl", k=5, seed=0)
