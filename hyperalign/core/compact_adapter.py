"""A JSON adapter whose prompt suits very small chat models (the embedded LM).

DSPy's JSONAdapter shows the output as a template (`"text": "{text}"`); SmolLM2-135M copies the
placeholder into its answer. Under a decoding grammar the structure is enforced anyway, so this
adapter only names the output fields and says what each holds.
"""

from __future__ import annotations

import dspy
from dspy.signatures.signature import Signature


class CompactJSONAdapter(dspy.JSONAdapter):
    def format_field_structure(self, signature: type[Signature]) -> str:
        inputs = ", ".join(f"`{name}`" for name in signature.input_fields)
        outputs = "\n".join(
            f"- `{name}`: {field.json_schema_extra.get('desc', name)}" for name, field in signature.output_fields.items()
        )
        return f"You are given {inputs}. Answer with a JSON object holding:\n{outputs}"

    def user_message_output_requirements(self, signature: type[Signature]) -> str:
        names = ", ".join(f"`{name}`" for name in signature.output_fields)
        return f"Answer with a JSON object holding {names}, with real content (no placeholders)."
