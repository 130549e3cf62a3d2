"""Step 2 of HyPerAlign: write for a task conditioned on the hypotheses, and check what was written.

The hypotheses reach the LM in the second person ("You come across as blunt"), each with a quote of
the user's that grounds it; the task is the request, and the length comes from the user's own
texts. Each output is checked with the judge's text checks (programs/checks): on task, no echo of
the hypotheses, no copy of the samples, not degenerate. A failing output is regenerated once (sampled; without the quotes when it was off task),
and the better of the two is kept (fewer problems, then more on task).
Habits a valid hypothesis names and an edit can keep (no greeting, no sign-off, no exclamation
marks, contractions or none, lower case, lines wrapped at the user's width) are kept by editing, at
the rate measured in the user's texts, and each edit is reported (programs/habit_edits.py).
"""

from __future__ import annotations

import re
import statistics

import dspy

from hyperalign.programs.checks import fidelity, originality, sanity
from hyperalign.programs.checks.habits import HabitMeasures, measure_habits
from hyperalign.programs.checks.tokens import TERMINAL, words
from hyperalign.programs.habit_edits import keep_habits
from hyperalign.programs.inputs import clean_attributes, clean_task
from hyperalign.programs.openings import TEXT_KIND, start_with_opening, task_opening
from hyperalign.signatures.generation import WriteAsUser

# A text that repeats this many words in a run from a hypothesis restates it instead of doing the task.
ECHO_WORDS = 6
_DESCRIBES_WRITER = re.compile(r"\bthe (?:writer|user|author)\b", re.I)
# Talk about the text instead of the text (measured on CCAT50: "This article, written in the style of
# business and polished to perfection with a dash of humor, is designed to make you smile.").
# Or to the person who asked for it (CCAT50: "Sounds like a great story. Here's a rewritten version of the
# article to help you get started:").
_ABOUT_ITSELF = re.compile(
    r"\b(?:written|writing|write) in (?:the|a|an|my|your) (?:\w+ )?(?:style|tone|voice)\b|"
    rf"\bthis {TEXT_KIND} (?:is|was|tries|aims|will)\b|"
    rf"\bhere(?:'s|\u2019s| is) (?:a |an |the |my |your )?(?:\w+ )?(?:version|draft|rewrite) of (?:the |your |an? |my )?{TEXT_KIND}\b|"
    rf"\bsounds like a (?:great|good|interesting|fascinating) (?:story|article)\b", re.I)
PLACEHOLDER = re.compile(r"\[[^\]\n]{2,40}\]")  # "[Company Name]": a template, not a text to send
PASS = 0.5  # the checks' reject threshold (score < 0.5 fails)
OFF_TASK = "off task"  # how the fidelity check's problem starts
RETRY_TEMPERATURE = 0.8
CONTINUE = "Write what comes after that first sentence; do not repeat it."
# Third person -> second person for the stems the grammar uses, and a few pronouns.
_VERB = {"is": "are", "has": "have", "does": "do"}
_PRONOUNS = {"their": "your", "they": "you", "them": "you", "themselves": "yourself", "his": "your", "her": "your",
             "himself": "yourself", "herself": "yourself", "he": "you", "she": "you"}


def as_second_person(statement: str) -> str:
    """'The writer comes across as blunt.' -> 'You come across as blunt.'; other statements unchanged."""
    match = re.match(r"^The (?:writer|user|author) (\w+)(.*)$", statement.strip(), re.S)
    if not match:
        return statement.strip()
    verb, rest = match.groups()
    if verb in _VERB:
        verb = _VERB[verb]
    elif re.search(r"(?:ss|sh|ch|x|z|o)es$", verb):
        verb = verb[:-2]
    elif verb.endswith("ies"):
        verb = verb[:-3] + "y"
    elif verb.endswith("s") and not verb.endswith("ss"):
        verb = verb[:-1]
    rest = re.sub(r"\b(\w+)\b", lambda m: _PRONOUNS.get(m.group(1), m.group(1)), rest)
    return f"You {verb}{rest}"


def shown(hypothesis: dict, with_evidence: bool) -> str:
    """A hypothesis as the LM reads it: in the second person, with its first grounded quote as an
    example of the voice when asked for (measured on 16 shared users, embedded LM: style +0.016 on
    e-mails, +0.012 on news, 6 of 8 journalists up; the quote is the user's, so the output is still
    checked for copying the samples)."""
    text = as_second_person(hypothesis["statement"])
    quotes = [e["quote"] for e in hypothesis.get("evidence", []) if isinstance(e, dict) and e.get("grounded")]
    return f'{text} For example: "{quotes[0]}"' if with_evidence and quotes else text


def usable(hypothesis: dict) -> bool:
    """Valid hypotheses (checked ones say so); unchecked ones count when grounded."""
    return bool(hypothesis.get("valid", hypothesis.get("grounded", True)))


def target_words(samples: list[str] | None) -> int | None:
    """The user's usual length: the median word count of their texts."""
    counts = [len(words(s)) for s in samples or [] if s.strip()]
    return int(statistics.median(counts)) if counts else None


def max_tokens_for(n_words: int | None) -> int | None:
    """A token cap near the user's length (about 1.4 tokens a word, with room to finish a sentence)."""
    return None if n_words is None else int(min(1024, max(48, n_words * 1.6 + 16)))


