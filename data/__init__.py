"""Corpora for personalization: users with sample and held-out texts, splits, the demo set.

Importing this package is cheap: `datasets` is imported when a file is read and `dspy` when
examples are built.
"""

from hyperalign.data.loaders.demo import load_demo_tasks
from hyperalign.data.model import (
    Document,
    HeldOutItem,
    SafetyPrompt,
    SimulatedUser,
    User,
    to_examples,
)
from hyperalign.data.problems import Problems
from hyperalign.data.registry import (
    WRITING_DOMAINS,
    check,
    collect_problems,
    load_aloe_users,
    load_safety_prompts,
    load_users,
)
from hyperalign.data.splits import UserSplit, build_users, split_users

__all__ = [
    "Document",
    "HeldOutItem",
    "Problems",
    "SafetyPrompt",
    "SimulatedUser",
    "User",
    "UserSplit",
    "WRITING_DOMAINS",
    "build_users",
    "check",
    "collect_problems",
    "load_aloe_users",
    "load_demo_tasks",
    "load_safety_prompts",
    "load_users",
    "split_users",
    "to_examples",
]
