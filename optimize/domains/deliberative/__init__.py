"""Deliberative alignment: the spec (program, examples, metric) and `evaluate deliberative`."""
