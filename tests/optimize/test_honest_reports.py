"""Reports that read honestly: no interval over fewer than 5 users, MLflow runs whose duration covers the
work, metrics rounded for display."""

from __future__ import annotations

import math
import time

from hyperalign.optimize.evaluation.reports import MIN_USERS_FOR_INTERVAL, format_interval, small_sample_note
from hyperalign.optimize.tracking.store import clean_metrics, log_report


def test_fewer_than_five_users_get_no_interval():
    assert MIN_USERS_FOR_INTERVAL == 5
    assert format_interval(1.0, 1.0, 1.0, users=1) == "100% [n/a (1 user)]"
    assert format_interval(0.5, 0.0, 1.0, users=4) == "50% [n/a (4 users)]"
    assert format_interval(0.61, 0.55, 0.67, percent=False, users=2) == "0.61 [n/a (2 users)]"
    assert format_interval(0.5, 0.25, 0.75, users=5) == "50% [25%–75%]"
    assert format_interval(0.5, 0.25, 0.75) == "50% [25%–75%]"  # no user count given: the interval as computed


def test_the_report_says_a_small_sample_is_anecdotal():
    note = small_sample_note(2)
    assert note.startswith("Anecdotal: 2 users") and "fewer than 5" in note
    assert small_sample_note(5) is None


def test_metrics_are_rounded_and_nan_left_out():
    assert clean_metrics({"val_score_gain": -17.239999999999995, "n": 3, "empty": None, "nan": math.nan}) == {
        "val_score_gain": -17.24, "n": 3.0}


def test_a_report_run_lasts_as_long_as_the_work(tmp_path):
    import mlflow

    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    report = tmp_path / "report.md"
    report.write_text("# report\n")
    started = time.time() - 90  # the work began 90 s ago; logging happens now
    run_id = log_report("demo", "evaluate demo: hyperalign vs zero-shot, 6 users", params={"judge": "authorship"},
                        metrics={"win_rate": 0.3333333333333333}, files=[report], tracking_uri=store, started=started)
    run = mlflow.MlflowClient(store).get_run(run_id)
    assert run.info.run_name == "evaluate demo: hyperalign vs zero-shot, 6 users"
    assert (run.info.end_time - run.info.start_time) / 1000 >= 90
    assert run.data.metrics["win_rate"] == 0.3333
