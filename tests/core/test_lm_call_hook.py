"""The one LM-call hook (hyperalign.core.progress.on_lm_calls) and what is built on it."""

from __future__ import annotations

import dspy
from dspy.utils import DummyLM

from hyperalign.core.progress import on_lm_calls
from hyperalign.optimize.evaluation.usage import metered


def test_the_hook_sees_every_call_including_worker_threads_and_nothing_outside():
    seen = []
    program = dspy.Predict("question -> answer")
    lm = DummyLM([{"answer": str(i)} for i in range(5)])
    with dspy.context(lm=lm):
        program(question="before")  # outside the block: not seen
        with on_lm_calls(lambda: seen.append(1)):
            program(question="one")
            program.batch([dspy.Example(question=q).with_inputs("question") for q in ("two", "three")], num_threads=2)
        program(question="after")
    assert len(seen) == 3


def test_metered_counts_the_block_s_calls():
    program = dspy.Predict("question -> answer")
    with dspy.context(lm=DummyLM([{"answer": "a"}, {"answer": "b"}])), metered() as usage:
        program(question="one")
        program(question="two")
    assert usage.lm_calls == 2
