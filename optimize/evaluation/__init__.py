"""The evaluation harness and its reusable parts (other domains' evaluations build on these).

- `bootstrap_ci` / `mean_with_ci`: 95% percentile-bootstrap intervals.
- `DiskCache`: content-keyed on-disk cache of generations and judgements (resumable runs).
- `announce_plan`: the "Planned: N LM calls" line printed before a run.
- `metered`: LM calls and tokens spent inside a block.
- `write_markdown` / `write_json` / `write_bar_chart` / `write_atomically`: report files, written atomically.
MLflow logging of a finished report: `hyperalign.optimize.tracking.store.log_report`.
"""

from hyperalign.optimize.evaluation.bootstrap import bootstrap_ci, mean_with_ci
from hyperalign.optimize.evaluation.cache import DiskCache
from hyperalign.optimize.evaluation.plan import announce_plan
from hyperalign.optimize.evaluation.reports import (
    format_interval,
    markdown_table,
    write_atomically,
    write_bar_chart,
    write_json,
    write_markdown,
    write_text,
)
from hyperalign.optimize.evaluation.usage import Usage, metered

__all__ = [
    "DiskCache",
    "Usage",
    "announce_plan",
    "bootstrap_ci",
    "format_interval",
    "markdown_table",
    "mean_with_ci",
    "metered",
    "write_atomically",
    "write_bar_chart",
    "write_json",
    "write_markdown",
    "write_text",
]
