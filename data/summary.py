"""Plain-text summaries of loaded data, for `hyperalign data show`."""

from __future__ import annotations

from collections import Counter
from statistics import median

from hyperalign.data.model import SafetyPrompt, SimulatedUser, User

PREVIEW = 200  # characters of an example text to show


def summarise(items: list[User] | list[SafetyPrompt] | list[SimulatedUser]) -> list[str]:
    if items and isinstance(items[0], SafetyPrompt):
        return summarise_prompts(items)  # type: ignore[arg-type]
    if items and isinstance(items[0], SimulatedUser):
        return summarise_simulated(items)  # type: ignore[arg-type]
    return summarise_users(items)  # type: ignore[arg-type]


def summarise_users(users: list[User]) -> list[str]:
    texts = [text for u in users for text in [*u.samples, *(h.reference for h in u.held_out)]]
    example = users[0]
    return [
        f"users: {len(users)}",
        f"texts: {len(texts)} ({sum(len(u.samples) for u in users)} samples, "
        f"{sum(len(u.held_out) for u in users)} held out)",
        f"texts per user: {spread([len(u.samples) + len(u.held_out) for u in users])}",
        f"words per text: {spread([len(t.split()) for t in texts])}",
        f"example user: {example.id} {example.attributes or ''}".rstrip(),
        f"example task: {example.held_out[0].task}",
        f"example reference: {preview(example.held_out[0].reference)}",
    ]


def summarise_prompts(prompts: list[SafetyPrompt]) -> list[str]:
    labels = Counter(p.label for p in prompts)
    categories = Counter(p.category for p in prompts)
    return [
        f"prompts: {len(prompts)} ({labels['safe']} safe, {labels['unsafe']} unsafe)",
        f"sources: {', '.join(f'{s} {c}' for s, c in Counter(p.source for p in prompts).items())}",
        f"categories: {len(categories)} ({', '.join(f'{c} {n}' for c, n in categories.most_common(5))}"
        f"{', ...' if len(categories) > 5 else ''})",
        f"words per prompt: {spread([len(p.prompt.split()) for p in prompts])}",
        f"example: [{prompts[0].label}] {preview(prompts[0].prompt)}",
    ]


def summarise_simulated(users: list[SimulatedUser]) -> list[str]:
    return [
        f"simulated users: {len(users)}",
        f"example user: {users[0].id}",
        f"  profile: {preview(users[0].profile)}",
        f"  personality: {preview(users[0].personality)}",
    ]


def spread(values: list[int]) -> str:
    ordered = sorted(values)
    quartile = lambda q: ordered[round(q * (len(ordered) - 1))]  # noqa: E731 - nearest rank
    return (
        f"min {ordered[0]}, 25% {quartile(0.25)}, median {median(ordered):g}, "
        f"75% {quartile(0.75)}, max {ordered[-1]}"
    )


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 3] + "..."
