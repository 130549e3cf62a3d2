"""A plain-text prompt for writing tasks on small chat models: the reply is the text itself.

For a signature that writes (a `task` input, one `text: str` output) the instructions and every
other input go into the system message, the task is the user's turn, and the model's whole reply is
the text. Measured on SmolLM2-135M: wrapped in JSON it wrote bracket placeholders and degenerate
digit runs; asked in plain chat it answers the task. Demonstrations become earlier turns
(task → text).
"""

from __future__ import annotations

from typing import Any

import dspy
from dspy.signatures.signature import Signature

TASK_FIELD, TEXT_FIELD = "task", "text"


def is_plain_text(signature: type[Signature]) -> bool:
    """True for a writing signature: a `task` input and a single `text` output of type str."""
    outputs = signature.output_fields
    return (
        TASK_FIELD in signature.input_fields
        and list(outputs) == [TEXT_FIELD]
        and outputs[TEXT_FIELD].annotation is str
    )


def _render(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(f"- {k}: {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        long = any(len(str(v)) > 200 or "\n" in str(v) for v in value)
        return ("\n\n---\n\n" if long else "\n").join(str(v) if long else f"- {v}" for v in value)
    return str(value)


class PlainTextAdapter(dspy.Adapter):
    """System: the instructions and the context inputs; user: the task; reply: the text."""

    def format(self, signature: type[Signature], demos: list[dict[str, Any]], inputs: dict[str, Any]) -> list[dict[str, Any]]:
        parts = [signature.instructions.strip()]
        for name, field in signature.input_fields.items():
            value = inputs.get(name)
            if name == TASK_FIELD or value in (None, "", [], {}):
                continue
            heading = (field.json_schema_extra or {}).get("desc", name)
            parts.append(f"{heading[:1].upper()}{heading[1:]}:\n{_render(value)}")
        messages = [{"role": "system", "content": "\n\n".join(parts)}]
        for demo in demos:
            if demo.get(TASK_FIELD) and demo.get(TEXT_FIELD):
                messages.append({"role": "user", "content": str(demo[TASK_FIELD])})
                messages.append({"role": "assistant", "content": str(demo[TEXT_FIELD])})
        messages.append({"role": "user", "content": str(inputs[TASK_FIELD])})
        return messages

    def parse(self, signature: type[Signature], completion: str) -> dict[str, Any]:
        return {TEXT_FIELD: completion.strip()}
