"""ALOE-style evaluation of interactive alignment: a simulated user, a per-turn judge, AL(k) curves.

- `UserSimulator`: plays one ALOE profile + personality, revealing it gradually, in character.
- `TurnJudge` / `turn_score`: scores a reply 1–5 for style, content and quality; the metric for compile.
- `alignment`: AL(k) per turn, the improvement rate (least-squares slope), its normalised form and R².
- `evaluation.run_from_args`: `hyperalign evaluate aloe`.
"""
