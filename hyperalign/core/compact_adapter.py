"""A JSON adapter whose prompt suits very small chat models (the embedded LM).

DSPy's JSONAdapter shows the output as a template (`"text": "{text}"`); SmolLM2-135M copies the
placeholder into its answer. Under a decoding grammar the structure is enforced anyway, so this
adapter only names the output fields and says what each holds. Writing signatures (a task in, a text
out) go through the plain-text prompt instead: the model's reply is the text.
"""

from __future__ import annotations

import dspy
from dspy.signatures.signature import Signature

from hyperalign.core.plain_text_adapter import PlainTextAdapter, is_plain_text


class CompactJSONAdapter(dspy.JSONAdapter):
    def __call__(self, lm, lm_kwargs, signature, demos, inputs):
        if is_plain_text(signature):
            return PlainTextAdapter()(lm, lm_kwargs, signature, demos, inputs)
        return super().__call__(lm, lm_kwargs, signature, demos, inputs)

    async def acall(self, lm, lm_kwargs, signature, demos, inputs):
        if is_plain_text(signature):
            return await PlainTextAdapter().acall(lm, lm_kwargs, signature, demos, inputs)
        return await super().acall(lm, lm_kwargs, signature, demos, inputs)

    def format_field_structure(self, signature: type[Signature]) -> str:
        inputs = ", ".join(f"`{name}`" for name in signature.input_fields)
        outputs = "\n".join(
            f"- `{name}`: {field.json_schema_extra.get('desc', name)}" for name, field in signature.output_fields.items()
        )
        return f"You are given {inputs}. Answer with a JSON object holding:\n{outputs}"

    def user_message_output_requirements(self, signature: type[Signature]) -> str:
        names = ", ".join(f"`{name}`" for name in signature.output_fields)
        return f"Answer with a JSON object holding {names}, with real content (no placeholders)."
