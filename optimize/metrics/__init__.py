"""Metrics for the optimizers: plain functions `metric(example, pred, trace=None)` built on the judges,
one module per domain family (authorship, deliberative, aloe)."""
