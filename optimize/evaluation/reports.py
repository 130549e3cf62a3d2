"""Report writers: a markdown table, a JSON file and a PNG bar chart with confidence intervals.

Every file is written to a temporary file beside the target and renamed into place, so a crash
never leaves a half-written report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hyperalign.core.files import write_atomically, write_json, write_text
from hyperalign.optimize.tracking.store import log_report

__all__ = ["MIN_USERS_FOR_INTERVAL", "format_interval", "markdown_table", "small_sample_note", "write_atomically", "write_bar_chart", "write_json",
           "write_markdown", "write_text", "track_report"]

# (value, low, high): a rate or mean with its confidence interval.
Interval = tuple[float, float, float]


# Below this many users an interval over users means nothing (one user: [100%–100%]): none is shown.
MIN_USERS_FOR_INTERVAL = 5


def format_interval(value: float, low: float, high: float, percent: bool = True, users: int | None = None) -> str:
    """'42% [20–63%]' for rates, '0.61 [0.55–0.67]' for scores; with fewer than
    MIN_USERS_FOR_INTERVAL `users`, '100% [n/a (2 users)]'."""
    shown = f"{value:.0%}" if percent else f"{value:.2f}"
    if users is not None and users < MIN_USERS_FOR_INTERVAL:
        return f"{shown} [n/a ({users} user{'' if users == 1 else 's'})]"
    if percent:
        return f"{shown} [{low:.0%}–{high:.0%}]"
    return f"{shown} [{low:.2f}–{high:.2f}]"


def small_sample_note(users: int) -> str | None:
    """The report's warning when too few users were evaluated for the numbers to generalise."""
    if users >= MIN_USERS_FOR_INTERVAL:
        return None
    return (f"Anecdotal: {users} user{'' if users == 1 else 's'} (fewer than {MIN_USERS_FOR_INTERVAL}); "
            "no interval is given and these numbers say little about users in general.")


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def write_markdown(
    path: Path | str, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], notes: Sequence[str] = ()
) -> Path:
    """A markdown report: a title, the table, then one paragraph per note."""
    parts = [f"# {title}", markdown_table(columns, rows), *notes]
    return write_text(path, "\n\n".join(parts) + "\n")


def write_bar_chart(
    path: Path | str,
    groups: Sequence[str],
    series: dict[str, Sequence[Interval]],
    *,
    title: str,
    ylabel: str = "rate",
    ylim: tuple[float, float] = (0.0, 1.0),
    colors: Sequence[str] | None = None,
) -> Path:
    """Grouped bars (one group per comparator, one bar per series such as win/tie/loss) with the
    intervals as error bars."""
    # Imported here: heavy: plotting loads only when a chart is written.
    import matplotlib

    matplotlib.use("Agg")  # no display; safe in CI and on servers
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.arange(len(groups))
    width = 0.8 / max(len(series), 1)
    fig, ax = plt.subplots(figsize=(max(4.5, 1.8 * len(groups) + 2), 4.0), dpi=120)
    try:
        for i, (name, values) in enumerate(series.items()):
            heights = np.array([v for v, _, _ in values], dtype=float)
            errors = np.array([[max(v - lo, 0.0) for v, lo, _ in values], [max(hi - v, 0.0) for v, _, hi in values]])
            positions = x - 0.4 + width * (i + 0.5)
            color = colors[i] if colors and i < len(colors) else None
            ax.bar(positions, heights, width, yerr=errors, capsize=3, label=name, color=color)
        ax.set_xticks(x, list(groups))
        ax.set_ylim(*ylim)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.legend(fontsize=8, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=len(series))
        fig.tight_layout()
        return write_atomically(path, lambda handle: fig.savefig(handle, format="png"))
    finally:
        plt.close(fig)


def track_report(domain: str, run_name: str, *, meta: dict[str, Any], metrics: dict[str, float], files: list[Path],
                 track: bool = True, tracking_uri: str | None = None, started: float | None = None) -> str | None:
    """Log a finished report to MLflow (unless `track` is False); returns the run id. `started`
    (time.time() when the work began) makes the run's duration cover the work, not only the logging."""
    if not track:
        return None

    params = {k: v for k, v in meta.items() if k != "tokens_by_model"}
    run_id = log_report(domain, run_name, params=params, metrics=metrics, files=files,
                        tracking_uri=tracking_uri, started=started)
    return run_id
