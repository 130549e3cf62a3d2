"""`hyperalign compile aloe`: the conversational program, scored turn by turn by the ALOE judge.

An example is one turn of a simulated conversation: the state so far (earlier messages, replies by
the baseline) and the simulated user's next message, with the user's profile and personality as
labels for the judge. The simulated messages are written when the examples are loaded, by the
default LM ($HYPERALIGN_LM, else embedded); DSPy's cache makes a reload free.
"""

from __future__ import annotations

import sys
from pathlib import Path

import dspy

from hyperalign.core.errors import InputError
from hyperalign.core.lm import lm_context
from hyperalign.core.lm_errors import lm_errors
from hyperalign.data.registry import ALOE_HELP, load_aloe_users
from hyperalign.optimize.domains.aloe.simulated_user import UserSimulator
from hyperalign.optimize.domains.spec import DomainSpec, Splits, check_metric, needs_path
from hyperalign.optimize.metrics.aloe import make_turn_metric
from hyperalign.optimize.program_ref import program_or_default
from hyperalign.programs.conversation_state import transcript
from hyperalign.programs.conversational import Conversational, ConversationalBaseline

EXAMPLE_TURNS = 2
METRICS = ("turn-judge",)


def make_program() -> dspy.Module:
    return Conversational()


def conversational_program(ref: str | None = None) -> dspy.Module:
    """The uncompiled program for None / 'conversational' / 'baseline', else a compiled one loaded
    from a program directory or models:/ URI, which must be conversational."""
    return program_or_default(ref, dict.fromkeys((None, "conversational", "baseline"), Conversational), Conversational)


def user_examples(user, turns: int = EXAMPLE_TURNS) -> list[dspy.Example]:
    """One example per turn of a simulated conversation with the baseline (which needs no compiling)."""

    simulator, baseline = UserSimulator(), ConversationalBaseline()
    examples, state = [], None
    for turn in range(1, turns + 1):
        message = simulator(profile=user.profile, personality=user.personality,
                            conversation=transcript(state) if state else []).message
        examples.append(dspy.Example(
            message=message, state=state, profile=user.profile, personality=user.personality,
            user_id=user.id, task=f"turn {turn}",
        ).with_inputs("message", "state"))
        if turn < turns:
            state = baseline(message=message, state=state).state
    return examples


def load_examples(path: Path | str | None, k: int, seed: int, train_users: int, val_users: int) -> Splits:
    """(train, val, test) examples from disjoint ALOE users; `k` is unused (users bring no texts)."""
    if path is None:
        raise InputError("aloe needs --path FOLDER holding profile.jsonl and personality.jsonl")
    users = load_aloe_users(path, n=train_users + 2 * val_users, seed=seed)
    groups = (users[:train_users], users[train_users:train_users + val_users], users[train_users + val_users:])
    with lm_context(), lm_errors():
        return tuple([e for user in group for e in user_examples(user)] for group in groups)


def make_metric(name: str, examples: list[dspy.Example], judge_lm=None):
    check_metric("aloe", name, METRICS)
    return make_turn_metric(judge_lm)


def read_users(path: Path | str, *, n: int, seed: int, problems=None, **_) -> list:
    """`n` simulated users (`hyperalign data show|check aloe`)."""
    return load_aloe_users(path, n=n, seed=seed, problems=problems)


def spec(name: str = "aloe") -> DomainSpec:
    return DomainSpec.from_module(
        name,
        sys.modules[__name__],
        input_fields=("message", "state"),
        load_data=needs_path(name, ALOE_HELP, read_users),
        data_help=ALOE_HELP,
        evaluation="hyperalign.optimize.domains.aloe.evaluation:evaluate_aloe",
        description="conversational program on ALOE simulated users, scored per turn by the ALOE judge",
    )
