"""`hyperalign chat`: talk with a program that updates hypotheses about you every turn.

Commands: /why (the current hypotheses with their evidence), /save FILE, /load FILE, /reset, /help,
/quit. A bad message or file prints one `error:` line and the chat goes on.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from hyperalign.cli.common import add_command, add_lm_arguments, lm_from_args, results_stream
from hyperalign.core.errors import HyperAlignError, InputError

COMMANDS = "/why, /save FILE, /load FILE, /reset, /help, /quit"
PROMPT = "you> "


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "chat", help="chat with a program that learns about you as you talk (/why shows what it thinks)",
        description=__doc__,
        examples=["hyperalign chat", "hyperalign chat --lm openai/gpt-4o-mini --load conversation.json",
                  "printf 'I teach maths\\n/why\\n' | hyperalign chat"],
    )
    parser.add_argument("--program", default="conversational",
                        help="'conversational' (default) or a compiled conversational program directory or models:/ URI")
    parser.add_argument("--load", metavar="FILE", help="resume a conversation saved with /save")
    add_lm_arguments(parser)
    parser.set_defaults(func=run)


def describe_hypotheses(state: dict) -> list[str]:
    """/why: active hypotheses with turn, status and evidence; then the retired ones."""
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.programs.conversation_state import active_hypotheses

    active = active_hypotheses(state)
    if not active:
        return ["no hypotheses yet" + (" (say something first)" if not state["messages"] else "")]
    lines = []
    for i, h in enumerate(active, start=1):
        mark = "" if h.get("grounded") else " (not grounded in your messages)"
        lines.append(f"{i}. [{h['category']}] {h['statement']} — {h['status']}, turn {h['turn']}{mark}")
        lines += [f"     evidence: \"{e['quote']}\"" + ("" if e.get("grounded") else " (not found)") for e in h["evidence"]]
    retired = [h for h in state["hypotheses"] if h.get("status") == "retired"]
    lines += [f"retired at turn {h.get('retired_turn', '?')}: {h['statement']}" for h in retired]
    return lines


class ChatSession:
    """One conversation: its state, and what each input line does to it."""
    def __init__(self, program, out: TextIO, err: TextIO):
        # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
        from hyperalign.programs.conversation_state import new_state

        self.program, self.out, self.err = program, out, err
        self.state = new_state()

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def handle(self, line: str) -> bool:
        """Act on one input line; False when the chat should end. User errors print one line."""

        try:
            return self._dispatch(line)
        except HyperAlignError as exc:
            print(f"error: {exc}", file=self.err, flush=True)
            return True

    def _dispatch(self, line: str) -> bool:
        # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
        from hyperalign.core.lm_errors import lm_errors
        from hyperalign.programs.conversation_state import (
            load_state,
            new_state,
            save_state,
        )

        command, _, argument = line.strip().partition(" ")
        argument = argument.strip()
        if command in ("/quit", "/exit"):
            return False
        if command == "/help":
            self.say(f"commands: {COMMANDS}")
        elif command == "/why":
            for text in describe_hypotheses(self.state):
                self.say(text)
        elif command in ("/save", "/load"):
            if not argument:
                raise InputError(f"{command} needs a file name, e.g. {command} conversation.json")
            if command == "/save":
                self.say(f"saved {self.state['turn']} turn(s) to {save_state(self.state, argument)}")
            else:
                self.state = load_state(argument)
                self.say(f"loaded {self.state['turn']} turn(s) from {argument}")
        elif command == "/reset":
            self.state = new_state()
            self.say("started a new conversation")
        elif command.startswith("/") and command[1:].isalpha():  # "/usr/bin is..." is still a message
            raise InputError(f"unknown command {command!r}; commands: {COMMANDS}")
        else:
            with lm_errors():
                pred = self.program(message=line, state=self.state)
            self.state = pred.state
            self.say(f"assistant> {pred.reply}")
        return True


def run(args: argparse.Namespace) -> int:
    # Imported here: the library (DSPy, MLflow) loads only when this runs, so the CLI starts fast.
    from hyperalign.core.lm import lm_context
    from hyperalign.optimize.domains.aloe.spec import conversational_program
    from hyperalign.programs.conversation_state import load_state

    if args.json:
        raise InputError("chat is interactive: --json is not supported (personalize and hypotheses print JSON)")
    program = conversational_program(args.program)
    out = results_stream()  # the conversation is the result: stdout, even while other output goes to stderr
    session = ChatSession(program, out, sys.stderr)
    if args.load:
        session.state = load_state(args.load)
    interactive = sys.stdin.isatty()
    session.say(f"hyperalign chat ({COMMANDS}); type a message" + (f", resuming {session.state['turn']} turn(s)" if args.load else ""))
    with lm_context(lm_from_args(args)):
        while True:
            print(PROMPT, end="", file=out, flush=True)
            line = sys.stdin.readline()
            if not line:  # end of input
                if interactive:
                    session.say("")
                return 0
            if not session.handle(line.rstrip("\n")):
                return 0
