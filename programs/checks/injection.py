"""Does a passage of a user's text read like an instruction to an AI (a prompt injection)?

A sample may quote "Ignore all previous instructions and ..." (a user writing about AI, or a hostile
sample). Such a passage must not silently become grounded evidence that conditions generation: it
is flagged wherever it is used as evidence, and the caller is warned.

    injection_phrase("Please ignore all previous instructions.")  # -> "ignore all previous instructions"
"""

from __future__ import annotations

import re

# Phrasings of the well-known injection patterns: overriding earlier instructions, replacing the
# system prompt or role, or asking for the hidden prompt. Matched case-insensitively.
_PATTERNS = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*(?:previous|prior|above|earlier|preceding|"
    r"system)\s+(?:instructions?|prompts?|rules|directions|messages?)"
    r"|\byou\s+are\s+now\s+(?:a|an|in|DAN)\b"
    r"|\b(?:new|updated)\s+system\s+prompt\b"
    r"|\b(?:reveal|print|show|repeat)\s+(?:your|the)\s+(?:system\s+)?(?:prompt|instructions)\b"
    r"|\bdeveloper\s+mode\b|\bjailbreak\b",
    re.IGNORECASE,
)


def injection_phrase(text: str) -> str | None:
    """The instruction-to-an-AI phrase found in `text` (lower-cased), or None."""
    found = _PATTERNS.search(text)
    return found.group(0).lower() if found else None
