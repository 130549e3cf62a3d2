"""Domains and their loaders: `load_users(domain, path)` picks the loader from the file's format."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from hyperalign.core.errors import DataError, InputError
from hyperalign.data.formats import DESCRIPTIONS, corpus_format
from hyperalign.data.loaders import aloe, blog, cmcc, demo, enron, news, safety
from hyperalign.data.model import SafetyPrompt, SimulatedUser, User
from hyperalign.data.problems import Problems

# Writing domains: name -> the corpus formats it reads.
WRITING_DOMAINS: dict[str, tuple[str, ...]] = {
    "news": ("ccat50",),
    "email": ("demo", "cmcc", "enron"),
    "essay": ("cmcc",),
    "blog": ("cmcc", "blog"),
    "demo": ("demo",),
}
# Domains whose default, with no path, is the bundled demo e-mails.
BUNDLED = ("email", "demo")
# Data sets that are not writers' corpora: what their paths must hold.
SAFETY_PROMPTS_HELP = "prompt sets with safety labels: XSTest, AdvBench or HarmBench CSV"
ALOE_HELP = "ALOE folder with profile.jsonl and personality.jsonl"


def load_users(
    domain: str, path: Path | str | None = None, k: int = 5, seed: int = 0, problems: Problems | None = None
) -> list[User]:
    """Users of `domain`, each with k sample texts and the rest held out (seeded, deterministic)."""
    if domain not in WRITING_DOMAINS:
        raise InputError(f"unknown domain '{domain}' (known: {', '.join(WRITING_DOMAINS)})")
    if path is None:
        if domain not in BUNDLED:
            raise InputError(f"domain '{domain}' needs a path to a corpus: {describe(domain)}")
        return demo.load(None, k=k, seed=seed, problems=problems)
    path = Path(path)
    fmt = corpus_format(path)
    if fmt not in WRITING_DOMAINS[domain]:
        raise DataError(f"{path}: holds a {DESCRIPTIONS[fmt]}, which domain '{domain}' does not read; it reads {describe(domain)}")
    return _loader(fmt, domain)(path, k=k, seed=seed, problems=problems)


def _loader(fmt: str, domain: str) -> Callable[..., list[User]]:
    if fmt == "cmcc":
        return partial(cmcc.load, genre=cmcc.GENRES[domain])
    return {"ccat50": news.load, "demo": demo.load, "enron": enron.load, "blog": blog.load}[fmt]


def describe(domain: str) -> str:
    """What a writing domain's corpus path must hold."""
    return " or ".join(DESCRIPTIONS[fmt] for fmt in WRITING_DOMAINS[domain])


def load_safety_prompts(path: Path | str, problems: Problems | None = None) -> list[SafetyPrompt]:
    """Prompts labelled safe/unsafe from an XSTest, AdvBench or HarmBench CSV."""
    return safety.load(path, problems=problems)


def load_aloe_users(path: Path | str, n: int = 10, seed: int = 0, problems: Problems | None = None) -> list[SimulatedUser]:
    """`n` ALOE simulated users (profile + personality), deterministically paired by `seed`."""
    return aloe.load(path, n=n, seed=seed, problems=problems)


def collect_problems(read: Callable[[Problems], object]) -> Problems:
    """Every problem `read(problems)` meets in a data set (with file and line), reading on past each."""
    problems = Problems(strict=False)
    try:
        read(problems)
    except DataError as exc:  # a problem that stops reading (missing file, unknown format)
        problems.errors.append(str(exc))
    return problems


def check(domain: str, path: Path | str | None, k: int = 5) -> Problems:
    """Every problem in a writing domain's corpus (with file and line), reading on past each one."""
    return collect_problems(lambda problems: load_users(domain, path, k=k, problems=problems))
