"""Human-readable rendering of hypotheses and personalized text for the terminal."""

from __future__ import annotations

import textwrap


def render_hypotheses(hypotheses: list[dict]) -> str:
    grounded = sum(1 for h in hypotheses if h.get("grounded"))
    lines = [f"Hypotheses ({len(hypotheses)}, {grounded} grounded in the texts):"]
    for i, hyp in enumerate(hypotheses, start=1):
        mark = "" if hyp.get("grounded") else "  [UNGROUNDED: no quote found in the texts]"
        lines.append(f"{i:>2}. [{hyp.get('category', '?')}] {hyp.get('statement', '')}{mark}")
        for ev in hyp.get("evidence", []):
            flag = "ok " if ev.get("grounded") else "NOT FOUND "
            lines.append(f"      {flag}\"{ev.get('quote', '')}\"")
    return "\n".join(lines)


def render_text(title: str, text: str, width: int = 88) -> str:
    body = "\n".join(textwrap.fill(p, width) if p.strip() else "" for p in text.splitlines()) or "(empty)"
    return f"{title}\n{'-' * len(title)}\n{body}"
