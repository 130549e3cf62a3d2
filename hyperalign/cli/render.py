"""Human-readable rendering of hypotheses and personalized text for the terminal."""

from __future__ import annotations

import textwrap


def _is_valid(hyp: dict) -> bool:
    return bool(hyp.get("valid", hyp.get("grounded")))


def render_hypotheses(hypotheses: list[dict]) -> str:
    """The valid hypotheses with their evidence and measured habits, then the dropped ones with why."""
    valid = [h for h in hypotheses if _is_valid(h)]
    dropped = [h for h in hypotheses if not _is_valid(h)]
    lines = [f"Hypotheses ({len(valid)} valid, {len(dropped)} dropped):"]
    for i, hyp in enumerate(valid, start=1):
        lines.append(f"{i:>2}. [{hyp.get('category', '?')}] {hyp.get('statement', '')}")
        for ev in hyp.get("evidence", []):
            flag = "ok " if ev.get("grounded") else "NOT FOUND "
            if ev.get("injection"):
                flag += "POSSIBLE PROMPT INJECTION "
            lines.append(f"      {flag}\"{ev.get('quote', '')}\"")
        for habit in hyp.get("habits", []):
            lines.append(f"      measured: {habit.get('reason', '')}")
    if dropped:
        lines.append("Dropped (not used):")
        for hyp in dropped:
            reason = hyp.get("reason") or "ungrounded: no quote found in the texts"
            lines.append(f"   - [{hyp.get('category', '?')}] {hyp.get('statement', '')}\n       why: {reason}")
    if len(valid) < 3:
        lines.append(f"warning: only {len(valid)} valid hypotheses (fewer than 3)")
    return "\n".join(lines)


def render_text(title: str, text: str, width: int = 88) -> str:
    body = "\n".join(textwrap.fill(p, width) if p.strip() else "" for p in text.splitlines()) or "(empty)"
    return f"{title}\n{'-' * len(title)}\n{body}"
