"""Quiet, key-free logging for the CLI and library."""

from __future__ import annotations

import logging
import os
import re
import traceback

# Anything that looks like a provider key is masked in every log record we emit.
_KEY_PATTERN = re.compile(r"(sk-[A-Za-z0-9_\-]{8,}|AKIA[0-9A-Z]{16}|(?i:api[_-]?key)[\"']?\s*[:=]\s*[\"']?[^\s\"',}]+)")


class RedactKeys(logging.Filter):
    """Replace API-key-looking substrings (and the values of known key env vars) with ***."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def secret_values() -> list[str]:
    """Values of environment variables that hold credentials (…_API_KEY, …_TOKEN, …_SECRET)."""
    names = [n for n in os.environ if re.search(r"(API_KEY|TOKEN|SECRET)$", n)]
    return [os.environ[n] for n in names if len(os.environ[n]) >= 6]


def redact(text: str) -> str:
    for value in secret_values():
        text = text.replace(value, "***")
    return _KEY_PATTERN.sub("***", text)


def redacted_traceback(exc: BaseException) -> str:
    """The full traceback of `exc` (chained causes included) with every secret masked: a server's
    error message may echo the key, and it would appear once per frame that quotes the message."""
    return redact("".join(traceback.format_exception(exc)))


def configure_logging(verbose: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactKeys())
    if not verbose:
        for noisy in ("LiteLLM", "litellm", "httpx", "dspy", "mlflow", "datasets", "urllib3", "alembic"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
