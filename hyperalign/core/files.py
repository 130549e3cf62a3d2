"""Atomic file writes: a file or a directory appears complete or not at all.

Each file is written to a temporary file beside the target and renamed into place (an atomic
rename on one file system), so a crash or Ctrl-C never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO


def write_atomically(path: Path | str, write: Callable[[BinaryIO], None]) -> Path:
    """Call `write(file)` on a temporary file in the target's folder, then rename it to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path | str, text: str) -> Path:
    """A UTF-8 text file, written atomically."""
    return write_atomically(path, lambda handle: handle.write(text.encode("utf-8")))


def write_json(path: Path | str, data: Any) -> Path:
    """Indented UTF-8 JSON (non-JSON values as their `str`), written atomically."""
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def replace_directory(staged: Path, target: Path) -> None:
    """Rename the finished directory `staged` to `target`, replacing an older one there: the old
    directory is renamed aside first, so `target` is never half old, half new."""
    if target.exists():
        old = target.with_name(f".{target.name}.old-{time.time_ns()}")
        target.rename(old)
        staged.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staged.rename(target)
