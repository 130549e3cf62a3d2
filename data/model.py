"""The data model: users with sample texts and held-out items, and their conversion to dspy.Examples."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # dspy is heavy; only to_examples needs it
    import dspy


@dataclass
class Document:
    """One text by one author as a loader reads it, before the sample/held-out split."""

    author: str
    text: str
    task: str  # the request this text answers, used when the text is held out
    attributes: dict[str, str] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    sample_ok: bool = True  # False for texts a corpus reserves for testing (e.g. C50test)


@dataclass
class HeldOutItem:
    """A task the user answered, and the user's own answer to compare generated text against.

    `id` is stable across runs, seeds and k (see `item_id`): outputs produced elsewhere name it to
    say which item they answer (`hyperalign data show DOMAIN --items` lists them)."""
    task: str
    reference: str
    metadata: dict[str, str] = field(default_factory=dict)
    id: str = ""


# Origins that are a whole corpus file (JSONL/CSV) rather than one text's own file.
CORPUS_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv")


def item_id(author: str, text: str, origin: str = "") -> str:
    """A held-out text's stable id: the name of its own source file when the corpus has one per text
    (CCAT50's `106247newsML`, CMCC's `S10E3C4`), else the author and a short hash of the text."""
    name = PurePosixPath(origin.replace("\\", "/")).name if origin else ""
    if name and not name.lower().endswith(CORPUS_SUFFIXES):
        return name.rsplit(".", 1)[0] if "." in name else name

    return f"{author}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


@dataclass
class User:
    """A writer: texts to infer hypotheses from (samples) and tasks to generate for (held_out)."""

    id: str
    samples: list[str]
    held_out: list[HeldOutItem]
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class SafetyPrompt:
    """A prompt with a safety label: a good system answers `safe` ones and declines `unsafe` ones."""
    id: str
    prompt: str
    label: Literal["safe", "unsafe"]
    category: str
    source: str  # corpus name: xstest, advbench or harmbench


@dataclass
class SimulatedUser:
    """An ALOE simulated user: what they are like (profile) and how they talk (personality)."""
    id: str
    profile: str
    personality: str


def to_examples(users: list[User], with_background: bool = False) -> list[dspy.Example]:
    """One example per held-out item: inputs samples, task, attributes; labels reference, user_id.

    With `with_background`, each example also carries `other_users`: the sample texts of every
    other user, the background a stylometric judge compares against.
    """
    examples = []
    for user in users:
        background = [s for other in users if other.id != user.id for s in other.samples]
        for item in user.held_out:
            labels = {"reference": item.reference, "item_id": item.id}
            if with_background:
                labels["other_users"] = background
            examples.append(user_example(user, item.task, **labels))
    return examples


def user_example(user: User, task: str, **labels: Any) -> dspy.Example:
    """One task for one user in the programs' call shape: inputs samples, task, attributes; labels
    user_id and `labels`."""
    import dspy  # heavy: data stays importable (and the CLI fast) until examples are built

    return dspy.Example(samples=list(user.samples), task=task, attributes=dict(user.attributes), user_id=user.id,
                        **labels).with_inputs("samples", "task", "attributes")
