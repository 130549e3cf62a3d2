"""Errors a user can act on. The CLI prints them on one line and exits non-zero; no traceback."""


class HyperAlignError(Exception):
    """Base class: a problem with the input, the data, the LM or a saved program, stated plainly."""

    exit_code = 2


class InputError(HyperAlignError):
    """The caller's input is unusable: empty, too large, undecodable, malformed."""


class DataError(HyperAlignError):
    """A corpus on disk is missing or malformed; the message names the file (and line)."""


class LMError(HyperAlignError):
    """The LM could not give a usable answer: unknown provider, timeout, rate limit, unparseable output."""

    exit_code = 3


class ProgramLoadError(HyperAlignError):
    """A saved program cannot be loaded (not a program, pickled without opt-in, wrong version)."""


class StoreError(HyperAlignError):
    """The MLflow store cannot be used: missing (when only reading), not a database, not writable."""

    exit_code = 4