def finish_sentence(text: str) -> str:
    """Cut a text stopped by the token cap back to its last complete sentence."""
    text = text.strip()
    if not text or TERMINAL.search(text[-2:]):
        return text
    ends = list(TERMINAL.finditer(text))
    return text[: ends[-1].end()].strip() if ends and ends[-1].end() > len(text) // 2 else text


def shaped(reply: str, opening: str | None, statements: list[str], measures: HabitMeasures | None = None) -> tuple[str, list[str]]:
    """The LM's reply as the text: cut back to a full sentence, starting with the task's given opening,
    the stated habits kept (at the user's measured rates); and the edits made for those habits."""
    text = start_with_opening(finish_sentence(reply), opening)
    if not opening or not text.startswith(opening):
        return keep_habits(text, statements, measures)
    # The given opening is the task's, not the LM's: the edits keep the user's habits in what follows it.
    after = text[len(opening):]
    rest, edits = keep_habits(after.strip(), statements, measures)
    return opening + (after[: len(after) - len(after.lstrip())] or " ") + rest if rest else opening, edits


def output_problems(text: str, task: str, samples: list[str], statements: list[str]) -> list[str]:
    """What is wrong with a generated text, each as one phrase ([] when it passes)."""
    problems = []
    found = fidelity(text, task, samples)
    if found.score < PASS:
        problems.append(found.problem or OFF_TASK)
    if statements:
        # As inferred ("The writer comes across as ...") and as shown to the LM ("You come across as ...").
        sources = statements + [as_second_person(s) for s in statements]
        echo = originality(text, sources, labels=[f"hypothesis {i % len(statements) + 1}" for i in range(len(sources))])
        if echo.longest_span >= ECHO_WORDS:
            problems.append(f"echoes the hypotheses: a run of {echo.longest_span} words from {echo.source}")
    if _DESCRIBES_WRITER.search(text):
        problems.append("describes the writer instead of writing as them")
    about = _ABOUT_ITSELF.search(text)
    if about:
        problems.append(f"talks about the text instead of being it: {about.group(0)!r}")
    placeholder = PLACEHOLDER.search(text)
    if placeholder:
        problems.append(f"a placeholder instead of content: {placeholder.group(0)}")
    if samples:
        copied = originality(text, samples, task)
        if copied.score < PASS:
            problems.append(copied.problem)
    health = sanity(text, samples)
    if health.score < PASS:
        problems.append(health.problem)
    return problems


def _better(text: str, problems: list[str], than: str, than_problems: list[str], task: str, samples: list[str]) -> bool:
    """Fewer problems wins; with as many, the text more on task."""
    if len(problems) != len(than_problems):
        return len(problems) < len(than_problems)
    return fidelity(text, task, samples).score > fidelity(than, task, samples).score


class ConditionedGeneration(dspy.Module):
    """Task + hypotheses (+ attributes, the user's texts for length and checks) → a checked text.

        gen = ConditionedGeneration()
        out = gen(task="Ask a colleague to cover Saturday", hypotheses=checked, samples=user_texts)
        out.text, out.problems, out.regenerated
    """

    def __init__(
        self, signature: type[dspy.Signature] = WriteAsUser, use_ungrounded: bool = False, check: bool = True,
        show_evidence: bool = True,
    ):
        super().__init__()
        self.show_evidence = show_evidence
        self.write = dspy.Predict(signature)
        self.use_ungrounded = use_ungrounded
        self.check = check

    def forward(
        self, task: str, hypotheses: list[dict], attributes: dict[str, str] | None = None, samples: list[str] | None = None
    ) -> dspy.Prediction:
        task = clean_task(task)
        used = [h for h in hypotheses if self.use_ungrounded or usable(h)]
        statements = [h["statement"] for h in used]
        n_words = target_words(samples)
        call = {"task": task, "hypotheses": [shown(h, self.show_evidence) for h in used], "attributes": clean_attributes(attributes)}
        if "length" in self.write.signature.input_fields:
            call["length"] = f"about {n_words} words, like your own texts" if n_words else "as long as the task needs"
        cap = max_tokens_for(n_words)
        opening = task_opening(task)
        measures = measure_habits(samples) if samples else None
        text, edits = shaped(self.write(**call, **({"config": {"max_tokens": cap}} if cap else {})).text, opening, statements, measures)
        problems = output_problems(text, task, samples or [], statements) if self.check else []
        regenerated = False
        if problems:
            config = {"temperature": RETRY_TEMPERATURE, "rollout_id": 1, **({"max_tokens": cap} if cap else {})}
            again = call
            if opening and len(text) <= len(opening) + 1:
                # Nothing but the given sentence (measured: a small model may only restate it): ask for the rest.
                again = {**call, "task": f"{task}\n\n{CONTINUE}"}
            if any(p.startswith(OFF_TASK) for p in problems):
                # The quotes come from the user's texts on other topics: off task, write from the task alone.
                again = {**again, "hypotheses": [shown(h, False) for h in used]}
            retry, retry_edits = shaped(self.write(**again, config=config).text, opening, statements, measures)
            retry_problems = output_problems(retry, task, samples or [], statements)
            regenerated = True
            if _better(retry, retry_problems, text, problems, task, samples or []):
                text, problems, edits = retry, retry_problems, retry_edits
        return dspy.Prediction(text=text, used_hypotheses=statements, problems=problems, regenerated=regenerated, edits=edits)
