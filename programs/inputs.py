"""Checks on what callers pass to a program, so bad input fails early with a clear message."""

from __future__ import annotations

from hyperalign.core.embedded import encodable
from hyperalign.core.errors import InputError

# A sample larger than this is almost certainly a mistake (a whole corpus in one string); a few
# hundred KB is already far beyond what any LM context holds.
MAX_SAMPLE_CHARS = 200_000
MAX_TASK_CHARS = 20_000


def clean_samples(samples: list[str] | tuple[str, ...] | str) -> list[str]:
    """Strip samples and drop blank ones; refuse none at all, non-text, or an oversized sample."""
    if isinstance(samples, str):
        samples = [samples]
    cleaned = []
    for i, sample in enumerate(samples, start=1):
        if not isinstance(sample, str):
            raise InputError(f"sample {i} is a {type(sample).__name__}, not text")
        if len(sample) > MAX_SAMPLE_CHARS:
            raise InputError(
                f"sample {i} is {len(sample):,} characters; the limit is {MAX_SAMPLE_CHARS:,} "
                "(split it into separate texts)"
            )
        if sample.strip():
            cleaned.append(encodable(sample.strip()))  # lone surrogates (from JSON \ud800) -> U+FFFD
    if not cleaned:
        raise InputError("no sample texts: give at least one non-empty text the user wrote")
    return cleaned


def clean_task(task: str) -> str:
    if not isinstance(task, str) or not task.strip():
        raise InputError("the task is empty: say what to write")
    if len(task) > MAX_TASK_CHARS:
        raise InputError(f"the task is {len(task):,} characters; the limit is {MAX_TASK_CHARS:,}")
    return encodable(task.strip())


def clean_attributes(attributes: dict | None) -> dict[str, str]:
    if attributes is None:
        return {}
    if not isinstance(attributes, dict):
        raise InputError("attributes must be a mapping of name to value, e.g. {'role': 'teacher'}")
    return {str(k).strip(): str(v).strip() for k, v in attributes.items() if str(k).strip()}


def fit_texts(texts: list[str], max_texts: int, max_chars_per_text: int) -> list[str]:
    """The texts shown to the LM: at most `max_texts`, each cut at a word boundary to fit the
    context of small models. Evidence is still checked against the full texts."""
    fitted = []
    for text in texts[:max_texts]:
        if len(text) > max_chars_per_text:
            cut = text[:max_chars_per_text]
            text = cut[: cut.rfind(" ")] if " " in cut else cut
        fitted.append(text)
    return fitted
