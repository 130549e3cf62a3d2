"""End to end on the real embedded LM: `evaluate deliberative` over 2 XSTest prompts (1 safe, 1
unsafe; kept small for CI) and one demo user, program against both baselines, the three rates with intervals."""

from __future__ import annotations

import json

import pytest

from hyperalign.cli import main


@pytest.mark.slow
def test_evaluate_deliberative_on_the_embedded_lm(tmp_path, xstest_path, monkeypatch, capsys):
    monkeypatch.setenv("HYPERALIGN_EMBEDDED_THREADS", "1")
    out = tmp_path / "report"
    code = main(["evaluate", "deliberative", "--path", str(xstest_path), "--lm", "embedded", "--limit", "2",
                 "--users", "1", "--out", str(out), "--tracking-uri", f"sqlite:///{tmp_path / 'mlflow.db'}"])
    assert code == 0
    printed = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text())
    assert report["meta"]["lm"].startswith("embedded/")
    for system in ("deliberative", "direct", "spec-only"):
        summary = report["summaries"][system]
        assert (summary["safe_n"], summary["unsafe_n"]) == (1, 1)
        for measure in ("over_refusal", "unsafe_compliance"):
            assert 0.0 <= summary[measure]["low"] <= summary[measure]["mean"] <= summary[measure]["high"] <= 1.0
        helpfulness = summary["helpfulness"]
        assert helpfulness["low"] >= 1.0 and helpfulness["low"] <= helpfulness["mean"] <= helpfulness["high"] <= 10.0
        assert f"{system}: over-refusal" in printed
    rows = [json.loads(line) for line in (out / "responses.jsonl").read_text().splitlines()]
    program_rows = rows[:2]
    assert all(r["decision"] in ("comply", "partial", "decline") for r in program_rows)
    assert all(r["clauses"] for r in program_rows)  # cited clauses exist in the spec by construction
    assert all(r["hypotheses"] for r in program_rows)
    assert "logged to MLflow" in printed
