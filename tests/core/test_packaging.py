"""A non-editable install ships exactly what the source tree holds: every package and data file."""

import tomllib

from tests.conftest import REPO_ROOT

ROOTS = {"hyperalign": "hyperalign", "signatures": "hyperalign.signatures", "programs": "hyperalign.programs",
         "optimize": "hyperalign.optimize", "data": "hyperalign.data"}


def test_every_source_package_is_declared():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    on_disk = set()
    for folder, name in ROOTS.items():
        assert config["package-dir"][name] == folder
        for init in (REPO_ROOT / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO_ROOT / folder).parts
            on_disk.add(".".join((name, *parts)))
    assert set(config["packages"]) == on_disk


def test_data_files_are_declared():
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "demo/*.jsonl" in config["hyperalign.data"] and list((REPO_ROOT / "data" / "demo").glob("*.jsonl"))
    assert "*.txt" in config["hyperalign.programs"] and list((REPO_ROOT / "programs").glob("*.txt"))
