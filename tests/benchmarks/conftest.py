"""The benchmark is a script (`python tests/benchmarks/run.py`), not a test suite: pytest skips this folder."""

collect_ignore_glob = ["*.py"]
