import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.evaluation import score_translation

from .conftest import ROOT, SEEDS

runner = CliRunner()


@pytest.mark.parametrize(
    "command, options",
    [
        ([], ["run", "clean", "models", "cache", "eval"]),
        (["run"], ["--config", "--translator", "--summarizer", "--out", "--date", "--cache-dir", "--no-cache",
                   "--offline", "--device", "--backend", "--fast", "--quiet", "--verbose", "Exit status"]),
        (["eval", "translation"], ["SRC_FILE", "REF_FILE", "--translator", "--device", "--backend", "--fast"]),
        (["clean"], ["--json"]),
        (["eval", "clean"], ["--inputs", "gold_dir"]),
        (["models", "list"], ["--config"]),
        (["models", "pull"], ["--config", "name"]),
        (["cache", "stats"], ["--cache-dir"]),
        (["cache", "clear"], ["--cache-dir"]),
    ],
)
def test_every_command_has_complete_help(command, options):
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    for option in options:
        assert option.lower() in result.output.lower()
    # conventional Unix help: no Python type names, no {REQUIRED} braces
    assert not re.search(r"<(list|bool|int|str|path|float)\b|\{[A-Z_]+\}", result.output), result.output


def test_positional_arguments_read_as_in_other_tools():
    usage = {tuple(c): runner.invoke(app, [*c, "--help"], prog_name="summarize").output.splitlines()[0]
             for c in (["run"], ["review"], ["eval", "translation"], ["models", "pull"])}
    assert usage == {("run",): "Usage: summarize run [OPTIONS] [INPUT...]",  # or --feeds FILE alone
                     ("review",): "Usage: summarize review [OPTIONS] [BRIEF]",
                     ("eval", "translation"): "Usage: summarize eval translation [OPTIONS] SRC_FILE REF_FILE",
                     ("models", "pull"): "Usage: summarize models pull [OPTIONS] [NAME]"}


def test_clean_json_has_every_field():
    result = subprocess.run([sys.executable, "-m", "summarize", "clean", str(SEEDS / "001_ea9fa2f40a20a3fd.txt"), "--json"],
                            capture_output=True, text=True)
    data = json.loads(result.stdout)
    assert set(data) >= {"title", "published", "byline", "credit", "body", "captions", "keywords", "dropped"}
    assert data["title"] == "Tổng thống Nga-Mỹ sẽ điện đàm trong ngày 30/12"
    assert data["keywords"][0] == "nga mỹ"
    assert {"text": "Tin liên quan", "why": "section heading", "inside": False} in data["dropped"]


def test_clean_readable_view_and_bad_file(tmp_path):
    result = runner.invoke(app, ["clean", str(SEEDS / "000_9c3b35b1af95fb0e.txt")])
    assert result.exit_code == 0
    assert "Putin-Trump điện đàm bí mật" in result.output and "dropped:" in result.output
    missing = runner.invoke(app, ["clean", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 2 and "file disappeared" in missing.output


def test_eval_clean_prints_scores():
    result = runner.invoke(app, ["eval", "clean", str(ROOT / "tests/fixtures/gold"), "--inputs", str(SEEDS)],
                           terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "000_9c3b35b1af95fb0e.txt" in result.output
    assert "mean" in result.output and "1.000" in result.output and "5/5" in result.output


def test_models_list_shows_availability(tiny_registry):
    result = runner.invoke(app, ["models", "list", "--config", str(tiny_registry)], terminal_width=250)
    assert result.exit_code == 0
    assert "tiny-t5 (default)" in result.output and str(tiny_registry.parent) in result.output
    shipped = runner.invoke(app, ["models", "list", "--config", str(ROOT / "models.yaml")], terminal_width=250)
    assert "VietAI/envit5-translation" in shipped.output and "not downloaded" in shipped.output
    assert any(line.split()[:1] == ["passthrough"] and line.endswith("built in") for line in shipped.output.splitlines())
    assert "Qwen/Qwen2.5-1.5B-Instruct@989aa7980e4c" in shipped.output
    assert "styles: paragraph, bullets, line (--style); reads the source" in shipped.output


def test_models_pull_offline_fails_clearly(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(app, ["models", "pull", "opus-mt", "--config", str(ROOT / "models.yaml")])
    assert result.exit_code == 2
    assert "'opus-mt' (Helsinki-NLP/opus-mt-vi-en) is not available" in result.output
    unknown = runner.invoke(app, ["models", "pull", "nope", "--config", str(ROOT / "models.yaml")])
    assert unknown.exit_code == 2 and "choices:" in unknown.output


def test_cache_stats_and_clear(tmp_path):
    from summarize.models.cache import Cache

    cache = Cache(tmp_path)
    cache.put("sentence", "k1", "v")
    cache.put("article", "k2", {"a": 1})
    cache.close()
    stats = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert "articles   1" in stats.output and "sentences  1" in stats.output
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path), "--yes"])
    assert "removed 2 entries" in cleared.output
    assert Cache(tmp_path).get("sentence", "k1") is None


def test_bad_date_is_rejected(tmp_path):
    result = runner.invoke(app, ["run", str(SEEDS), "--date", "22/11/2026", "--config", str(ROOT / "models.yaml")])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_cache_commands_help_on_a_damaged_cache(tmp_path):
    (tmp_path / "cache.sqlite3").write_bytes(b"garbage" * 50)
    stats = runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)])
    assert stats.exit_code == 0, stats.output
    assert "cannot be read" in stats.output and "summarize cache clear" in stats.output
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path), "--yes"])
    assert cleared.exit_code == 0 and not (tmp_path / "cache.sqlite3").exists()
    assert "no cache yet at" in runner.invoke(app, ["cache", "stats", "--cache-dir", str(tmp_path)]).output


