"""Apply an LM's keep / revise / add / retire updates to the hypotheses, incrementally and checkably.

The LM only proposes; this module decides. Numbers refer to the active hypotheses as shown to the
LM (1-based). Every hypothesis records the turn its current wording came from and its status after
the latest turn; retired ones stay in the list (with `retired_turn`) so the history can be shown.
"""

from __future__ import annotations

from hyperalign.programs.checks.evidence import ground_hypotheses, normalize

MAX_EVIDENCE = 5


def numbered(active: list[dict]) -> list[str]:
    """The active hypotheses as the LM sees them: 'N. [category] statement'."""
    return [f"{i}. [{h['category']}] {h['statement']}" for i, h in enumerate(active, start=1)]


def _quotes(hypothesis: dict) -> list[str]:
    return [e["quote"] if isinstance(e, dict) else e for e in hypothesis.get("evidence", [])]


def _merge_evidence(old: list[dict], new: list[dict], grounded_only: bool = True) -> list[dict]:
    """`old` plus the quotes of `new` not already there (only grounded ones unless told otherwise)."""
    seen = {normalize(e["quote"]) for e in old}
    merged = list(old)
    for e in new:
        if (e["grounded"] or not grounded_only) and normalize(e["quote"]) not in seen:
            seen.add(normalize(e["quote"]))
            merged.append(e)
    return merged[-MAX_EVIDENCE:]


def apply_updates(
    hypotheses: list[dict], updates: list[dict], turn: int, user_texts: list[str], max_active: int = 8
) -> tuple[list[dict], list[dict]]:
    """The hypotheses after this turn's updates, and a log of what was applied.

    keep: the hypothesis stays, gaining the update's grounded quotes. revise: new wording, category
    and evidence, `turn` set to this turn. retire: `status` retired. add: a new hypothesis, unless it
    repeats an active statement (then it counts as a keep) or `max_active` are active already.
    A number that names no active hypothesis makes keep/retire a no-op and revise an add.
    """
    result = [dict(h) for h in hypotheses]
    for h in result:  # untouched active hypotheses are kept as they are
        if h["status"] != "retired":
            h["status"] = "kept"
    active = [h for h in result if h["status"] != "retired"]
    shown = list(active)  # the numbering the LM saw
    grounded = ground_hypotheses([{"evidence": _quotes(u)} for u in updates], user_texts)
    log: list[dict] = []
    touched: set[int] = set()
    for update, checked in zip(updates, grounded):
        action, number = update["action"], int(update.get("number") or 0)
        target = shown[number - 1] if 1 <= number <= len(shown) and id(shown[number - 1]) not in touched else None
        evidence = _merge_evidence([], checked["evidence"], grounded_only=False)  # a small model repeats quotes
        if action in ("keep", "retire") and target is None:
            log.append({"action": action, "number": number, "applied": False, "reason": "no such hypothesis, or already updated this turn"})
            continue
        if action == "keep":
            target["evidence"] = _merge_evidence(target["evidence"], evidence)
            target["grounded"] = any(e["grounded"] for e in target["evidence"])
        elif action == "retire":
            target.update(status="retired", retired_turn=turn)
        elif action == "revise" and target is not None:
            target.update(
                statement=update["statement"], category=update["category"], turn=turn, status="revised",
                evidence=evidence, grounded=checked["grounded"],
            )
        else:  # add, or a revise of a hypothesis that is not there
            key = normalize(update["statement"])
            duplicate = next((h for h in active if normalize(h["statement"]) == key), None)
            if duplicate is not None:
                duplicate["evidence"] = _merge_evidence(duplicate["evidence"], evidence)
                duplicate["grounded"] = any(e["grounded"] for e in duplicate["evidence"])
                log.append({"action": "keep", "number": active.index(duplicate) + 1, "applied": True, "reason": "repeats an active hypothesis"})
                continue
            if sum(h["status"] != "retired" for h in result) >= max_active:
                log.append({"action": "add", "number": 0, "applied": False, "reason": f"{max_active} hypotheses are active already"})
                continue
            target = {
                "statement": update["statement"], "category": update["category"], "evidence": evidence,
                "grounded": checked["grounded"], "turn": turn, "status": "new",
            }
            result.append(target)
            active.append(target)
            action, number = "add", 0
        touched.add(id(target))
        log.append({"action": action, "number": number, "applied": True})
    return result, log
