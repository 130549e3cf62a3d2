"""The compile study of docs/compile.md, in one command:

    python tests/benchmarks/compile_study.py [--corpora demo,cmcc,news] [--optimizers bootstrap,random-search,mipro,gepa]
        [--metric NAME] [--budget light] [--lm MODEL] [--out DIR] [--tracking-uri URI] [--jobs N] [--cells demo:mipro,...]

Each corpus is compiled with each optimizer on the embedded LM (or --lm), judged on test users it
never saw; DIR/study.md, study.json and study.png are rewritten after every cell, and the study is
one parent run in MLflow (experiment hyperalign-compile-study). Corpora come from ../shared/data
(HYPERALIGN_CORPORA overrides). `--jobs 2` compiles two cells at once (one core each), still one parent run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import offline_env  # noqa: E402

DATA = Path(os.environ.get("HYPERALIGN_CORPORA", Path(__file__).resolve().parents[2].parent / "shared" / "data"))


def corpora():
    from hyperalign.optimize.compile.study import Corpus

    return {
        "demo": Corpus("demo e-mails", "email"),
        "cmcc": Corpus("CMCC e-mails", "email", str(DATA / "cmcc" / "cmcc.jsonl")),
        # k=3: five ~2,000-character articles per prompt are slow on the embedded LM
        "news": Corpus("CCAT50 news", "news", str(DATA / "ccat50" / "ccat50.jsonl"), k=3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", default="demo,cmcc,news")
    parser.add_argument("--optimizers", default="bootstrap,random-search,mipro,gepa")
    parser.add_argument("--metric", help="the domain's default metric unless given")
    parser.add_argument("--budget", default="light")
    parser.add_argument("--test-users", type=int, help="unseen users each compile is judged on (default: the budget's)")
    parser.add_argument("--lm", default="embedded")
    parser.add_argument("--out", default="compile-study")
    parser.add_argument("--tracking-uri")
    parser.add_argument("--cells", help="only these CORPUS:OPTIMIZER cells, e.g. demo:mipro,news:bootstrap (default: every pair)")
    parser.add_argument("--jobs", type=int, default=1, help="cells compiled at once, one process each (default 1)")
    args = parser.parse_args(argv)
    offline_env()
    from hyperalign.optimize.compile.study import run_study

    known = corpora()
    chosen = [known[name] for name in args.corpora.split(",")]
    only = {(known[c].name, o) for c, o in (cell.split(":") for cell in args.cells.split(","))} if args.cells else None
    cells = run_study(chosen, args.optimizers.split(","), metric=args.metric, budget=args.budget, lm=args.lm,
                      out=args.out, tracking_uri=args.tracking_uri, test_users=args.test_users, jobs=args.jobs,
                      only=only)
    print((Path(args.out) / "study.md").read_text(encoding="utf-8"))
    return 0 if all(c.difference is not None for c in cells) else 1


if __name__ == "__main__":
    sys.exit(main())