def test_eval_clean_floors_fail_the_command():
    args = ["eval", "clean", str(ROOT / "tests/fixtures/gold"), "--inputs", str(SEEDS)]
    assert runner.invoke(app, [*args, "--min-mean", "0.95", "--min-f1", "0.88"]).exit_code == 0
    below = runner.invoke(app, [*args, "--min-mean", "1.01"], terminal_width=200)
    assert below.exit_code == 1 and "below the floor: mean F1 1.000 (floor 1.01)" in below.output


def test_eval_metadata_lists_misses_and_floors_fail_the_command(tmp_path):
    half = ROOT / "tests" / "fixtures" / "metadata" / "tune"
    truth = tmp_path / "truth.tsv"  # one label made wrong on purpose: a miss to list
    rows = (half / "truth-txt.tsv").read_text(encoding="utf-8").replace("\tnld.com.vn\t2024-04-03", "\tnld.com.vn\t2024-04-04")
    truth.write_text(rows, encoding="utf-8")
    result = runner.invoke(app, ["eval", "metadata", str(truth), "--pages", str(half), "--floor", "title=1.0"],
                           terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "MISS author-link-nld.txt published: found '2024-04-03T09:12', expected '2024-04-04'" in result.output
    assert "published  9/10  0.900" in result.output and "title      10/10  1.000" in result.output
    below = runner.invoke(app, ["eval", "metadata", str(truth), "--pages", str(half), "--floor", "published=0.95"])
    assert below.exit_code == 1 and "below the floor: published 0.900 (floor 0.95)" in below.output
    bad = runner.invoke(app, ["eval", "metadata", str(truth), "--floor", "headline=1"])
    assert bad.exit_code == 2 and "--floor 'headline=1': expected NAME=SHARE" in bad.output


PARALLEL = ROOT / "tests" / "fixtures" / "parallel"


def test_eval_translation_reports_bleu_chrf_and_speed(tiny_registry, models_dir, monkeypatch):
    monkeypatch.setenv("SUMMARIZE_MODELS_DIR", str(models_dir))
    vi, en = PARALLEL / "news.vi", PARALLEL / "news.en"
    assert score_translation(en.read_text().splitlines(), en.read_text().splitlines()) == pytest.approx((100, 100))
    untranslated = runner.invoke(app, ["eval", "translation", str(vi), str(en), "--translator", "passthrough"])
    assert untranslated.exit_code == 0, untranslated.output
    bleu = float(re.search(r"passthrough \(no model\): BLEU ([\d.]+), chrF [\d.]+ on 10 sentences", untranslated.output)[1])
    assert bleu < 10  # Vietnamese is no English
    for options in ([], ["--fast"], ["--backend", "transformers"]):
        result = runner.invoke(app, ["eval", "translation", str(vi), str(en), "--config", str(tiny_registry),
                                     *options], terminal_width=200)
        assert result.exit_code == 0, result.output
        engine = "transformers" if options == ["--backend", "transformers"] else "ctranslate2"
        assert f"tiny-t5 ({engine}, float32 on cpu): BLEU " in result.output and "sentences/s" in result.output


def test_eval_translation_refuses_files_that_do_not_line_up(tmp_path):
    (tmp_path / "a.vi").write_text("Một.\nHai.\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("One.\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "translation", str(tmp_path / "a.vi"), str(tmp_path / "a.en"),
                                 "--translator", "passthrough"])
    assert result.exit_code == 2 and re.search(r"a\.vi has 2 lines but \S+a\.en has 1$", result.output.strip())


def test_eval_groups_prints_pairwise_scores_without_a_model(tmp_path):
    result = runner.invoke(app, ["eval", "groups", str(ROOT / "tests" / "fixtures" / "stories" / "held-out" / "gold.yaml")])
    assert result.exit_code == 0, result.output
    assert "duplicates: precision 1.000, recall 1.000, F1 1.000 (3 pairs belong together)" in result.output
    assert "stories: precision 1.000, recall 1.000, F1 1.000 (12 pairs belong together)" in result.output
    assert "14 articles in 7 stories (7 labelled); unrelated pairs put in one story: 0" in result.output
    strict = runner.invoke(app, ["eval", "groups", str(ROOT / "tests" / "fixtures" / "stories" / "held-out" / "gold.yaml"), "--floor", "precision=1.01"])
    assert strict.exit_code == 1 and "below the floor: precision 1.000 (floor 1.01)" in strict.output
    (tmp_path / "gold.yaml").write_text("stories: {a: [missing.txt]}\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", "groups", str(tmp_path / "gold.yaml")])
    assert result.exit_code == 2 and "missing.txt" in result.output and "Traceback" not in result.output
