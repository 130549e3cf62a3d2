"""The base layer: errors, LM set-up and the embedded engine, key redaction, hashing, atomic files,
paths and the JSONL reader. It imports nothing else of the project; every other layer builds on it."""
