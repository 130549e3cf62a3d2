"""Judges, metrics and the evaluation harness for deliberative alignment (`evaluate deliberative`)."""
