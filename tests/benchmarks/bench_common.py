"""Shared pieces of the benchmark: settings per mode, LM call metering, a timing spy on llama.cpp, data."""

from __future__ import annotations

import os
import statistics
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("HYPERALIGN_CORPORA") or REPO_ROOT / ".." / "shared" / "data")
NEWS_PATH = SHARED_DATA / "ccat50" / "ccat50.jsonl"


@dataclass(frozen=True)
class Settings:
    """How big each section is. `quick` is a smoke run for CI; the default is the published run."""

    k: int  # sample texts per user (the same k texts go to hyperalign and few-shot)
    max_chars_per_text: int  # both programs cut texts the same way
    gen_max_tokens: int  # cap on generated tokens for every generation call (all systems alike)
    overhead_reps: int
    tasks_per_user: int  # T in "LM calls for T tasks"
    concurrency: tuple[int, ...]
    requests_per_caller: int
    quality_news_users: int
    quality_email_users: int
    quality_tasks_per_user: int
    compile: bool
    compile_timeout: float
    measure_reinfer: bool  # False: re-inferring is derived from the measured inference (T x its cost)
    token_domains: tuple[str, ...]  # domains of the prompt-token comparison (news needs its own inference)
    cold_start_floor: bool  # also time a process that only imports and loads the model
    probe_adapters: bool  # try each DSPy adapter against the server (else JSONAdapter, the one that parses in 1 call)


DEFAULT = Settings(k=5, max_chars_per_text=1500, gen_max_tokens=64, overhead_reps=3, tasks_per_user=2,
                   concurrency=(1, 2, 4), requests_per_caller=1, quality_news_users=1, quality_email_users=2,
                   quality_tasks_per_user=2, compile=True, compile_timeout=300.0, measure_reinfer=True,
                   token_domains=("news", "email"), cold_start_floor=True, probe_adapters=True)
# Smoke run for CI: one hypothesis inference in-process and one in the cold-start child, everything
# else short generations.
QUICK = Settings(k=2, max_chars_per_text=300, gen_max_tokens=32, overhead_reps=2, tasks_per_user=2,
                 concurrency=(1, 2), requests_per_caller=1, quality_news_users=0, quality_email_users=1,
                 quality_tasks_per_user=1, compile=False, compile_timeout=0.0, measure_reinfer=False,
                 token_domains=("email",), cold_start_floor=False, probe_adapters=False)


def settings_dict(settings: Settings) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(settings).items()}


def offline_env() -> None:
    for name, value in (("LITELLM_LOCAL_MODEL_COST_MAP", "True"), ("HF_DATASETS_OFFLINE", "1"),
                        ("HF_HUB_OFFLINE", "1"), ("HYPERALIGN_EMBEDDED_THREADS", "1")):
        os.environ.setdefault(name, value)


def section(name: str, fn: Callable[[], dict], results: dict) -> None:
    """Run one section; a failure is recorded with its error and the benchmark goes on."""
    print(f"\n== {name} ...", flush=True)
    start = time.perf_counter()
    try:
        results[name] = {"ok": True, **fn()}
    except Exception as exc:  # any failure is a finding to report, not a reason to stop
        results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc(limit=6)}
        print(f"   FAILED: {results[name]['error']}", flush=True)
    results[name]["section_seconds"] = round(time.perf_counter() - start, 2)
    print(f"   done in {results[name]['section_seconds']} s", flush=True)


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


class Meter:
    """LM calls and tokens spent by the given LMs between start and stop, read from `lm.history`."""

    def __init__(self, *lms):
        self.lms = lms
        self.marks = [len(lm.history) for lm in lms]
        self.start = time.perf_counter()

    def stop(self) -> dict:
        seconds = time.perf_counter() - self.start
        entries = [e for lm, mark in zip(self.lms, self.marks) for e in lm.history[mark:]]
        usage = [e.get("usage") or {} for e in entries]
        prompt = sum(u.get("prompt_tokens") or 0 for u in usage)
        completion = sum(u.get("completion_tokens") or 0 for u in usage)
        return {"seconds": round(seconds, 3), "lm_calls": len(entries), "prompt_tokens": prompt,
                "completion_tokens": completion, "total_tokens": prompt + completion}


class LlamaSpy:
    """Wraps the embedded llama.cpp model's `create_chat_completion` to time each backend call and keep
    the exact arguments of the last one, so a direct call can repeat it verbatim."""

    def __init__(self, llama: Any, lock: threading.Lock):
        self.llama, self.lock = llama, lock
        self.original = llama.create_chat_completion
        self.last_kwargs: dict | None = None
        self.seconds: list[float] = []
        llama.create_chat_completion = self

    def __call__(self, **kwargs):
        self.last_kwargs = kwargs
        start = time.perf_counter()
        try:
            return self.original(**kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)

    def direct(self, kwargs: dict) -> tuple[float, dict]:
        """The same request straight to llama.cpp (under the engine's lock, as the engine calls it)."""
        start = time.perf_counter()
        with self.lock:
            out = self.original(**kwargs)
        return time.perf_counter() - start, out

    def remove(self) -> None:
        self.llama.__dict__.pop("create_chat_completion", None)


def install_spy() -> LlamaSpy:
    from hyperalign.core.embedded import DEFAULT_N_CTX, _load_model, model_path

    llama, lock = _load_model(model_path(), DEFAULT_N_CTX)
    return LlamaSpy(llama, lock)


def load_news(k: int):
    from hyperalign.data import load_users

    return load_users("news", NEWS_PATH, k=k, seed=0)


def load_email(k: int):
    from hyperalign.data import load_users

    return load_users("email", k=k, seed=0)
