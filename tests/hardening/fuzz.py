"""Hostile but ordinary-looking texts: every control character, lone surrogates, a very long line,
emoji, right-to-left text, quotes and backslashes."""

CONTROL = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])

FUZZ_TEXTS = {
    "controls": "Hello\x00World, this has NUL.\x0cForm feed\x08back. Tab\there; bell\x07; escape\x1b[31m red. "
                "All of them: " + CONTROL + " end of the controls.",
    "surrogates": "A lone high \ud800 and low \udfff surrogate sit in this sentence. Then \udc80 too.",
    "long_line": "This is one very long line without any break " + "and it goes on " * 200 + "until it stops.",
    "emoji": "Great news \U0001F600 team! We shipped \U0001F680 on time \u2764\ufe0f. Flags \U0001F1FA\U0001F1F8 too.",
    "rtl": "\u05e9\u05dc\u05d5\u05dd \u05dc\u05db\u05d5\u05dd. \u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645 "
           "\u202eevil override\u202c and an isolate \u2067x\u2069 here.",
    "quotes": 'She said "ship it" and wrote C:\\temp\\new\\file \\u0000 as a path; JSON {"a": "\\""} too.',
}
ORDINARY = "Thanks for the update. I will review the draft tonight and send notes tomorrow morning."
