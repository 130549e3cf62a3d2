"""The harness's reusable parts on real files: bootstrap intervals, the disk cache, report files,
the outputs-file comparator and the CLI's errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from hyperalign.core.errors import InputError, ProgramLoadError
from hyperalign.optimize.domains.authorship.evaluation import load_program
from hyperalign.optimize.evaluation import (
    DiskCache,
    bootstrap_ci,
    mean_with_ci,
    write_bar_chart,
    write_json,
    write_markdown,
)
from hyperalign.optimize.evaluation.config import EvaluateConfig


def test_bootstrap_interval_brackets_the_mean_and_narrows_with_more_data():
    rng = np.random.default_rng(1)
    small = (rng.random(20) < 0.7).astype(float)
    large = (rng.random(2000) < 0.7).astype(float)
    lo_s, hi_s = bootstrap_ci(small)
    lo_l, hi_l = bootstrap_ci(large)
    assert lo_s <= small.mean() <= hi_s and lo_l <= large.mean() <= hi_l
    assert hi_l - lo_l < hi_s - lo_s
    assert lo_l < 0.7 < hi_l
    assert bootstrap_ci(small, seed=3) == bootstrap_ci(small, seed=3)  # seeded: reproducible


def test_bootstrap_degenerate_inputs():
    assert bootstrap_ci([1.0, 1.0, 1.0]) == (1.0, 1.0)
    assert bootstrap_ci([0.4]) == (0.4, 0.4)
    stat = mean_with_ci([])
    assert all(np.isnan(stat[k]) for k in ("mean", "low", "high"))


def test_disk_cache_persists_across_instances(tmp_path):
    path = tmp_path / "cache.sqlite"
    key = DiskCache.key("generation", "zero-shot", {"model": "m"}, ["a sample"], "a task")
    assert key == DiskCache.key("generation", "zero-shot", {"model": "m"}, ["a sample"], "a task")
    assert key != DiskCache.key("generation", "zero-shot", {"model": "other"}, ["a sample"], "a task")
    with DiskCache(path) as cache:
        assert key not in cache and cache.get(key) is None
        cache.put(key, {"text": "héllo", "hypotheses": []})
    with DiskCache(path) as cache:  # a new process after an interruption sees the entry
        assert key in cache
        assert cache.get(key) == {"text": "héllo", "hypotheses": []}


def test_disk_cache_refuses_a_file_that_is_not_a_cache(tmp_path):
    bad = tmp_path / "cache.sqlite"
    bad.write_text("not a database " * 100)
    with pytest.raises(InputError, match="cache.sqlite"):
        DiskCache(bad)


def test_report_files_are_complete_and_leave_no_temporary_files(tmp_path):
    md = write_markdown(tmp_path / "r.md", "title", ["a", "b"], [[1, "x"], [2, "y"]], ["a note"])
    js = write_json(tmp_path / "r.json", {"rate": 0.5})
    png = write_bar_chart(tmp_path / "r.png", ["zero-shot", "few-shot"],
                          {"wins": [(0.5, 0.2, 0.8), (0.3, 0.1, 0.6)], "ties": [(0.1, 0.0, 0.3), (0.2, 0.0, 0.4)]},
                          title="t")
    assert md.read_text().splitlines()[:4] == ["# title", "", "| a | b |", "|---|---|"]
    assert json.loads(js.read_text()) == {"rate": 0.5}
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.md", "r.png"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    from hyperalign.optimize.evaluation import write_atomically

    target = write_json(tmp_path / "r.json", {"old": True})

    def broken(handle):
        handle.write(b'{"new": ')
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken)
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_a_program_path_that_is_not_a_saved_program(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ProgramLoadError, match="not a compiled hyperalign program"):
        load_program(str(tmp_path))
    with pytest.raises(ProgramLoadError, match="no such compiled-program directory"):
        load_program(str(tmp_path / "missing"))


def _cli(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import sys; from hyperalign.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_bad_program_path_is_one_line_and_writes_nothing(tmp_path):
    (tmp_path / "prog").mkdir()
    out = tmp_path / "report"
    result = _cli("evaluate", "email", "--program", str(tmp_path / "prog"), "--out", str(out), "--no-track", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "not a compiled hyperalign program" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_outputs_file_matching_nothing_is_one_line(tmp_path):
    path = tmp_path / "outputs.jsonl"
    path.write_text(json.dumps({"user_id": "nobody", "task": "nothing", "response": "x"}) + "\n")
    result = _cli("evaluate", "email", "--against", f"zero-shot,{path}", "--no-track", "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert result.returncode == 2
    assert "none of its 1 row(s) matches" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_a_domain_whose_evaluation_is_missing_is_a_clear_input_error(monkeypatch):
    import argparse
    import dataclasses

    from hyperalign.cli import evaluate
    from hyperalign.optimize import domains

    missing = dataclasses.replace(domains.domain_spec("aloe"), evaluation="hyperalign.optimize.not_built_yet.evaluation:run")
    monkeypatch.setitem(domains._specs, "aloe", missing)
    with pytest.raises(InputError, match="the 'aloe' evaluation is not installed"):
        evaluate.run(argparse.Namespace(domain="aloe"))


def _compiled_dir(tmp_path, domain="email", train=("dana_okafor", "jay_rivera"), val=("greg_hollis",)):
    from hyperalign.programs import HyPerAlign

    directory = tmp_path / "compiled"
    directory.mkdir()
    HyPerAlign().save(str(directory / "program.json"))
    manifest = {"program": "hyperalign", "domain": domain, "split": {"train_users": list(train), "val_users": list(val)}}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return directory


def test_a_compiled_program_is_tested_only_on_users_it_never_saw(tmp_path):
    from hyperalign.optimize.domains.authorship.evaluation import held_out_users

    system = load_program(str(_compiled_dir(tmp_path)))
    assert system.name == "compiled" and system.calls_per_user == 1 and system.calls_per_item == 1
    config = EvaluateConfig(domain="email")
    test, everyone = held_out_users(config, [system])
    assert {u.id for u in test} == {u.id for u in everyone} - {"dana_okafor", "jay_rivera", "greg_hollis"}
    config.users = 2
    assert len(held_out_users(config, [system])[0]) == 2


def test_a_program_compiled_for_another_domain_is_refused(tmp_path):
    result = _cli("evaluate", "email", "--program", str(_compiled_dir(tmp_path, domain="news")), "--no-track",
                  "--out", str(tmp_path / "r"), cwd=tmp_path)
    assert result.returncode == 2 and "compiled for domain 'news'" in result.stderr


def test_bootstrap_by_user_is_wider_when_a_user_s_items_agree():
    # Three users, each consistent with themselves: the items are not independent evidence.
    values = [1.0] * 4 + [0.0] * 4 + [1.0] * 4
    users = ["a"] * 4 + ["b"] * 4 + ["c"] * 4
    lo_items, hi_items = bootstrap_ci(values)
    lo_users, hi_users = bootstrap_ci(values, groups=users)
    assert lo_users <= lo_items and hi_users >= hi_items and (hi_users - lo_users) > (hi_items - lo_items)
    assert bootstrap_ci(values[:4], groups=users[:4]) == (1.0, 1.0)  # one user: nothing to resample
