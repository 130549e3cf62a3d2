"""The architecture holds: layers import only downward (import-linter), the source is ruff clean,
the CLI starts without the heavy libraries, and every source file stays small."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# package-dir of pyproject: the folders that become hyperalign.* when installed.
SOURCE_ROOTS = {"signatures": "signatures", "programs": "programs", "optimize": "optimize", "data": "data"}
MAX_LINES = 300
HEAVY = ("dspy", "litellm", "mlflow")


def _tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    if not path.exists():
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return str(path)


def installed_layout(root: Path) -> Path:
    """A copy of the package made of symlinks (hyperalign/optimize -> ../optimize as in the repo), whose
    files a test may change without touching the repo."""
    package = root / "hyperalign"
    package.mkdir(parents=True)
    for entry in (REPO_ROOT / "hyperalign").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    return root


def test_the_repo_lays_out_the_package_as_installed():
    """hyperalign/<name> links to each package-dir folder, so tools that walk the source tree (bare
    `lint-imports` at the repo root, `python -c` in it) see hyperalign.optimize where pip puts it."""
    for folder, name in SOURCE_ROOTS.items():
        link = REPO_ROOT / "hyperalign" / name
        assert link.is_symlink() and link.resolve() == (REPO_ROOT / folder).resolve()


def test_layers_import_only_downward():
    # Bare, at the repo root, as a developer runs it: lint-imports puts the working directory first on sys.path.
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout and "Analyzed" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    """The check can fail: a base module importing the face is reported."""
    layout = installed_layout(tmp_path / "layout")
    core = layout / "hyperalign" / "core"
    core.unlink()
    core.mkdir()
    for entry in (REPO_ROOT / "hyperalign" / "core").glob("*.py"):
        (core / entry.name).symlink_to(entry)
    (core / "upward.py").write_text("from hyperalign.cli import main\n")
    env = {**os.environ, "PYTHONPATH": str(layout)}
    result = subprocess.run([_tool("lint-imports"), "--no-cache", str(REPO_ROOT / "pyproject.toml")],
                            cwd=layout, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "hyperalign.core.upward -> hyperalign.cli" in result.stdout


def test_source_and_tests_are_ruff_clean():
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from hyperalign.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('heavy:', *(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "usage: hyperalign" in result.stdout
    assert result.stdout.splitlines()[-1] == "heavy:"


@pytest.mark.parametrize("command", ["compile", "evaluate", "data", "chat", "personalize"])
def test_subcommand_help_imports_no_heavy_library(command):
    code = (
        "import sys\n"
        "from hyperalign.cli import main\n"
        f"try:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        f"print('heavy:', *(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT.parent, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"usage: hyperalign {command}" in result.stdout
    assert result.stdout.splitlines()[-1] == "heavy:"


def test_no_source_file_is_over_300_lines():
    folders = [REPO_ROOT / "hyperalign", *(REPO_ROOT / f for f in SOURCE_ROOTS)]
    long = {str(p.relative_to(REPO_ROOT)): n for folder in folders for p in folder.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_a_missing_command_module_is_an_error(monkeypatch):
    from hyperalign import cli

    monkeypatch.setattr(cli, "COMMAND_MODULES", [*cli.COMMAND_MODULES, "hyperalign.cli.not_there"])
    with pytest.raises(ModuleNotFoundError, match="hyperalign.cli.not_there"):
        cli.build_parser()


def test_a_blank_task_is_reported_before_any_model_is_loaded(tmp_path):
    samples = tmp_path / "samples.txt"
    samples.write_text("One text I wrote.\n\nAnother one.\n")
    env = {**os.environ, "HYPERALIGN_EMBEDDED_MODEL": str(tmp_path / "no-such-model.gguf")}
    result = subprocess.run([sys.executable, "-m", "hyperalign", "personalize", "--samples", str(samples), "--task", "   "],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2
    assert result.stderr.strip() == "hyperalign: error: the task is empty: say what to write"
