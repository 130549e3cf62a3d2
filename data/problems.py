"""Where corpus problems go: raised at once when loading, collected when checking."""

from __future__ import annotations

import logging

from hyperalign.core.errors import DataError
from hyperalign.core.jsonl import where

__all__ = ["Problems", "where"]

logger = logging.getLogger("hyperalign.data")


class Problems:
    """Errors and warnings about a corpus, each naming the file (and line).

    strict=True (loading): the first error raises DataError. strict=False (`data check`): errors
    are collected and reading goes on, so one run reports every problem.
    """

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, location: str, message: str) -> None:
        text = f"{location}: {message}"
        if self.strict:
            raise DataError(text)
        self.errors.append(text)

    def warn(self, location: str, message: str) -> None:
        text = f"{location}: {message}"
        if self.strict:  # when checking, the caller reports warnings with the errors
            logger.warning(text)
        self.warnings.append(text)
