"""ALOE-style evaluation of interactive alignment: a simulated user, the per-turn judge, AL(k) curves.

- `simulated_user.UserSimulator`: plays one ALOE profile + personality, revealing it gradually.
- `dialogue.converse`: one conversation, every reply scored by the turn judge (optimize/judges/turn.py).
- `alignment`: AL(k) per turn, the improvement rate (least-squares slope), its normalised form and R².
- `spec`: what `compile aloe` needs; `evaluation.run_from_args`: `hyperalign evaluate aloe`.
"""
