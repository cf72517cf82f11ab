"""The library entry point: the same settings give the same results from the library and the CLI."""

import pytest
from typer.testing import CliRunner

from summarize import Session, Settings, SummarizeError
from summarize.cli import app
from summarize.errors import ConfigError, ReadError
from summarize.testing import mock_registry

from .conftest import PAGES, SEEDS

runner = CliRunner()
DAY = "2026-11-22"


def test_library_and_cli_write_the_same_brief(tmp_path, monkeypatch, seeds, tiny_registry):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SUMMARIZE_GLOSSARY", raising=False)
    cli = runner.invoke(app, ["run", str(seeds), "--config", str(tiny_registry), "--date", DAY,
                              "--cache-dir", str(tmp_path / "c1"), "--out", "cli/briefs"])
    assert cli.exit_code == 0, cli.output
    session = Session(Settings.resolve(config=tiny_registry, cache_dir=tmp_path / "c2"))
    report = session.run(seeds, date=DAY, out_dir=tmp_path / "lib" / "briefs")
    assert report.exit_code() == 0 and report.from_cache == 0
    for name in (f"{DAY}.md", f"{DAY}.review.html", f"{DAY}.json"):
        assert (tmp_path / "cli/briefs" / name).read_bytes() == (tmp_path / "lib/briefs" / name).read_bytes()


def test_read_is_the_one_way_a_file_becomes_an_article(tmp_path):
    session = Session(Settings())
    article = session.read(SEEDS / "001_ea9fa2f40a20a3fd.txt")
    assert article.title == "Tổng thống Nga-Mỹ sẽ điện đàm trong ngày 30/12" and article.language == "vi"
    assert session.read(PAGES / "article.html").body
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(ReadError, match="empty.txt: empty file"):
        session.read(tmp_path / "empty.txt")


def test_translate_sends_no_english_page_to_the_model(tmp_path, mock):
    config = mock_registry(tmp_path / "models.yaml")
    page = tmp_path / "en.txt"
    page.write_text("Talks resume in Geneva\n\nThe two delegations met in Geneva on Monday and said that they "
                    "would continue the talks on the treaty before the end of the year.", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(page), "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "The two delegations met in Geneva on Monday" in result.output and mock.calls == []
    vietnamese = runner.invoke(app, ["translate", str(SEEDS / "003_90e0681c7e08f307.txt"), "--config", str(config)])
    assert vietnamese.exit_code == 0 and mock.calls and "HẾT HẠN" in vietnamese.output


def test_models_and_pull(tiny_registry):
    session = Session(Settings.resolve(config=tiny_registry))
    infos = {(i.spec.stage, i.spec.name): i for i in session.models()}
    assert infos["translation", "tiny-t5"].default and infos["translation", "tiny-t5"].path is not None
    assert not infos["translation", "tiny-marian"].default
    assert [spec.name for spec, _ in session.pull("tiny-bart")] == ["tiny-bart"]
    with pytest.raises(ConfigError, match="no model named 'nope'.*choices: passthrough, tiny-bart, tiny-llm, tiny-llm-vi, tiny-marian, tiny-t5"):
        list(session.pull("nope"))


def test_every_error_is_a_summarize_error_with_an_exit_code():
    for cls in (ConfigError, ReadError):
        assert issubclass(cls, SummarizeError) and cls("x").exit_code == 2
    error = SummarizeError("the model is missing", fix="download it")
    assert str(error) == "the model is missing. Fix: download it."


def test_the_cli_prints_an_error_as_one_line_with_its_exit_status(tmp_path):
    result = runner.invoke(app, ["review", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"error: {tmp_path / 'nowhere'}: no such folder of briefs (run `summarize run` first)"]
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bad_glossary_stops_translate_before_any_model_is_fetched(tmp_path):
    (tmp_path / "bad.yaml").write_text("Nga: [Russia]\n", encoding="utf-8")
    result = runner.invoke(app, ["translate", str(SEEDS / "003_90e0681c7e08f307.txt"), "--glossary",
                                 str(tmp_path / "bad.yaml"), "--offline"])  # the shipped envit5 is not on disk
    assert result.exit_code == 2 and "entry 'Nga'" in result.output and "not available" not in result.output
    session = Session(Settings.resolve(glossaries=[tmp_path / "bad.yaml"], offline=True, env={}))
    with pytest.raises(ConfigError, match="entry 'Nga'"), session.translator():  # the library the same way
        pass
