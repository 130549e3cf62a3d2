"""Sanity: is the text a plausible piece of writing of the requested kind, not degenerate output?
Deterministic, no model.

- repetition: the share of the text's 4-word runs that repeat an earlier run, and how well zlib
  compresses it (a looping generator compresses far better than prose);
- junk runs: characters in runs of tokens with no letters (digits, symbols: phone numbers, "----")
  or in a character repeated many times;
- length against the user's own texts (far shorter or longer than anything they write), and an
  empty or one-sentence answer when the user writes more.
"""

from __future__ import annotations

import re
import statistics
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from hyperalign.programs.checks.ramp import AT_ZERO, ramp
from hyperalign.programs.checks.tokens import ngrams, sentences, words

REPEAT_GRAM = 4
# (free up to, zero from), calibrated on CMCC and CCAT50 texts (see the judge README).
REPEAT_LIMITS = (0.10, 0.40)  # share of 4-word runs seen earlier in the text
COMPRESSION_LIMITS = (0.30, 0.15)  # zlib size / raw size (lower = more repetitive); texts of 400+ chars
JUNK_LIMITS = (0.03, 0.15)  # share of characters in junk runs, beyond the most any of the user's texts has
SHORT_LIMITS = (0.25, 0.08)  # words / the user's shortest text
LONG_LIMITS = (2.5, 6.0)  # words / the user's longest text
MIN_USER_SENTENCES = 3  # a one-sentence answer is wrong when every text of the user has this many
MIN_COMPRESSIBLE = 400  # characters: shorter texts compress poorly whatever they say

# A token without letters (digits, symbols) ...
_NON_WORD = r"[^\sA-Za-z\u00c0-\uffff]+"
# ... five or more of them in a row, or one character repeated eight times, is junk.
_JUNK = re.compile(rf"(?:{_NON_WORD}\s+){{4,}}{_NON_WORD}|(\S)\1{{7,}}|(?:\b\w\.){{4,}}")


@dataclass(frozen=True)
class Sanity:
    """Measures of degenerate output. `score` in [0, 1]: 1 = nothing wrong, 0 = degenerate;
    `problem` says the worst finding in words ("" when the text is sane)."""

    score: float
    n_words: int
    n_sentences: int
    repeated_share: float
    compression: float
    junk_share: float
    length_ratio: float | None  # words / the user's median text length (None without samples)
    problem: str

    def as_dict(self) -> dict:
        return asdict(self)


def sanity(text: str, samples: Sequence[str] = ()) -> Sanity:
    """How sane `text` is; with the user's `samples`, its length is judged against theirs.

    >>> sanity("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").score
    0.0
    """
    tokens = words(text)
    n_words, n_sentences = len(tokens), len(sentences(text))
    grams = ngrams(tokens, REPEAT_GRAM)
    repeated = len(grams) - len(set(grams))
    repeated_share = repeated / len(grams) if grams else 0.0
    raw = text.encode("utf-8", "surrogatepass")  # a lone surrogate (JSON "\ud800") must not crash a check
    compression = len(zlib.compress(raw, 6)) / len(raw) if raw else 1.0
    junk_share = _junk_share(text)
    usual_junk = max((_junk_share(s) for s in samples), default=0.0)

    findings = [
        (0.0 if not tokens else 1.0, "the text has no words"),
        (ramp(repeated_share, *REPEAT_LIMITS), f"{repeated_share:.0%} of its {REPEAT_GRAM}-word runs repeat earlier ones"),
        (ramp(junk_share - usual_junk, *JUNK_LIMITS),
         f"{junk_share:.0%} of its characters are junk (runs of digits or symbols, repeated characters)"),
    ]
    if len(raw) >= MIN_COMPRESSIBLE:
        findings.append((ramp(compression, *COMPRESSION_LIMITS), f"it compresses to {compression:.0%} of its size (repetitive)"))
    lengths = sorted(len(words(s)) for s in samples)
    ratio = None
    if lengths and tokens:
        ratio = n_words / statistics.median(lengths)
        shortest, longest = max(lengths[0], 1), lengths[-1]
        findings.append((ramp(n_words / shortest, *SHORT_LIMITS),
                         f"{_length(n_words, n_sentences)}; the user's texts run {shortest}-{longest} words"))
        findings.append((ramp(n_words / longest, *LONG_LIMITS), f"{n_words} words; the user's texts run {shortest}-{longest} words"))
    if samples and n_sentences <= 1 and min(len(sentences(s)) for s in samples) >= MIN_USER_SENTENCES:
        findings.append((AT_ZERO * min(1.0, n_words / 100),
                         f"a one-sentence answer ({n_words} words); every text of the user has {MIN_USER_SENTENCES} sentences or more"))
    score, problem = min(findings, key=lambda f: f[0])
    return Sanity(
        score=score, n_words=n_words, n_sentences=n_sentences, repeated_share=repeated_share,
        compression=compression, junk_share=junk_share, length_ratio=ratio, problem="" if score >= 1.0 else f"degenerate: {problem}",
    )



def _length(n_words: int, n_sentences: int) -> str:
    return f"a one-sentence answer of {n_words} words" if n_sentences <= 1 else f"only {n_words} words"


def _junk_share(text: str) -> float:
    return sum(m.end() - m.start() for m in _JUNK.finditer(text)) / max(len(text.strip()), 1)
