"""Hypotheses for a known user: from the profile store when it still fits, else inferred and stored.

A stored profile fits when the samples (and attributes), the LM and the program version are the
ones it was inferred from. Rejected hypotheses are removed either way, so a hypothesis a user
rejected is never used again, even when a new inference states it anew.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass

import dspy

from hyperalign.core.hashing import cache_key, short_key
from hyperalign.core.lm import lm_identity
from hyperalign.profiles.store import Profile, ProfileStore, without_rejected
from hyperalign.programs.inputs import clean_attributes, clean_samples


@dataclass
class UserHypotheses:
    """The hypotheses to use for a user (rejections removed) and where they came from."""

    hypotheses: list[dict]
    rejected: list[str]
    reused: bool  # True: from the profile store, no inference call


def samples_hash(samples: list[str], attributes: dict[str, str] | None) -> str:
    """The content hash a profile is keyed by: the cleaned texts and attributes."""
    return cache_key("profile-samples", clean_samples(samples), clean_attributes(attributes))


def program_version(program: dspy.Module) -> str:
    """The program's class and a hash of its saved state (instructions, demos): a recompiled
    program is another version, so its users' hypotheses are inferred anew."""
    manifest = getattr(program, "manifest", None) or {}
    name = manifest.get("program") or type(program).__name__
    return f"{name}@{short_key(program.dump_state())}"


def lm_version() -> str:
    """The current LM as stored in a profile (model and the settings that change answers)."""
    return json.dumps(lm_identity(dspy.settings.lm), sort_keys=True)


def takes_stored_hypotheses(program: dspy.Module) -> bool:
    """Whether the program can infer hypotheses on their own and be given them when it writes."""
    return hasattr(program, "infer_hypotheses") and "hypotheses" in _forward_parameters(program)


def _forward_parameters(program: dspy.Module):
    # From the class: DSPy warns when `forward` is read off an instance.
    return inspect.signature(type(program).forward).parameters


def infer(program: dspy.Module, samples: list[str], attributes: dict[str, str] | None,
          rejected: list[str] | None = None) -> list[dict]:
    """The program's hypotheses; a program that can be told what the user rejected is told."""
    kwargs = {"rejected": rejected} if rejected and "rejected" in inspect.signature(program.infer_hypotheses).parameters else {}
    inferred = program.infer_hypotheses(clean_samples(samples), clean_attributes(attributes), **kwargs)
    return list(inferred[0] if isinstance(inferred, tuple) else inferred)  # (hypotheses, was cached)


def hypotheses_for_user(program: dspy.Module, store: ProfileStore | None, user_id: str, samples: list[str],
                        attributes: dict[str, str] | None = None, version: str | None = None) -> UserHypotheses:
    """Run under the LM's context (`lm_context`). Infers (one LM call) only when no stored profile
    fits; without a store, always infers (the program's in-memory cache may still answer)."""
    if store is None:
        return UserHypotheses(infer(program, samples, attributes), [], reused=False)
    digest, lm, version = samples_hash(samples, attributes), lm_version(), version or program_version(program)
    profile = store.get(user_id)
    rejected = profile.rejected if profile is not None else store.rejected(user_id)
    if profile is not None and profile.matches(digest, lm, version):
        return UserHypotheses(profile.usable_hypotheses(), rejected, reused=True)
    inferred = infer(program, samples, attributes, rejected)
    store.put(Profile(user_id, digest, lm, version, inferred))
    return UserHypotheses(without_rejected(inferred, rejected), rejected, reused=False)


def generate_kwargs(program: dspy.Module, user: UserHypotheses) -> dict:
    """What to pass to the program's forward besides samples, task and attributes."""
    kwargs = {"hypotheses": user.hypotheses}
    if "rejected" in _forward_parameters(program):
        kwargs["rejected"] = user.rejected
    return kwargs
