"""Daily use, round 3: every mistake is caught before the model work and every message is
true. Each test here failed on the code before it (docs/robustness.md lists the cases)."""

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarize.cli import app
from summarize.testing import mock_registry

from .conftest import SEEDS

runner = CliRunner()
DAY = "2026-11-22"


@pytest.fixture()
def inbox(tmp_path, monkeypatch, mock) -> Path:
    """A working folder with a mock registry (no model files) and one good article in inbox/."""
    monkeypatch.chdir(tmp_path)
    mock_registry(tmp_path / "models.yaml")
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text((SEEDS / "001_ea9fa2f40a20a3fd.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def run(*args: str, env: dict | None = None):
    return runner.invoke(app, ["run", *args, "--config", "models.yaml", "--date", DAY], env=env)


def day_data(folder: Path = Path("briefs")) -> dict:
    return json.loads((folder / f"{DAY}.json").read_text(encoding="utf-8"))


def test_a_loop_of_links_and_a_dangling_link_are_skipped_lines(inbox):
    os.symlink("b.txt", inbox / "a.txt")
    os.symlink("a.txt", inbox / "b.txt")
    os.symlink("missing.txt", inbox / "gone.txt")
    for extra in ([], ["--follow-links"]):
        result = run("inbox", "--no-cache", *extra)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        skipped = {Path(k).name: v for k, v in day_data()["skipped"].items()}
        assert skipped["a.txt"].startswith("a loop of file links") and skipped["b.txt"].startswith("a loop")
        assert skipped["gone.txt"] in ("a link to missing.txt, which does not exist", "file disappeared before it could be read")
        assert [Path(k).name for k in day_data()["articles"]] == ["good.txt"]


def test_file_names_are_inert_in_the_brief_the_review_and_the_terminal(inbox):
    from markdown_it import MarkdownIt

    os.rename(inbox / "good.txt", inbox / "a\n\n## INJECTED\n\nx.txt")
    (inbox / "bad\x1b[31mred.txt").write_bytes(b"%PDF-1.4 not an article")
    result = run("inbox", "--no-cache")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "bad\\x1b[31mred.txt" in result.output  # shown, not obeyed
    brief = MarkdownIt("commonmark").render(Path("briefs", f"{DAY}.md").read_text(encoding="utf-8"))
    assert not re.search(r"<h\d>[^<]*INJECTED", brief) and brief.count("<h2>") == 3  # the story, Index, Skipped
    assert "a\\n\\n## INJECTED\\n\\nx.txt" in brief and 'href="../inbox/a%0A%0A' in brief  # shown inert; the link still works
    review = Path("briefs", f"{DAY}.review.html").read_text(encoding="utf-8")
    assert "a\\n\\n## INJECTED\\n\\nx.txt" in review and "bad\\x1b[31mred.txt" in review


def test_a_bad_out_device_or_backend_stops_the_run_before_any_work(inbox, mock):
    Path("taken").write_text("a file", encoding="utf-8")
    cases = [(["--out", "taken"], None, "--out taken: a file is in the way, not a folder"),
             (["--device", "gpu"], None, "--device=gpu: no such device. Fix: use one of auto, cpu, cuda"),
             ([], {"SUMMARIZE_DEVICE": "gpu"}, "SUMMARIZE_DEVICE=gpu: no such device"),
             (["--backend", "onnx"], None, "--backend=onnx: no such backend")]
    for args, env, message in cases:
        result = run("inbox", "--no-cache", *args, env=env)
        assert result.exit_code == 2 and message in result.output, result.output
        assert "Cleaning" not in result.output and mock.calls == []  # nothing read, no model work


def test_a_date_of_the_right_form_but_no_such_day_says_which(inbox):
    assert "--date 2026-13-01: no such day (month must be in 1..12)" in \
        runner.invoke(app, ["run", "inbox", "--config", "models.yaml", "--date", "2026-13-01"]).output
    assert "is not a date in YYYY-MM-DD form" in runner.invoke(app, ["run", "inbox", "--date", "30/11/2026"]).output


def test_ctrl_c_says_whether_the_work_was_cached(inbox, monkeypatch):
    from summarize.session import Session

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(Session, "run", interrupted)
    assert "nothing was cached (--no-cache), so a rerun starts over" in run("inbox", "--no-cache").output
    assert "finished work is cached and will be reused" in run("inbox", "--cache-dir", "cache").output


def test_cache_commands_on_a_missing_cache_say_so_and_create_nothing(tmp_path):
    missing = tmp_path / "none"
    stats = runner.invoke(app, ["cache", "stats", "--cache-dir", str(missing)])
    clear = runner.invoke(app, ["cache", "clear", "--cache-dir", str(missing)])
    assert stats.exit_code == 0 and "no cache yet at" in stats.output and "KiB" not in stats.output
    assert clear.exit_code == 0 and "nothing to delete" in clear.output and "removed" not in clear.output
    assert not missing.exists()


def test_cache_clear_asks_first_and_says_what_it_would_delete(inbox):
    assert run("inbox", "--cache-dir", "cache").exit_code == 0
    declined = runner.invoke(app, ["cache", "clear", "--cache-dir", "cache"], input="n\n")
    assert declined.exit_code == 1 and re.search(r"delete every cached result in \S+ \(\d+ entries, [\d.]+ KiB\)\?",
                                                 declined.output)
    assert "nothing deleted" in declined.output and "articles   1" in runner.invoke(
        app, ["cache", "stats", "--cache-dir", "cache"]).output
    cleared = runner.invoke(app, ["cache", "clear", "--cache-dir", "cache", "--yes"])
    assert cleared.exit_code == 0 and re.search(r"removed \d+ entries from", cleared.output)


def test_the_last_line_gives_the_day_s_total_beside_this_run_s(inbox, tmp_path):
    other = tmp_path / "more"
    other.mkdir()
    (other / "two.txt").write_text((SEEDS / "003_90e0681c7e08f307.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("inbox", "--no-cache").exit_code == 0
    result = run("more", "--no-cache")
    assert "1 article done (0 from cache), 0 skipped" in result.output
    assert "the day's brief now holds 2 articles in" in result.output


def test_a_web_address_alone_gets_one_message(inbox):
    """It used to print "save the page first" and then "no article files found"; now an address
    is fetched (tests/test_fetch.py), and one that gives nothing is one skipped line."""
    result = run("https://vnexpress.net/a.html", "--no-cache", "--offline")
    assert result.exit_code == 1 and result.output.count("vnexpress.net/a.html") == 1, result.output
    assert "no article files" not in result.output and "not fetched: --offline" in result.output


def test_fresh_rebuilds_the_day_and_a_gone_file_is_marked_not_linked(inbox):
    (inbox / "two.txt").write_text((SEEDS / "003_90e0681c7e08f307.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run("inbox", "--no-cache").exit_code == 0
    (inbox / "two.txt").unlink()
    assert run("inbox", "--no-cache").exit_code == 0  # without --fresh the day keeps it, and says it is gone
    brief = Path("briefs", f"{DAY}.md").read_text(encoding="utf-8")
    assert "../inbox/two.txt (file gone)" in brief and "(<../inbox/two.txt>)" not in brief
    assert "<code>../inbox/two.txt</code> (file gone)" in Path("briefs", f"{DAY}.review.html").read_text(encoding="utf-8")
    assert run("inbox", "--no-cache", "--fresh").exit_code == 0
    assert [Path(k).name for k in day_data()["articles"]] == ["good.txt"]


def test_h_is_help_everywhere_and_the_command_lists_are_whole():
    for args in (["-h"], ["run", "-h"], ["eval", "groups", "-h"], ["cache", "clear", "-h"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage:" in result.output, args
    top, evals = runner.invoke(app, ["-h"]).output, runner.invoke(app, ["eval", "-h"]).output
    commands = top.split("Commands:")[1]
    assert "..." not in commands and "…" not in commands and "without loading any model" in commands
    assert all(name in evals for name in ("clean", "metadata", "groups", "fidelity", "translation"))
    assert runner.invoke(app, ["eval", "fidelity", "-h"]).output.count("passthrough") == 1


def test_the_tiny_models_build_from_any_folder(tmp_path, monkeypatch, capsys):
    from summarize.testing import main

    monkeypatch.chdir(tmp_path)  # no seeds/ here
    main(["tiny", "models"])
    assert (tmp_path / "models" / "models.yaml").is_file() and "models.yaml" in capsys.readouterr().out


def test_verbose_log_lines_carry_iso_timestamps(inbox):
    result = run("inbox", "--no-cache", "-v")
    assert re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} +INFO", result.output), result.output


def test_eval_clean_reads_the_pages_beside_the_gold_by_default():
    extraction = Path(__file__).parent / "fixtures" / "extraction" / "tune"
    result = runner.invoke(app, ["eval", "clean", str(extraction)])
    assert result.exit_code == 0 and "mean" in result.output, result.output
