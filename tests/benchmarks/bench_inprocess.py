"""Sections measured in this process: framework overhead, prompt tokens, LM calls per T tasks."""

from __future__ import annotations

import time
from typing import Any

from bench_common import Meter, Settings, load_email, load_news, median


class Bench:
    """The LMs, programs and users every in-process section shares (hypotheses are inferred once per
    user and reused, as a real caller would)."""

    def __init__(self, model: str, settings: Settings):
        from hyperalign.core.lm import is_embedded, make_lm, resolve_model
        from hyperalign.programs import FewShot, ZeroShot

        self.settings = settings
        self.model = resolve_model(model)
        self.embedded = is_embedded(self.model)
        # DSPy's cache off: every call below really reaches the backend.
        self.lm = make_lm(self.model, cache=False)
        self.gen_lm = make_lm(self.model, cache=False, max_tokens=settings.gen_max_tokens)
        self.spy = None
        if self.embedded:
            from bench_common import install_spy

            self.spy = install_spy()
        self.hyperalign = self.new_hyperalign()
        self.few_shot = FewShot(max_texts=settings.k, max_chars_per_text=settings.max_chars_per_text)
        self.zero_shot = ZeroShot()
        for program in (self.few_shot, self.zero_shot):
            program.set_lm(self.gen_lm)
        self._inference_usage: dict[str, dict] = {}
        self._news = self._email = None

    def new_hyperalign(self, cache=None):
        """HyPerAlign with inference on `lm` and generation capped like the baselines (`gen_lm`)."""
        from hyperalign.programs import ConditionedGeneration, HyPerAlign, HypothesisInference

        # No repair calls or regeneration here: these sections count one inference and one call per
        # task; the quality section (bench_quality.py) measures what repair and regeneration cost.
        program = HyPerAlign(inference=HypothesisInference(max_texts=self.settings.k, max_repairs=0,
                                                           max_chars_per_text=self.settings.max_chars_per_text),
                             generation=ConditionedGeneration(check=False), cache=cache)
        program.generation.set_lm(self.gen_lm)
        return program

    def context(self):
        from hyperalign.core.lm import lm_context

        return lm_context(self.lm)

    @property
    def news(self):
        if self._news is None:
            self._news = load_news(self.settings.k)
        return self._news

    @property
    def email(self):
        if self._email is None:
            self._email = load_email(self.settings.k)
        return self._email

    def hypotheses(self, user) -> list[dict]:
        """The user's hypotheses through the shared program's cache; the first inference is metered."""
        with self.context():
            meter = Meter(self.lm, self.gen_lm)
            hypotheses, cached = self.hyperalign.infer_hypotheses(user.samples, user.attributes)
            if not cached:
                self._inference_usage[user.id] = meter.stop()
        return hypotheses

    def inference_usage(self, user) -> dict | None:
        return self._inference_usage.get(user.id)


def lm_calls_for_tasks(bench: Bench) -> dict:
    """T tasks of one user: hypotheses once then one call per task, vs re-inferring for every task."""
    from hyperalign.programs import HypothesisCache

    user = bench.email[0]
    tasks = [item.task for item in user.held_out[: bench.settings.tasks_per_user]]
    result: dict[str, Any] = {"user": user.id, "domain": "email", "T": len(tasks)}
    # Cached: the shared program, so its cache stays warm for the sections after this one.
    with bench.context():
        meter, inference = Meter(bench.lm, bench.gen_lm), Meter(bench.lm)
        for task in tasks:
            bench.hyperalign(samples=user.samples, task=task, attributes=user.attributes)
        result["cached"] = meter.stop()
    if result["cached"]["lm_calls"] > len(tasks):  # this run inferred the hypotheses: keep their cost
        bench._inference_usage[user.id] = {**inference.stop(), "seconds": None}
    if bench.settings.measure_reinfer:  # re-infer per task: a cache that keeps nothing
        reinfer = bench.new_hyperalign(cache=HypothesisCache(max_entries=0))
        with bench.context():
            meter = Meter(bench.lm, bench.gen_lm)
            for task in tasks:
                reinfer(samples=user.samples, task=task, attributes=user.attributes)
            result["reinfer"] = {**meter.stop(), "measured": True}
    else:  # temperature 0: every re-inference costs what the measured one did
        inference = bench.inference_usage(user)
        generations = {k: result["cached"][k] - inference[k] for k in ("lm_calls", "prompt_tokens", "completion_tokens", "total_tokens")}
        result["reinfer"] = {**{k: len(tasks) * inference[k] + generations[k] for k in generations}, "seconds": None,
                             "measured": False, "note": "derived: T x the measured inference + the measured generations"}
    result["calls_saved"] = result["reinfer"]["lm_calls"] - result["cached"]["lm_calls"]
    result["token_ratio_cached_vs_reinfer"] = round(result["cached"]["total_tokens"] / max(1, result["reinfer"]["total_tokens"]), 3)
    return result


