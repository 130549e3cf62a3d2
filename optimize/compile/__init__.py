"""Compile: a domain's program tuned by a DSPy optimizer, scored before and after, tracked in MLflow.

`run.compile_domain(CompileConfig(...))` is the entry point; `optimizers` holds the optimizers and
budgets, `champion` the alias that moves only to a better version.
"""
