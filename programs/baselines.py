"""Baselines with HyPerAlign's call shape: zero-shot (task only) and few-shot in-context (raw texts)."""

from __future__ import annotations

import dspy

from hyperalign.programs.inputs import clean_samples, clean_task, fit_texts
from hyperalign.programs.openings import start_with_opening, task_opening
from hyperalign.signatures.baselines import FewShotWrite, ZeroShotWrite


class ZeroShot(dspy.Module):
    """The LM writes for the task with no knowledge of the user."""

    def __init__(self):
        super().__init__()
        self.write = dspy.Predict(ZeroShotWrite)

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None) -> dspy.Prediction:
        task = clean_task(task)
        return dspy.Prediction(text=start_with_opening(self.write(task=task).text, task_opening(task)), hypotheses=[])


class FewShot(dspy.Module):
    """The user's raw texts pasted into the prompt as examples to imitate."""

    def __init__(self, max_texts: int = 8, max_chars_per_text: int = 1500):
        super().__init__()
        self.write = dspy.Predict(FewShotWrite)
        self.max_texts = max_texts
        self.max_chars_per_text = max_chars_per_text

    def forward(self, samples: list[str], task: str, attributes: dict[str, str] | None = None) -> dspy.Prediction:
        examples = fit_texts(clean_samples(samples), self.max_texts, self.max_chars_per_text)
        task = clean_task(task)
        text = self.write(task=task, examples=examples).text
        return dspy.Prediction(text=start_with_opening(text, task_opening(task)), hypotheses=[])
