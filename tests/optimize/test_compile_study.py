"""A compile study is one parent MLflow run: every cell's figures as metrics, the table and the plot as
artifacts, and a cell that fails is listed with why instead of ending the study."""

from mlflow import MlflowClient

from hyperalign.optimize.compile import study
from hyperalign.optimize.compile.study import Cell, Corpus, run_study


def test_a_study_is_one_parent_run_with_every_cell(tmp_path, monkeypatch):
    def fake_cell(corpus, optimizer, **options):
        assert options["parent_run_id"] and options["budget"] == "light"
        if optimizer == "gepa":
            return Cell(corpus.name, optimizer, seconds=3.0, note="failed: the LM's answer could not be parsed")
        return Cell(corpus.name, optimizer, 50.0, 52.5, (2.5, 0.5, 4.5), 4, 30, 60.0, 55.0)

    monkeypatch.setattr(study, "compile_cell", fake_cell)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    cells = run_study([Corpus("demo e-mails", "email")], ["bootstrap", "gepa"], out=tmp_path / "out", tracking_uri=uri)
    assert [c.optimizer for c in cells] == ["bootstrap", "gepa"]
    client = MlflowClient(uri, uri)
    runs = client.search_runs([client.get_experiment_by_name(study.EXPERIMENT).experiment_id])
    assert len(runs) == 1 and runs[0].info.status == "FINISHED"
    metrics = runs[0].data.metrics
    assert metrics["demo e-mails.bootstrap.difference"] == 2.5 and metrics["demo e-mails.bootstrap.difference_low"] == 0.5
    assert not any(name.startswith("demo e-mails.gepa") for name in metrics)
    table = (tmp_path / "out" / "study.md").read_text()
    assert "+2.5 [+0.5, +4.5]" in table and "failed: the LM's answer could not be parsed" in table
    artifacts = {a.path for a in client.list_artifacts(runs[0].info.run_id)}
    assert artifacts == {"study.md", "study.json", "study.png"}


def test_a_study_can_run_only_some_cells(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(study, "compile_cell", lambda corpus, optimizer, **_: ran.append((corpus.name, optimizer))
                        or Cell(corpus.name, optimizer, 50.0, 50.0, (0.0, 0.0, 0.0), 3, 10, 1.0, 1.0))
    corpora = [Corpus("demo e-mails", "email"), Corpus("CCAT50 news", "news", "x.jsonl", k=3)]
    run_study(corpora, ["bootstrap", "mipro"], out=tmp_path / "out", tracking_uri=f"sqlite:///{tmp_path / 'm.db'}",
              only={("demo e-mails", "mipro"), ("CCAT50 news", "bootstrap")})
    assert ran == [("demo e-mails", "mipro"), ("CCAT50 news", "bootstrap")]


def pid_cell(corpus, optimizer, **options):
    """A stand-in compile that says which process ran it (module-level: a spawned process imports it)."""
    import os

    return Cell(corpus.name, optimizer, note=str(os.getpid()))


def test_jobs_run_cells_in_separate_processes():
    import os

    work = [(Corpus("demo e-mails", "email"), optimizer) for optimizer in ("bootstrap", "mipro", "gepa")]
    cells = list(study._cells(work, {}, jobs=2, compile_one=pid_cell))
    assert sorted(c.optimizer for c in cells) == ["bootstrap", "gepa", "mipro"]
    pids = {c.note for c in cells}
    assert str(os.getpid()) not in pids and 1 <= len(pids) <= 2
