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
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public research corpora (../shared/data); tests read them in place, never copy them."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"reference corpora not found at {SHARED_DATA} (expected ../shared/data beside the repo)")
    return SHARED_DATA


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
