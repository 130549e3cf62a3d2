"""`hyperalign profiles show|export|reject`: see, export and correct what was inferred about a user."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hyperalign.cli.common import add_command, emit, print_json
from hyperalign.core.errors import InputError
from hyperalign.core.files import write_text
from hyperalign.profiles.store import ProfileStore, default_path


def add_profiles_option(parser: argparse.ArgumentParser, what: str = "profile store") -> None:
    """--profiles, the same for every command that reads or writes stored profiles."""
    parser.add_argument("--profiles", metavar="FILE",
                        help=f"{what} (default: profiles.sqlite in the data dir; env HYPERALIGN_PROFILES)")


def register(sub: argparse._SubParsersAction) -> None:
    profiles = add_command(
        sub, "profiles", help="show, export or reject the stored hypotheses about a user",
        description="The profile store keeps each user's hypotheses between runs (written by `batch` and "
                    "`personalize --user-id`). A rejected hypothesis is never used for that user again, even "
                    "after a new inference states it anew.",
        examples=["hyperalign profiles show dana_okafor", "hyperalign profiles reject dana_okafor 2",
                  "hyperalign profiles export --out profiles.jsonl"],
    )
    actions = profiles.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = add_command(actions, "show", help="a user's stored hypotheses, numbered, with rejections marked",
                       description="Print one user's stored profile: hypotheses with evidence, what they were "
                                   "inferred from (LM, program version, samples hash) and the rejected ones.",
                       examples=["hyperalign profiles show dana_okafor"])
    show.add_argument("user", metavar="USER", help="user id")
    export = add_command(actions, "export", help="every stored profile (or the named users') as JSONL",
                         description="Write stored profiles as JSON lines (one profile a line) to stdout or a file.",
                         examples=["hyperalign profiles export --out profiles.jsonl", "hyperalign profiles export u1 u2"])
    export.add_argument("users", nargs="*", metavar="USER", help="user ids (default: all)")
    export.add_argument("--out", metavar="FILE", help="write to this file (atomically) instead of stdout")
    reject = add_command(actions, "reject", help="reject one of a user's hypotheses, for good",
                         description="Reject a hypothesis by its number in `profiles show` or by its statement. It is "
                                     "left out of every later personalization for this user.",
                         examples=["hyperalign profiles reject dana_okafor 2",
                                   "hyperalign profiles reject dana_okafor \"Writes long e-mails.\""])
    reject.add_argument("user", metavar="USER", help="user id")
    reject.add_argument("hypothesis", metavar="HYPOTHESIS", help="its number (from `profiles show`) or its statement")
    for parser in (show, export, reject):
        add_profiles_option(parser)
    show.set_defaults(func=run_show)
    export.set_defaults(func=run_export)
    reject.set_defaults(func=run_reject)


def _store(args: argparse.Namespace, must_exist: bool = True):
    path = Path(args.profiles) if args.profiles else default_path()
    if must_exist and not path.is_file():
        raise InputError(f"{path}: no profile store yet (run `hyperalign batch` or `personalize --user-id` first)")
    return ProfileStore(path)


def render(profile) -> str:
    rejected = {" ".join(s.lower().split()) for s in profile.rejected}
    lines = [f"User {profile.user_id}: {len(profile.hypotheses)} hypotheses ({len(profile.rejected)} rejected)",
             f"  inferred by {profile.lm} with {profile.program}; samples {profile.samples_hash[:16]}"]
    for number, hyp in enumerate(profile.hypotheses, 1):
        mark = "  [rejected]" if " ".join(str(hyp.get("statement", "")).lower().split()) in rejected else ""
        lines.append(f"{number}. [{hyp.get('category', '?')}] {hyp.get('statement', '')}{mark}")
        for quote in hyp.get("evidence", []):
            lines.append(f"     \"{quote.get('quote', quote) if isinstance(quote, dict) else quote}\"")
    shown = {" ".join(str(h.get("statement", "")).lower().split()) for h in profile.hypotheses}
    for statement in profile.rejected:
        if " ".join(statement.lower().split()) not in shown:
            lines.append(f"-  {statement}  [rejected; not in the current profile]")
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    profile = _store(args).get(args.user)
    if profile is None:
        raise InputError(f"no stored profile for user {args.user!r}")
    if args.json:
        print_json(profile.to_dict())
    else:
        emit(render(profile))
    return 0


def run_export(args: argparse.Namespace) -> int:
    store = _store(args)
    text = "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in store.export(args.users or None))
    if args.out:
        write_text(args.out, text)
        emit(f"Wrote {text.count(chr(10))} profile(s) to {args.out}")
    else:
        emit(text.rstrip("\n"))
    return 0


def run_reject(args: argparse.Namespace) -> int:
    statement = _store(args).reject(args.user, args.hypothesis)
    if args.json:
        print_json({"user_id": args.user, "rejected": statement})
    else:
        emit(f"Rejected for {args.user}: {statement}\n(never used for this user again, even after a new inference)")
    return 0
