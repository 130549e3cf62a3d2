"""Corpora for personalization: users with sample and held-out texts, splits, the demo set.

Importing this package is cheap: `datasets` is imported when a file is read and `dspy` when
examples are built.
"""

from hyperalign.data.loaders.demo import load_demo_tasks
from hyperalign.data.model import Document, HeldOutItem, SafetyPrompt, SimulatedUser, User, to_examples
from hyperalign.data.problems import Problems
from hyperalign.data.registry import DOMAINS, OTHER_SETS, check, load_aloe_users, load_any, load_safety_prompts, load_users
from hyperalign.data.splits import UserSplit, build_users, split_users

__all__ = [
    "DOMAINS",
    "OTHER_SETS",
    "Document",
    "HeldOutItem",
    "Problems",
    "SafetyPrompt",
    "SimulatedUser",
    "User",
    "UserSplit",
    "build_users",
    "check",
    "load_aloe_users",
    "load_any",
    "load_demo_tasks",
    "load_safety_prompts",
    "load_users",
    "split_users",
    "to_examples",
]
