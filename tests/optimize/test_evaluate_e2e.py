"""End to end on the real embedded LM: `hyperalign evaluate email` over held-out users of the bundled
demo e-mails, a couple of items, producing the table, the JSON, the chart and an MLflow run; a
rerun resumes from the cache; one tiny run with the pairwise LLM judge."""

from __future__ import annotations

import json
import re

import pytest

from hyperalign.cli import main
from hyperalign.optimize.evaluation.harness import compare_scores
from hyperalign.optimize.judges import combine_orders

# The stylometric judge is built in parallel (optimize/stylometry); these tests run once it is installed.

pytestmark = pytest.mark.slow


@pytest.fixture()
def tracking_uri(tmp_path):
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


def evaluate(capsys, *args: str) -> tuple[int, str]:
    code = main(["evaluate", "email", "--no-progress", *args])
    printed = capsys.readouterr()
    return code, printed.out + printed.err  # results on stdout, the plan ("Planned: N LM calls") on stderr


def planned(output: str) -> int:
    return int(re.search(r"Planned: (\d+) LM call", output).group(1))


def test_evaluate_email_on_the_embedded_lm(tmp_path, capsys, tracking_uri, monkeypatch):
    monkeypatch.setenv("HYPERALIGN_EMBEDDED_THREADS", "1")
    out = tmp_path / "report"
    # One item first, as if the run had been interrupted after it.
    code, first = evaluate(capsys, "--limit", "1", "--judge", "stylometric", "--out", str(out), "--no-track")
    assert code == 0
    # 1 hypothesis inference + 1 conditioned generation + zero-shot + few-shot
    assert planned(first) == 4

    code, second = evaluate(capsys, "--limit", "2", "--judge", "stylometric", "--out", str(out), "--tracking-uri", tracking_uri)
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["usage"]["cached_generations"] == 3  # the first item's three texts were not redone
    assert planned(second) == 4  # only the second item's texts: inference + generation + two baselines
    # The announced plan is what the run spent, plus at most the repairs and regenerations it announced.
    assert planned(second) <= report["usage"]["lm_calls"] <= report["usage"]["planned_lm_calls_max"]
    assert report["usage"]["planned_lm_calls_max"] == 4 + 2 + 1  # + 2 repair calls for the user, 1 regeneration

    assert report["n_items"] == 2 and report["meta"]["judge"] == "stylometric"
    from hyperalign.data import load_users, split_users

    test_users = {u.id for u in split_users(load_users("email"), 3, 2, seed=0).test}
    assert set(report["users"]) <= test_users  # only held-out users are evaluated
    assert list(report["pairs"]) == ["hyperalign vs zero-shot", "hyperalign vs few-shot", "zero-shot vs few-shot"]
    for result in report["pairs"].values():  # every pair of systems is compared
        assert result["n"] == 2 and sum(result["counts"].values()) == 2
        for outcome, rate in result["rates"].items():
            assert rate["mean"] == pytest.approx(result["counts"][outcome] / result["n"])
    for item in report["items"]:
        assert set(item["texts"]) == {"hyperalign", "zero-shot", "few-shot"}
        assert all(text.strip() for text in item["texts"].values())
        for pair, verdict in item["verdicts"].items():  # the text closer to the user's style wins
            a, b = pair.split(" vs ")
            assert verdict == compare_scores(item["scores"][a], item["scores"][b])

    table = (out / "report.md").read_text()
    assert "| zero-shot |" in table and "| few-shot |" in table and "| hyperalign | zero-shot |" in table
    assert (out / "win_rates.png").read_bytes()[:4] == b"\x89PNG"
    assert "zero-shot" in second and "wrote" in second

    import mlflow

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    experiment = client.get_experiment_by_name("hyperalign-email")
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 1
    run = runs[0]
    assert run.data.params["judge"] == "stylometric"
    win_rate = report["pairs"]["hyperalign vs zero-shot"]["rates"]["win"]["mean"]
    assert run.data.metrics["hyperalign_vs_zero-shot.win_rate"] == pytest.approx(win_rate, abs=1e-4)
    assert {a.path for a in client.list_artifacts(run.info.run_id)} >= {"report.md", "report.json", "win_rates.png"}

    # The pairwise LLM judge on the first item: the texts come from the cache, only the judge runs.
    code, third = evaluate(capsys, "--limit", "1", "--against", "zero-shot", "--judge", "llm",
                           "--out", str(out), "--no-track")
    assert code == 0
    assert planned(third) == 2  # the judge, in both orders
    report = json.loads((out / "report.json").read_text())
    answers = report["items"][0]["judge_answers"]["hyperalign vs zero-shot"]
    assert len(answers) == 2
    assert report["items"][0]["verdicts"]["hyperalign vs zero-shot"] == combine_orders(*answers)  # both orders decide
    failed = None in answers  # an unparseable answer is a judge failure, never a win
    assert report["pairs"]["hyperalign vs zero-shot"]["counts"]["failure"] == int(failed)
