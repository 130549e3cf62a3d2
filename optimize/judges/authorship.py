"""The authorship judge: is a text what this user would write for this task? Four parts, each in
[0, 1] and reported separately, multiplied so that failing any one sinks the score:

- style: the stylometric judge's calibrated closeness to the user relative to other writers, with the
  method fixed for the domain (a user's own new text scores about 0.85 in every domain);
- originality: not copied from the user's samples or the task (programs/checks/originality);
- fidelity: does the task, by semantic similarity (WordLlama; programs/checks/fidelity);
- sanity: not degenerate: repetition, junk, a length the user never writes (programs/checks/sanity).

No LM, deterministic. Validated against adversaries (a copy of a sample, shuffled sample sentences,
an off-task text, another user's text for the task, a junk tail, a one-sentence answer) by
`hyperalign judge validate` (optimize/judges/adversarial.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import dspy

from hyperalign.optimize.stylometry import StylometricJudge
from hyperalign.optimize.stylometry.judge import check_text, check_texts
from hyperalign.programs.checks import fidelity, originality, sanity

PARTS = ("style", "originality", "fidelity", "sanity")
FAILING = 0.5  # a part below this fails: the feedback names it first, with its numbers


class AuthorshipJudge(dspy.Module):
    """Scores a candidate text for a task against a user's samples and background writers.

    `forward(samples, task, candidate, reference=None)` returns `dspy.Prediction(score, parts, rank,
    feedback, gaps, checks)`: `score` the product of `parts` (style, originality, fidelity, sanity, each
    in [0, 1]); `rank` the user's place among all writers by style (1 = closest); `feedback` the failing
    parts with their numbers, then the style gaps; `checks` every measured number (dicts). With a
    `reference` (the user's own answer to the task), fidelity also weighs closeness to its content.

        judge = AuthorshipJudge(background=[u.samples for u in users], domain="email")
        verdict = judge(samples=user.samples, task=item.task, candidate=text)
        verdict.score, verdict.parts["originality"], verdict.feedback
    """

    def __init__(self, background: Sequence[Sequence[str]], domain: str | None = None, n_gaps: int = 3):
        super().__init__()
        self.style = StylometricJudge(background, domain=domain, n_gaps=n_gaps)
        self.domain = domain

    def forward(self, samples: Sequence[str], task: str, candidate: str, reference: str | None = None) -> dspy.Prediction:
        samples = check_texts(samples, "the user's samples")
        task = check_text(task, "the task")
        if not isinstance(candidate, str):
            check_text(candidate, "the candidate")  # raises the InputError that names the type
        if not candidate.strip():
            return dspy.Prediction(score=0.0, parts=dict.fromkeys(PARTS, 0.0), rank=None, gaps=[], checks={},
                                   feedback="Authorship score 0.00: the text is empty; write the requested text.")
        style = self.style(samples=samples, candidate=candidate)
        copied = originality(candidate, samples, task)
        on_task = fidelity(candidate, task, samples, reference)
        sane = sanity(candidate, samples)
        parts = {"style": float(style.calibrated), "originality": copied.score, "fidelity": on_task.score, "sanity": sane.score}
        score = 1.0
        for value in parts.values():
            score *= value
        problems = {"originality": copied.problem, "fidelity": on_task.problem, "sanity": sane.problem}
        standing = style_standing(parts["style"], style.rank, style.n_writers, [g["text"] for g in style.gaps])
        return dspy.Prediction(
            score=score,
            parts=parts,
            rank=style.rank,
            gaps=style.gaps,
            checks={"originality": copied.as_dict(), "fidelity": on_task.as_dict(), "sanity": sane.as_dict()},
            feedback=feedback_text(score, parts, problems, standing),
        )


def style_standing(style: float, rank: int, n_writers: int, gaps: list[str]) -> str:
    """The style part in words: where the text stands among the writers, then what to change."""
    text = (f"Style {style:.2f}: closer to this user's writing than to {n_writers - rank} of the {n_writers - 1} "
            f"other writers (rank {rank} of {n_writers}).")
    if gaps:
        return f"{text} Furthest from the user's style: " + " | ".join(gaps) + "."
    return f"{text} Its measurable habits (length, sentences, punctuation, casing, pronouns) are within the user's usual range."


def feedback_text(score: float, parts: dict[str, float], problems: dict[str, str], standing: str) -> str:
    """The score and its parts; each failing part, worst first, with its numbers; then the style."""
    shown = " x ".join(f"{name} {parts[name]:.2f}" for name in PARTS)
    lines = [f"Authorship score {score:.2f} = {shown}."]
    failing = sorted((name for name in PARTS if parts[name] < FAILING), key=lambda name: parts[name])
    for name in failing:
        why = "the text does not read like this user's writing" if name == "style" else problems[name]
        lines.append(f"Fails on {name} ({parts[name]:.2f}): {why}.")
    lines += [f"Also ({name} {parts[name]:.2f}): {problems[name]}." for name in PARTS[1:] if name not in failing and problems[name]]
    lines.append(standing)
    return " ".join(lines)
