"""Originality: how much of a text is taken from given sources (a user's samples, hypotheses) or from
the task text itself. Deterministic, no model.

Three views of copying, each a share or a length the user's own new texts stay well below:
- the longest span of words copied from one source (runs of 4-word windows found in it);
- the share of the text's 8-word runs that occur in the sources;
- the share of the text's sentences that nearly duplicate a sentence of the sources, in any order
  (at least 60% of the sentence's 3-word runs occur in one source).
Words shared with the task count only by share: a news task quotes the article's first sentence, so
the real article repeats it once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache

from hyperalign.programs.checks.ramp import ramp
from hyperalign.programs.checks.tokens import ngrams, sentences, words

RUN = 8  # words per run for the copied share
WINDOW = 4  # words per window for the longest copied span
SENTENCE_GRAM, NEAR_DUPLICATE, MIN_SENTENCE_WORDS = 3, 0.6, 6

# (free up to, zero from): calibrated on real texts of CMCC and CCAT50 against their writers' own
# samples (see the judge README): real texts stay below the first value.
# News writers reuse a background paragraph of their own (spans of 25-60 words in 5% of CCAT50
# articles); e-mails and essays stay under 10 words.
SPAN_LIMITS = (40, 150)  # words
SHARE_LIMITS = (0.15, 0.60)  # of the text's 8-word runs
SENTENCE_LIMITS = (0.25, 0.75)  # of the text's sentences
TASK_LIMITS = (0.30, 0.80)  # of the text's 8-word runs found in the task


@dataclass(frozen=True)
class Originality:
    """What a text shares with its sources. `score` in [0, 1]: 1 = nothing beyond what real texts
    share (stock phrases, a quoted task), 0 = copied. `source` is the label of the source the text
    shares most with; `problem` says the worst finding in words ("" when the text is original)."""

    score: float
    longest_span: int  # words
    copied_share: float  # of the text's 8-word runs found in any source
    duplicate_sentences: float  # share of the text's sentences near-duplicating a source sentence
    task_share: float  # of the text's 8-word runs found in the task
    source: str
    problem: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Index:
    """One source's n-gram sets."""

    runs: frozenset
    windows: frozenset
    grams: frozenset


@lru_cache(maxsize=4096)
def _index(text: str) -> _Index:
    tokens = words(text)
    return _Index(frozenset(ngrams(tokens, RUN)), frozenset(ngrams(tokens, WINDOW)), frozenset(ngrams(tokens, SENTENCE_GRAM)))


_LOCK = threading.Lock()  # lru_cache is thread-safe; the lock only keeps two threads from indexing one text twice


def originality(text: str, sources: Sequence[str], task: str = "", labels: Sequence[str] | None = None) -> Originality:
    """How original `text` is with respect to `sources` (e.g. the user's samples) and `task`.

    `labels` name the sources in `problem` (default "sample 1", "sample 2", ...).
    >>> originality("A new text.", ["Some sample text."]).score
    1.0
    """
    labels = list(labels) if labels is not None else [f"sample {i + 1}" for i in range(len(sources))]
    tokens = words(text)
    with _LOCK:
        indexes = [_index(s) for s in sources]
        task_index = _index(task) if task else None
    runs = ngrams(tokens, RUN)
    windows = ngrams(tokens, WINDOW)
    sentence_grams = [ngrams(words(s), SENTENCE_GRAM) for s in sentences(text)]
    sentence_grams = [g for g in sentence_grams if len(g) >= MIN_SENTENCE_WORDS - SENTENCE_GRAM + 1]

    per_source = []
    for index in indexes:
        share = sum(r in index.runs for r in runs) / len(runs) if runs else 0.0
        span = _longest_run([w in index.windows for w in windows])
        per_source.append((share, span + WINDOW - 1 if span else 0))
    copied = [any(r in index.runs for index in indexes) for r in runs]
    copied_share = sum(copied) / len(runs) if runs else 0.0
    duplicates = sum(_near_duplicate(grams, indexes) for grams in sentence_grams)
    duplicate_share = duplicates / len(sentence_grams) if sentence_grams else 0.0
    task_share = sum(r in task_index.runs for r in runs) / len(runs) if runs and task_index else 0.0

    worst = max(range(len(per_source)), key=lambda i: per_source[i], default=None)
    label = labels[worst] if worst is not None else ""
    longest = max((span for _, span in per_source), default=0)
    longest_label = labels[max(range(len(per_source)), key=lambda i: per_source[i][1])] if per_source else ""
    findings = [
        (ramp(longest, *SPAN_LIMITS), f"it copies a run of {longest} words from {longest_label}"),
        (ramp(copied_share, *SHARE_LIMITS),
         f"{copied_share:.0%} of the text's {RUN}-word runs occur in the sources"
         + (f" ({per_source[worst][0]:.0%} in {label})" if worst is not None else "")),
        (ramp(duplicate_share, *SENTENCE_LIMITS),
         f"{duplicates} of its {len(sentence_grams)} sentences nearly duplicate sentences of the sources"
         + (f" (the source sharing most: {label})" if label else "")),
        (ramp(task_share, *TASK_LIMITS), f"{task_share:.0%} of the text's {RUN}-word runs repeat the task"),
    ]
    score, problem = min(findings, key=lambda f: f[0])
    return Originality(
        score=score, longest_span=longest, copied_share=copied_share, duplicate_sentences=duplicate_share,
        task_share=task_share, source=label, problem="" if score >= 1.0 else f"copied: {problem}",
    )


def _near_duplicate(grams: list[tuple[str, ...]], indexes: Sequence[_Index]) -> bool:
    return any(sum(g in index.grams for g in grams) >= NEAR_DUPLICATE * len(grams) for index in indexes)


def _longest_run(flags: list[bool]) -> int:
    best = current = 0
    for flag in flags:
        current = current + 1 if flag else 0
        best = max(best, current)
    return best
