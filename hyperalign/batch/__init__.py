"""Many users at once: `run_batch(BatchConfig(...))` on local worker processes or a Ray cluster.

    from hyperalign.batch import BatchConfig, run_batch
    summary = run_batch(BatchConfig(users="users.jsonl", tasks="tasks.jsonl", out="out.parquet", workers=2))
"""

from hyperalign.batch.run import BatchConfig, BatchSummary, run_batch

__all__ = ["BatchConfig", "BatchSummary", "run_batch"]
