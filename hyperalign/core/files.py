"""Atomic file writes, output folders that never clobber what hyperalign did not write, and input
files read safely.

Each file is written to a temporary file beside the target and renamed into place (an atomic
rename on one file system), so a crash or Ctrl-C never leaves a half-written file.

Every command that writes an output folder goes through `OutputDir` (compile --out, evaluate --out):

    target = OutputDir(out, kind="program", overwrite=args.overwrite)
    target.check()                          # first, before any LM call or store write
    with target.staging("program") as staged:   # a hidden, locked sibling folder; removed on exit
        ...write files into staged...
        target.publish(staged)              # moved into place at the end

A command that writes into its folder in place (resuming from a cache there) calls
`OutputDir(...).claim()` instead of staging: same checks, and the folder is marked ours.

Rules: a missing or empty target is created. A target holding hyperalign's ownership marker of the
same kind (every folder published here gets one) is replaced as a whole, atomically. Any other
non-empty target is refused unless `overwrite=True`; even then only the files this command writes
are replaced and nothing else in the folder is deleted. Staging folders left by a killed process
(their lock is free) are removed by the next `staging()` in the same parent, or by
`remove_stale_staging(path)`; only folders holding the staging marker are ever removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from hyperalign.core.errors import HyperAlignError, InputError


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

OWNER_MARKER = ".hyperalign-output.json"  # {"kind": ..., "created": ...} in a folder published here
STAGING_MARKER = ".hyperalign-staging.lock"  # in a staging folder; flock-ed while its process lives
STAGING_PREFIX = ".hyperalign-staging-"


def owner_kind(directory: Path) -> str | None:
    """The kind in a folder's ownership marker; None without a readable marker."""
    try:
        marker = json.loads((directory / OWNER_MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return marker.get("kind") if isinstance(marker, dict) else None


class OutputDir:
    """An output folder a command fills; see the module docstring for the rules."""

    def __init__(self, path: Path | str, *, kind: str, overwrite: bool = False, option: str = "--out"):
        self.path = Path(path).expanduser()
        self.kind = kind
        self.overwrite = overwrite
        self.option = option

    def state(self) -> str:
        """'missing', 'empty', 'owned' or 'foreign'; InputError if the path cannot be a folder."""
        path = self.path
        if not path.exists():
            if path.is_symlink():
                raise InputError(f"{path}: is a broken symbolic link; choose another {self.option}")
            return "missing"
        if not path.is_dir():
            raise InputError(f"{path}: exists and is not a folder; choose another {self.option}")
        try:
            empty = next(path.iterdir(), None) is None
        except OSError as exc:
            raise InputError(f"{path}: cannot read the folder ({exc.strerror}); choose another {self.option}") from None
        if empty:
            return "empty"
        return "owned" if owner_kind(path) == self.kind else "foreign"

    def check(self) -> str:
        """Refuse now what publishing would refuse later (a foreign target, an unwritable parent);
        returns the target's state. Call it before any expensive work."""
        state = self.state()
        if state == "foreign" and not self.overwrite:
            raise InputError(
                f"{self.path}: folder is not empty and was not written by hyperalign; choose another "
                f"{self.option}, or pass --overwrite to replace only the files this command writes"
            )
        writable_folder(self.path if state != "missing" else self.path.parent, self.option)
        return state

    def claim(self) -> Path:
        """For a command that writes into its folder in place (an evaluation resuming from its
        cache): check, then create the folder and mark it ours if it was missing or empty."""
        if self.check() in ("missing", "empty"):
            self.path.mkdir(parents=True, exist_ok=True)
            self._mark(self.path)
        return self.path

    def _mark(self, folder: Path) -> None:
        write_json(folder / OWNER_MARKER, {"kind": self.kind, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})

    @contextlib.contextmanager
    def staging(self, name: str | None = None) -> Iterator[Path]:
        """A new folder `name` (default: the target's name) inside a hidden, locked sibling of the
        target; the sibling is removed whatever happens. Stale ones of killed processes go first."""
        parent = self.path.parent
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(parent)
        work = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
        try:
            with open(work / STAGING_MARKER, "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                staged = work / (name or self.path.name)
                staged.mkdir()
                yield staged
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def publish(self, staged: Path) -> None:
        """Move the finished folder into place, by the rules (checked again: time has passed)."""
        self._mark(staged)
        state = self.check()
        if state == "empty":
            self.path.rmdir()
        if state in ("missing", "empty", "owned"):
            replace_directory(staged, self.path)
            return
        for item in staged.iterdir():  # foreign, with --overwrite: only our own files change
            target = self.path / item.name
            if target.is_dir() and not target.is_symlink():
                raise InputError(f"{target}: is a folder; not replaced, even with --overwrite")
            os.replace(item, target)


def writable_folder(folder: Path, option: str = "--out") -> None:
    """InputError unless a file can be created in `folder`. A missing folder is not created (a check
    leaves nothing behind): its nearest existing parent must take new entries."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        if not existing.is_dir():
            raise NotADirectoryError(20, "Not a directory", str(existing))
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        raise InputError(f"{exc.filename or folder}: cannot write there ({exc.strerror}); choose another {option}") from None


def staging_marker(work: Path) -> Path:
    return work / STAGING_MARKER


def remove_stale_staging(parent: Path) -> list[Path]:
    """Remove the staging folders in `parent` whose process is gone (their lock is free)."""
    removed = []
    for work in parent.glob(STAGING_PREFIX + "*"):
        if remove_if_stale(work):
            removed.append(work)
    return removed


def remove_if_stale(work: Path) -> bool:
    """Remove one staging folder if it holds the staging marker and no live process locks it."""
    marker = work / STAGING_MARKER
    if not marker.is_file():
        return False  # not a staging folder of ours (or not finished being created): leave it
    try:
        with open(marker, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError: a live process holds it
        return False
    shutil.rmtree(work, ignore_errors=True)
    return True


def regular_file(path: Path | str, what: str = "file", error: type[HyperAlignError] = InputError) -> Path:
    """`path` if it is a regular file (links followed); `error` saying what it is otherwise
    (a folder, a FIFO, a device: reading one could block forever or never end)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, expected a {what}")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: is {_special_kind(mode)}, not a regular {what}")
    return path


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def read_limited(path: Path, limit: int, error: type[HyperAlignError] = InputError) -> bytes:
    """The bytes of a regular file, refusing more than `limit` (counted while reading, not from
    st_size, which a device or a growing file does not tell truthfully)."""
    regular_file(path, error=error)
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise error(f"{path}: larger than the {format_mib(limit)} limit")
    return data


def format_mib(size: int) -> str:
    """A byte count in MiB, the one unit for file-size messages."""
    return f"{size / 2**20:.1f} MiB" if size % 2**20 else f"{size // 2**20} MiB"


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def encoding_problem(head: bytes) -> str | None:
    """What is wrong with text that should be UTF-8, judged from its first bytes: a UTF-16/32 byte
    order mark, or the NUL bytes of UTF-16 without one. None when nothing is seen."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return f"the file is {name} text, not UTF-8; re-save it as UTF-8"
    sample = head[:512]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # ASCII in UTF-16 without a BOM: a NUL in every other byte, on one side only.
    if len(sample) >= 8 and max(even, odd) >= 0.9 * (len(sample) // 2) and min(even, odd) <= max(even, odd) // 10:
        return "the file looks like UTF-16 text (every other byte is NUL), not UTF-8; re-save it as UTF-8"
    return None


def text_file(path: Path | str, what: str = "file", error: type[HyperAlignError] = InputError) -> Path:
    """`path` if it is a regular file that does not announce another encoding than UTF-8."""
    path = regular_file(path, what, error)
    try:
        with open(path, "rb") as handle:
            problem = encoding_problem(handle.read(512))
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror})") from None
    if problem:
        raise error(f"{path}: {problem}")
    return path
