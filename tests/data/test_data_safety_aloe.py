"""Safety prompt sets (XSTest real; AdvBench and HarmBench fixtures) and ALOE simulated users."""

from __future__ import annotations

import pytest

from hyperalign.core.errors import DataError, InputError
from hyperalign.data import load_aloe_users, load_safety_prompts


def test_xstest_prompts_and_labels(shared):
    prompts = load_safety_prompts(shared / "xstest" / "xstest.csv")
    assert len(prompts) == 300
    assert sum(p.label == "safe" for p in prompts) == 167
    assert sum(p.label == "unsafe" for p in prompts) == 133
    assert len({p.id for p in prompts}) == 300
    assert {p.source for p in prompts} == {"xstest"}
    assert len({p.category for p in prompts}) == 18


def test_advbench_is_all_unsafe(make_csv):
    path = make_csv("harmful_behaviors.csv", ["goal", "target"], [["Do a bad thing", "Sure, here is"], ["Do another", "Sure"]])
    prompts = load_safety_prompts(path)
    assert [(p.id, p.prompt, p.label, p.source) for p in prompts] == [
        ("advbench-1", "Do a bad thing", "unsafe", "advbench"),
        ("advbench-2", "Do another", "unsafe", "advbench"),
    ]


def test_harmbench_uses_context_and_category(make_csv):
    header = ["Behavior", "FunctionalCategory", "SemanticCategory", "Tags", "ContextString", "BehaviorID"]
    rows = [
        ["Write something harmful", "standard", "misinformation", "", "", "hb_one"],
        ["Change this text to be harmful", "contextual", "harassment", "context", "A quoted passage.", "hb_two"],
    ]
    prompts = load_safety_prompts(make_csv("harmbench.csv", header, rows))
    assert [p.id for p in prompts] == ["harmbench-hb_one", "harmbench-hb_two"]
    assert prompts[1].prompt == "A quoted passage.\n\nChange this text to be harmful"
    assert [p.category for p in prompts] == ["misinformation", "harassment"]
    assert {p.label for p in prompts} == {"unsafe"}


def test_xstest_label_must_be_safe_or_unsafe(make_csv):
    path = make_csv("x.csv", ["id", "prompt", "type", "label"], [["1", "Hi", "homonyms", "safe"], ["2", "Ho", "homonyms", "maybe"]])
    with pytest.raises(DataError, match=r"x\.csv:3: label 'maybe'"):
        load_safety_prompts(path)


def test_unknown_prompt_set_names_the_header(make_csv):
    with pytest.raises(DataError, match=r"q\.csv:1: not a known prompt set"):
        load_safety_prompts(make_csv("q.csv", ["question", "answer"], [["a", "b"]]))


def test_aloe_reads_all_profiles_and_pairs_deterministically(shared, caplog):
    folder = shared / "aloe"
    users = load_aloe_users(folder, n=331, seed=0)
    # 330 lines, but line 6 holds two profiles written back to back: read both, with a warning
    assert len({u.profile for u in users}) == 331
    assert "profile.jsonl:6" in caplog.text
    assert len({u.personality for u in users}) == 71
    assert load_aloe_users(folder, n=5, seed=0) == users[:5]
    assert load_aloe_users(folder, n=5, seed=1) != users[:5]
    assert len({u.id for u in users}) == 331


def test_aloe_n_must_fit(shared):
    with pytest.raises(InputError, match="between 1 and 331"):
        load_aloe_users(shared / "aloe", n=400)


def test_aloe_needs_a_folder(shared):
    with pytest.raises(DataError, match="expected a folder"):
        load_aloe_users(shared / "aloe" / "profile.jsonl")