def _direct_call(bench: Bench, messages: list[dict]) -> tuple[float, str]:
    """The prompt DSPy sent, straight to the backend with the same settings; (seconds, text)."""
    if bench.spy is not None:
        seconds, out = bench.spy.direct(bench.spy.last_kwargs)
        return seconds, out["choices"][0]["message"].get("content") or ""
    import litellm

    entry = bench.gen_lm.history[-1]
    kwargs = {**bench.gen_lm.kwargs, **{k: v for k, v in (entry.get("kwargs") or {}).items()}}
    start = time.perf_counter()
    out = litellm.completion(model=bench.gen_lm.model, messages=messages, **kwargs)
    return time.perf_counter() - start, out.choices[0].message.content or ""


def framework_overhead(bench: Bench) -> dict:
    """One conditioned generation through HyPerAlign (hypotheses cached) vs the same request sent
    straight to the backend, interleaved, median of the repetitions."""
    user = bench.email[0]
    task = user.held_out[0].task
    bench.hypotheses(user)  # warm the cache (free if the T-tasks section ran)
    framework, direct, backend = [], [], []
    with bench.context():
        bench.hyperalign(samples=user.samples, task=task, attributes=user.attributes)  # warm-up, captures the request
        messages = bench.gen_lm.history[-1]["messages"]
        same_request = bench.spy is None or bench.spy.last_kwargs["messages"] == messages
        for _ in range(bench.settings.overhead_reps):
            mark = len(bench.spy.seconds) if bench.spy else 0
            start = time.perf_counter()
            pred = bench.hyperalign(samples=user.samples, task=task, attributes=user.attributes)
            framework.append(time.perf_counter() - start)
            if bench.spy:
                backend.append(sum(bench.spy.seconds[mark:]))
            seconds, raw = _direct_call(bench, messages)
            direct.append(seconds)
    ratio = median(framework) / median(direct)
    result = {
        "user": user.id, "task": task, "reps": bench.settings.overhead_reps,
        "hyperalign_seconds": [round(s, 4) for s in framework], "direct_seconds": [round(s, 4) for s in direct],
        "hyperalign_median_s": round(median(framework), 4), "direct_median_s": round(median(direct), 4),
        "ratio": round(ratio, 4), "target": 1.05, "met": ratio <= 1.05, "margin": round(1.05 - ratio, 4),
        "same_messages_as_lm_history": same_request,
        "same_output": raw.strip() != "" and pred.text in raw,
        "request": {k: v for k, v in (bench.spy.last_kwargs or {}).items() if k != "messages"} if bench.spy else None,
    }
    if backend:
        # The framework's own time: wall time of the HyPerAlign call minus the time inside llama.cpp.
        own = [f - b for f, b in zip(framework, backend)]
        result["framework_own_ms_median"] = round(median(own) * 1000, 2)
        result["ratio_without_backend_noise"] = round((median(direct) + median(own)) / median(direct), 4)
    if isinstance(result["request"], dict) and "response_format" in result["request"]:
        result["request"]["response_format"] = {"type": result["request"]["response_format"].get("type"), "schema": "(JSON schema of the output fields)"}
    return result


def _generation_usage(bench: Bench, program, user, task: str) -> tuple[dict, str]:
    with bench.context():
        meter = Meter(bench.lm, bench.gen_lm)
        pred = program(samples=user.samples, task=task, attributes=user.attributes)
        return meter.stop(), pred.text


def prompt_tokens(bench: Bench) -> dict:
    """Prompt tokens per output: HyPerAlign with cached hypotheses vs few-shot with the same k texts."""
    result: dict[str, Any] = {}
    for domain in bench.settings.token_domains:
        user = (bench.news if domain == "news" else bench.email)[0]
        task = user.held_out[0].task
        bench.hypotheses(user)
        hyper, _ = _generation_usage(bench, bench.hyperalign, user, task)
        few, _ = _generation_usage(bench, bench.few_shot, user, task)
        ratio = hyper["prompt_tokens"] / max(1, few["prompt_tokens"])
        entry = {"user": user.id, "k": len(user.samples), "hyperalign_cached": hyper, "few_shot": few,
                 "ratio": round(ratio, 3)}
        inference = bench.inference_usage(user)
        if inference:
            entry["inference_once"] = inference
            T = bench.settings.tasks_per_user
            entry[f"hyperalign_amortized_over_{T}_tasks_prompt_tokens"] = round((inference["prompt_tokens"] + T * hyper["prompt_tokens"]) / T, 1)
        if domain == "news":
            entry.update(target=0.5, met=ratio <= 0.5, margin=round(0.5 - ratio, 3))
        result[domain] = entry
    return result

