"""The progress protocol: library code reports, the installed reporter receives; silent by default."""

from __future__ import annotations

import threading

import pytest

from hyperalign.core.progress import Reporter, lm_call, note, reporter, reporting, stage, track


class Recorder(Reporter):
    def __init__(self):
        self.events: list[tuple] = []
        self.lock = threading.Lock()

    def begin(self, name, total=None, unit="item"):
        self.events.append(("begin", name, total, unit))

    def doing(self, activity):
        self.events.append(("doing", activity))

    def advance(self, n=1):
        with self.lock:
            self.events.append(("advance", n))

    def end(self):
        self.events.append(("end",))

    def lm_call(self, n=1):
        self.events.append(("lm", n))

    def note(self, message):
        self.events.append(("note", message))


def test_events_reach_the_installed_reporter_and_the_default_is_silent():
    recorder = Recorder()
    with reporting(recorder):
        note("Planned: 2 LM call(s)")
        with stage("generating", total=2) as step:
            step.doing("inferring")
            lm_call(2)
            step.advance()
        assert list(track(["a", "b"], "judging", unit="pair")) == ["a", "b"]
    assert recorder.events == [
        ("note", "Planned: 2 LM call(s)"), ("begin", "generating", 2, "item"), ("doing", "inferring"), ("lm", 2),
        ("advance", 1), ("end",), ("begin", "judging", 2, "pair"), ("advance", 1), ("advance", 1), ("end",),
    ]
    assert type(reporter()) is Reporter  # restored: outside the block nothing is shown
    note("nobody hears this")


def test_a_stage_ends_when_its_block_raises():
    recorder = Recorder()
    with reporting(recorder), pytest.raises(ValueError), stage("compiling"):
        raise ValueError("boom")
    assert recorder.events[-1] == ("end",)


def test_worker_threads_report_to_the_same_reporter():
    recorder = Recorder()
    with reporting(recorder), stage("batch", total=8) as step:
        threads = [threading.Thread(target=step.advance) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(n for kind, *rest in recorder.events if kind == "advance" for n in rest) == 8


def test_count_lm_calls_reports_every_dspy_lm_call():
    import dspy
    from dspy.utils import DummyLM

    from hyperalign.core.progress import count_lm_calls

    recorder = Recorder()
    predict = dspy.Predict("question -> answer")
    with reporting(recorder), count_lm_calls(), dspy.context(lm=DummyLM([{"answer": "a"}, {"answer": "b"}])):
        predict(question="one")
        predict(question="two")
    assert [e for e in recorder.events if e[0] == "lm"] == [("lm", 1), ("lm", 1)]
