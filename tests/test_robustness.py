"""Bad input, crashes, interruptions, concurrent runs, full disks, and a blocked network."""

import codecs
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from summarize.checks.glossary import Glossary
from summarize.checks.protection import protect, restore
from summarize.cli import app
from summarize.outputs import publish
from summarize.reading.cleaner import clean, normalize
from summarize.reading.segmenter import split_sentences

from .conftest import ROOT, SEEDS, hostile_inbox

runner = CliRunner()
DAY = "2026-11-22"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
ENGLISH = (
    "Russia and US agree to extend nuclear treaty\n\n"
    "Russia and the United States have agreed to extend the New START treaty for five more years, "
    "the Kremlin said on Tuesday, after weeks of talks between the two sides in Geneva.\n\n"
    "The treaty limits each side to 1,550 deployed strategic warheads and was due to expire in February.\n"
)
FRENCH = (
    "La Russie et les États-Unis prolongent le traité\n\n"
    "La Russie et les États-Unis ont convenu de prolonger le traité New START de cinq ans, a annoncé "
    "mardi le Kremlin après plusieurs semaines de discussions entre les deux parties à Genève.\n"
)


def to_cp1258(text: str) -> bytes:
    """Windows-1258 writes Vietnamese with precomposed base letters and separate tone marks."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            ch.encode("cp1258")
            out.append(ch)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES)))
            out.append("".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.fixture()
def messy(tmp_path) -> Path:
    """A folder with every kind of bad, odd or foreign input next to good articles."""
    folder = tmp_path / "inbox"
    (folder / "nested" / "deeper").mkdir(parents=True)
    vi = seed("004_1010df618e4eb2a7.txt")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blank.txt").write_text("  \n\t\n", encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "archive.txt").write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    (folder / "bom.txt").write_bytes(codecs.BOM_UTF8 + seed("001_ea9fa2f40a20a3fd.txt").encode("utf-8"))
    (folder / "utf16le.txt").write_bytes(codecs.BOM_UTF16_LE + seed("002_aa1e427ed1e4da7a.txt").encode("utf-16-le"))
    (folder / "utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + seed("003_90e0681c7e08f307.txt").encode("utf-16-be"))
    plain = vi.replace("“", '"').replace("”", '"')
    (folder / "legacy.txt").write_bytes(to_cp1258(plain))
    (folder / "western.txt").write_bytes(ENGLISH.replace("talks", "“talks”").encode("cp1252"))
    (folder / "decomposed.txt").write_text(unicodedata.normalize("NFD", seed("000_9c3b35b1af95fb0e.txt")), "utf-8")
    (folder / "nested" / "page.html").write_text(
        "<html><body><h1>Nga muốn hội đàm tại Paris</h1>"
        + "".join(f"<p>{p}</p>" for p in clean(vi).body)
        + "</body></html>", encoding="utf-8")
    (folder / "nested" / "deeper" / "tin thế giới số 1.txt").write_text(vi, encoding="utf-8")
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "french.txt").write_text(FRENCH, encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:  # 50 MB, sparse: refused by size, never read
        handle.truncate(50 * 1024 * 1024)
    os.symlink(folder, folder / "nested" / "loop")
    return folder


def test_bad_input_is_skipped_with_one_line_reasons_and_the_run_goes_on(messy, workdir, tiny_registry):
    result = subprocess.run(
        [sys.executable, "-m", "summarize", "run", str(messy), "--config", str(tiny_registry), "--date", DAY],
        cwd=workdir, capture_output=True, text=True, env={**os.environ, "SUMMARIZE_CACHE_DIR": str(workdir / "c")},
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads((workdir / "briefs" / f"{DAY}.json").read_text(encoding="utf-8"))
    done = {Path(k).name: v for k, v in data["articles"].items()}
    skipped = {Path(k).name: v for k, v in data["skipped"].items()}
    assert set(done) == {"bom.txt", "utf16le.txt", "utf16be.txt", "legacy.txt", "western.txt", "decomposed.txt",
                         "page.html", "tin thế giới số 1.txt", "english.txt"}
    assert skipped == {
        "empty.txt": "empty file",
        "blank.txt": "empty file",
        "scan.txt": "binary file (a PDF document), not a text article",
        "photo.txt": "binary file (a PNG image), not a text article",
        "archive.txt": "binary file (a zip archive (or Office document)), not a text article",
        "huge.txt": "52 MB is over the 20 MB limit for one article",
        "french.txt": "not in Vietnamese or English",
    }
    lines = result.stderr.splitlines()
    for name, reason in skipped.items():  # one line each on stderr too
        assert f"warning: skipped inbox/{name}: {reason}" in lines
    assert "legacy.txt: not UTF-8, decoded as cp1258" in result.stderr
    assert "western.txt: not UTF-8, decoded as cp1252" in result.stderr
    assert done["legacy.txt"]["body"] == clean(seed("004_1010df618e4eb2a7.txt").replace("“", '"').replace("”", '"')).body
    assert done["decomposed.txt"]["title"] == "Putin-Trump điện đàm bí mật 6 tháng về vũ khí hạt nhân"
    assert done["page.html"]["title"] == "Nga muốn hội đàm tại Paris"
    assert done["english.txt"]["language"] == "en"
    assert done["english.txt"]["body_en"] == done["english.txt"]["body"]  # not translated
    assert "“talks”" in " ".join(done["western.txt"]["body"])  # cp1252 quotes, no mojibake
    brief = (workdir / "briefs" / f"{DAY}.md").read_text(encoding="utf-8")
    assert "*English original, summarized without translation.*" in brief
    assert "(<../inbox/nested/deeper/tin thế giới số 1.txt>)" in brief


def test_unreadable_and_vanishing_files(workdir, seeds, tiny_registry, monkeypatch):
    from summarize import Session, Settings
    from summarize.report import Reporter

    locked = seeds / "001_ea9fa2f40a20a3fd.txt"
    original = os.open

    def guarded_open(path, *args, **kwargs):  # as root, chmod cannot make a file unreadable
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded_open)

    class Vanishing(Reporter):
        """Deletes the last seed while the first one is being cleaned."""
        def stage(self, name, total):
            (seeds / "004_1010df618e4eb2a7.txt").unlink(missing_ok=True)
            return super().stage(name, total)

    session = Session(Settings.resolve(config=tiny_registry, cache_dir=workdir / "cache"))
    report = session.run(seeds, date=DAY, reporter=Vanishing())
    assert report.exit_code() == 1 and report.exit_code(skip_ok=True) == 0
    assert report.skipped == {
        str(locked): "permission denied",
        str(seeds / "004_1010df618e4eb2a7.txt"): "file disappeared before it could be read",
    }
    assert len(report.articles) == 3


def _chunks_cached(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as con:
            return con.execute("SELECT COUNT(*) FROM entries WHERE kind='sentence'").fetchone()[0]
    except sqlite3.Error:
        return 0


def _start(args, cwd, cache):
    env = {**os.environ, "SUMMARIZE_CACHE_DIR": str(cache), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "summarize", "run", *map(str, args)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_chunks(db: Path, process, at_least: int) -> None:
    deadline = time.time() + 120
    while _chunks_cached(db) < at_least:
        assert process.poll() is None, "the run ended before it could be interrupted"
        assert time.time() < deadline
        time.sleep(0.05)


def test_sigkill_mid_run_then_rerun_reuses_finished_work(tmp_path, seeds, tiny_registry):
    cache = tmp_path / "cache"
    first = _start([seeds, "--config", tiny_registry, "--date", DAY], tmp_path, cache)
    _wait_for_chunks(cache / "cache.sqlite3", first, 10)
    first.send_signal(signal.SIGKILL)
    first.wait()
    cached_before = _chunks_cached(cache / "cache.sqlite3")
    assert cached_before >= 10
    assert not (tmp_path / "briefs" / f"{DAY}.md").exists() or "Daily brief" in (
        tmp_path / "briefs" / f"{DAY}.md").read_text(encoding="utf-8")
    second = subprocess.run(
        [sys.executable, "-m", "summarize", "run", str(seeds), "--config", str(tiny_registry), "--date", DAY, "-v"],
        cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "SUMMARIZE_CACHE_DIR": str(cache)},
    )
    assert second.returncode == 0, second.stderr
    reused = [line for line in second.stderr.splitlines() if "sentences from the cache" in line]
    assert reused and int(reused[0].split("translation:")[1].split()[0]) > 0
    with sqlite3.connect(cache / "cache.sqlite3") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    brief = (tmp_path / "briefs" / f"{DAY}.md").read_text(encoding="utf-8")
    assert brief.count("\n### ") == 5  # the five seeds, one story


@pytest.mark.parametrize("sent, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_and_sigterm_stop_cleanly_with_a_message(tmp_path, seeds, tiny_registry, sent, status):
    process = _start([seeds, "--config", tiny_registry, "--date", DAY], tmp_path, tmp_path / "cache")
    _wait_for_chunks(tmp_path / "cache" / "cache.sqlite3", process, 5)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status
    assert "interrupted; finished work is cached and will be reused" in stderr
    assert "Traceback" not in stderr
    assert _chunks_cached(tmp_path / "cache" / "cache.sqlite3") >= 5
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind


def test_concurrent_runs_lose_nothing(tmp_path, seeds, tiny_registry):
    other = tmp_path / "other"
    other.mkdir()
    (other / "english.txt").write_text(ENGLISH, encoding="utf-8")
    runs = [_start([folder, "--config", tiny_registry, "--date", DAY], tmp_path, tmp_path / "cache")
            for folder in (seeds, seeds, other)]
    for process in runs:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    data = json.loads((tmp_path / "briefs" / f"{DAY}.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == 6
    with sqlite3.connect(tmp_path / "cache" / "cache.sqlite3") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM entries WHERE kind='article'").fetchone()[0] == 6


def test_unwritable_output_and_full_disk_give_clear_messages(workdir, seeds, tiny_registry, monkeypatch):
    (workdir / "a-file").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["run", str(seeds), "--config", str(tiny_registry), "--out", str(workdir / "a-file" / "b")])
    assert result.exit_code == 2 and "Cleaning" not in result.output  # found before any file is read
    assert "a-file/b: a file is in the way, not a folder" in result.output and "Traceback" not in result.output

    def full(files):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish, "write_together", full)
    result = runner.invoke(app, ["run", str(seeds), "--config", str(tiny_registry)])
    assert result.exit_code == 2 and "No space left on device; the day's files are as they were" in result.output


@pytest.fixture()
def mounted(tmp_path):
    """Mount a small tmpfs with the options given (root, with the right to mount: CI's machine)."""
    points = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True).returncode:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        points.append(point)
        return point

    yield mount
    for point in points:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_full_disk_leaves_every_file_of_the_day_as_it_was(tmp_path, mounted, monkeypatch):
    """A real full disk: the brief, its data and the review page change together or not at all."""
    from summarize.testing import mock_registry

    disk = mounted("size=1m")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in ("001_ea9fa2f40a20a3fd.txt", "003_90e0681c7e08f307.txt"):
        (inbox / seed).write_text(SEEDS.joinpath(seed).read_text(encoding="utf-8"), encoding="utf-8")
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    args = ["run", str(inbox), "--config", str(config), "--date", DAY, "--no-cache", "--out", str(disk / "briefs")]
    assert runner.invoke(app, args).exit_code == 0
    before = {p.name: p.read_bytes() for p in (disk / "briefs").iterdir() if p.is_file()}
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "filler").write_bytes(b"x" * max(0, free - 40_000))  # room for less than the day's files
    (inbox / "004_1010df618e4eb2a7.txt").write_text(SEEDS.joinpath("004_1010df618e4eb2a7.txt").read_text(encoding="utf-8"),
                                                     encoding="utf-8")
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "No space left on device; the day's files are as they were" in result.output and "Traceback" not in result.output
    after = {p.name: p.read_bytes() for p in (disk / "briefs").iterdir() if p.is_file()}
    assert after == before  # no file changed, no temporary file left


def test_a_read_only_out_folder_is_named_so_not_permission_denied(tmp_path, mounted, seeds):
    from summarize.testing import mock_registry

    disk = mounted("ro,size=64k")
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    result = runner.invoke(app, ["run", str(seeds), "--config", str(config), "--out", str(disk / "briefs")])
    assert result.exit_code == 2 and "Cleaning" not in result.output
    assert f"--out {disk / 'briefs'}: a read-only file system ({disk})" in result.output


def test_a_broken_cache_is_switched_off_not_fatal(workdir, seeds, tiny_registry, caplog):
    cache = workdir / "cache"
    cache.mkdir()
    (cache / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["run", str(seeds), "--config", str(tiny_registry), "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    assert "is not usable (file is not a database); going on without it" in caplog.text


BLOCK_NETWORK = """
import socket
_marker = {marker!r}
def _refuse(*args, **kwargs):
    open(_marker, "a").write("connect attempted\\n")
    raise OSError("network blocked by the test")
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
socket.create_connection = _refuse
"""


def test_offline_never_touches_the_network(tmp_path, seeds, tiny_registry):
    site = tmp_path / "site"
    site.mkdir()
    marker = tmp_path / "connections.log"
    (site / "sitecustomize.py").write_text(BLOCK_NETWORK.format(marker=str(marker)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
           "SUMMARIZE_CACHE_DIR": str(tmp_path / "cache"), "HF_HOME": str(tmp_path / "hf")}
    ok = subprocess.run([sys.executable, "-m", "summarize", "run", str(seeds), "--config", str(tiny_registry),
                         "--offline", "--date", DAY], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    missing = subprocess.run([sys.executable, "-m", "summarize", "run", str(seeds), "--config",
                              str(ROOT / "models.yaml"), "--offline", "--no-cache"],
                             cwd=tmp_path, env=env, capture_output=True, text=True)
    assert missing.returncode == 2 and "offline mode is on" in missing.stderr
    assert not marker.exists(), marker.read_text()


def test_models_load_without_remote_code_and_downloads_prefer_safetensors(tiny_registry, monkeypatch, tmp_path):
    import transformers

    from summarize.models import hub
    from summarize.models.engines.seq2seq import Seq2Seq
    from summarize.models.registry import ModelSpec, load_registry

    calls = []
    original = transformers.AutoModelForSeq2SeqLM.from_pretrained
    monkeypatch.setattr(transformers.AutoModelForSeq2SeqLM, "from_pretrained",
                        lambda *a, **k: (calls.append(k), original(*a, **k))[1])
    spec = load_registry(tiny_registry).get("translation")
    Seq2Seq(spec, spec.model)
    assert calls and not any(k.get("trust_remote_code") for k in calls)
    for path in (ROOT / "summarize").rglob("*.py"):
        assert "trust_remote_code=True" not in path.read_text(encoding="utf-8")

    import huggingface_hub
    import numpy
    from safetensors.numpy import save_file

    requests = []

    def fake_download(repo, revision=None, **kwargs):
        requests.append(kwargs)
        (tmp_path / "config.json").write_text("{}")
        save_file({"w": numpy.zeros(2, dtype=numpy.float32)}, str(tmp_path / "model.safetensors"))
        return str(tmp_path)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", fake_download)
    monkeypatch.setattr(hub, "_reachable", lambda url: None)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    hub.download(ModelSpec(name="x", stage="translation", model="org/x", revision="main"))
    assert len(requests) == 1 and "*.bin" in requests[0]["ignore_patterns"] and "*.h5" in requests[0]["ignore_patterns"]


# --- property tests ------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_sentence_splitting_never_crashes_and_rejoins(text):
    paragraph = " ".join(text.split())
    sentences = split_sentences(paragraph)
    assert " ".join(sentences) == paragraph or "".join(sentences) == paragraph


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_figure_protection_never_crashes_and_round_trips(text):
    protected = protect(text, Glossary({"Nga": "Russia"}))
    assert restore(protected.placeholders, protected.figures) == protected.inline


SENTENCES = [s for p in clean(seed("000_9c3b35b1af95fb0e.txt")).body for s in split_sentences(p)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3), min_size=2, max_size=6),
       st.lists(st.sampled_from(["Chia sẻ:", "Tin liên quan", "18-12-2025", "photo.jpg", "Bình luận (0)", ""]),
                max_size=4))
def test_prose_pages_keep_every_paragraph_and_clean_idempotently(paragraphs, furniture):
    body = [" ".join(p) for p in paragraphs]
    if len(set(body)) != len(body):
        return  # repeated paragraphs are (rightly) read as a related-article list
    page = "Tiêu đề bài báo về hiệp ước hạt nhân\n\n" + "\n\n".join(body) + "\n\n" + "\n".join(furniture)
    article = clean(page)
    assert article.body == body
    again = clean("\n\n".join([article.title or "", *article.body]))
    assert again.body == article.body
    assert all(" ".join(p.split()) in " ".join(normalize(page).split()) for p in article.body)


def _hostile_folder(tmp_path: Path) -> Path:
    """An input folder with a FIFO, a socket, links to a device and out of the folder, and one
    good article."""
    import socket

    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(seed("001_ea9fa2f40a20a3fd.txt"), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    outside = tmp_path / "private.txt"
    outside.write_text(ENGLISH, encoding="utf-8")
    os.symlink(outside, folder / "passwd.txt")
    (folder / ".kept").mkdir()  # hidden: not walked, but a link to it stays inside the folder
    (folder / ".kept" / "kept.txt").write_text(seed("002_aa1e427ed1e4da7a.txt"), encoding="utf-8")
    os.symlink(folder / ".kept" / "kept.txt", folder / "alias.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock.txt"))
    return folder


def test_pipes_devices_sockets_and_outside_links_never_hang_or_leak(tmp_path, mock, monkeypatch):
    from summarize.testing import mock_registry

    folder = _hostile_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    config = mock_registry(tmp_path / "models.yaml")
    args = ["run", str(folder), "--config", str(config), "--date", DAY, "--no-cache"]
    result = _within(20, lambda: runner.invoke(app, args))
    assert result.exit_code == 1, result.output
    data = json.loads((tmp_path / "briefs" / f"{DAY}.json").read_text(encoding="utf-8"))
    assert sorted(Path(k).name for k in data["articles"]) == ["alias.txt", "good.txt"]
    skipped = {Path(k).name: v for k, v in data["skipped"].items()}
    assert skipped["pipe.txt"] == "not a regular file (a named pipe (FIFO))"
    assert skipped["zero.txt"] == "a link to /dev/zero, outside the input folder (--follow-links reads it)"
    assert skipped["sock.txt"] == "not a regular file (a socket)"
    assert skipped["passwd.txt"] == f"a link to {tmp_path / 'private.txt'}, outside the input folder (--follow-links reads it)"
    assert not any("Russia and the United States" in t for call in mock.calls for t in call)  # never read
    followed = _within(20, lambda: runner.invoke(app, [*args, "--follow-links", "--date", "2026-11-23"]))
    data = json.loads((tmp_path / "briefs" / "2026-11-23.json").read_text(encoding="utf-8"))
    assert followed.exit_code == 1 and sorted(Path(k).name for k in data["articles"]) == ["alias.txt", "good.txt",
                                                                                        "passwd.txt"]
    assert data["skipped"][str(tmp_path / "inbox" / "zero.txt")] == "not a regular file (a character device)"


def test_a_file_swapped_for_a_pipe_after_the_walk_is_refused_by_its_descriptor(tmp_path, monkeypatch):
    from summarize.errors import ReadError
    from summarize.reading.reader import read_bytes

    os.mkfifo(tmp_path / "late.txt")
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat(SEEDS / "000_9c3b35b1af95fb0e.txt"))  # looked fine
    with pytest.raises(ReadError, match="named pipe"):
        _within(5, lambda: read_bytes(tmp_path / "late.txt"))


def _within(seconds: int, work):
    """Run `work`, failing the test instead of hanging it if it takes longer than `seconds`
    (SIGALRM interrupts even a blocking open() of a pipe)."""

    def too_long(signum, frame):
        raise AssertionError(f"still running after {seconds} s: this input makes the run hang")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(seconds)
    try:
        return work()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_hostile_names_and_text_stay_inert_in_markdown(tmp_path, monkeypatch):
    from markdown_it import MarkdownIt

    from summarize.testing import mock_registry

    inbox = hostile_inbox(tmp_path / "inbox")
    monkeypatch.chdir(tmp_path)
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")  # the text flows through as is
    result = runner.invoke(app, ["run", "inbox", "--config", str(config), "--date", DAY, "--no-cache", "--out", "inbox"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["review", "inbox", "--format", "md"]).exit_code == 0
    # the three files hold one text: one story, its article, and the other two listed as its copies
    for output, headings in ((f"{DAY}.md", {"<h1>": 1, "<h2>": 1, "<hr />": 1}),
                             (f"{DAY}.review.md", {"<h1>": 1, "<h2>": 1, "<h3>": 1, "<h4>": 2, "<hr />": 1})):
        html = MarkdownIt("commonmark").render((inbox / output).read_text(encoding="utf-8"))
        assert "Một trang tin giả đã chèn &lt;script&gt;alert(2)&lt;/script&gt;" in html  # shown, as text
        for unsafe in ("<script", "<img", "<!--", "<b>", "<a href=\"javascript", "src=", "<iframe"):
            assert unsafe not in html, (output, unsafe)
        assert {tag: html.count(tag) for tag in headings} == headings  # no heading or rule made by page text
        assert html.count("Also published by / as") == (1 if output.endswith(".md") and "review" not in output else 2)
        targets = [link.split('"')[0] for link in html.split('<a href="')[1:]]
        assert all(t.startswith(("./", "../", f"{DAY}.review.html")) for t in targets), targets


def test_a_damaged_day_file_is_kept_aside_and_review_explains(workdir, tiny_registry, seeds):
    first = runner.invoke(app, ["run", str(seeds / "000_9c3b35b1af95fb0e.txt"), "--config", str(tiny_registry),
                                "--date", DAY])
    assert first.exit_code == 0, first.output
    data = workdir / "briefs" / f"{DAY}.json"
    data.write_text(data.read_text(encoding="utf-8")[:100], encoding="utf-8")  # truncated
    review = runner.invoke(app, ["review", str(workdir / "briefs")])
    assert review.exit_code == 2 and "unreadable brief data" in review.output
    second = runner.invoke(app, ["run", str(seeds / "001_ea9fa2f40a20a3fd.txt"), "--config", str(tiny_registry),
                                 "--date", DAY])
    assert second.exit_code == 0 and "the day's brief data was damaged; set aside as" in second.output
    kept = sorted(p.name.split(".corrupt-")[0] for p in (workdir / "briefs").glob("*.corrupt-*"))
    assert kept == [f"{DAY}.json", f"{DAY}.md"]
    earlier = next((workdir / "briefs").glob(f"{DAY}.md.corrupt-*")).read_text(encoding="utf-8")
    assert "000_9c3b35b1af95fb0e.txt" in earlier  # the earlier brief, with its article, is still there


def test_long_paragraphs_cannot_make_cleaning_or_splitting_hang():
    """Two shapes that took quadratic time (minutes to hours): a hard-wrapped endless paragraph,
    re-joined line by line, and a multi-megabyte text split into sentences. bench/limits.py
    measures the full-size cases; here a timeout guards against the quadratic cost coming back."""
    import textwrap

    words = " ".join(clean(seed("000_9c3b35b1af95fb0e.txt")).body).replace(".", "").split()
    endless = " ".join(words[i % len(words)] for i in range(60_000))  # about 300 KB, no sentence end
    page = "Tin dài xuống dòng cứng\n\n" + "\n".join(textwrap.wrap(endless, 80))
    article = _within(60, lambda: clean(page))
    kept = " ".join([article.title or "", *article.body, *(line["text"] for line in article.dropped)]).split()
    assert sorted(kept) == sorted(["Tin", "dài", "xuống", "dòng", "cứng", *endless.split()])  # nothing lost
    text = " ".join(f"Câu số {n} nói về Nga và Mỹ." for n in range(150_000))  # 4 MB
    assert len(_within(60, lambda: split_sentences(text))) == 150_000


def test_one_long_word_cleans_in_linear_time():
    """A file of one 300 KB word (text and HTML): the e-mail pattern of the outlet search tried
    every start and took quadratic time (100 KB: 56 s; this size: about 8 minutes); now well
    under a second."""
    from summarize.errors import ReadError
    from summarize.reading.reader import parse_article

    for page in ("x" * 300_000, f"<html><body><article><p>{'x' * 300_000}</p></article></body></html>"):
        def read(page=page):
            try:
                return parse_article(page.encode(), "long.txt")
            except ReadError as exc:
                return exc.reason
        _within(30, read)


def test_a_page_of_twenty_thousand_headlines_finishes_and_loses_nothing():
    """Headline-like lines are compared with each other to find repeats (related lists show a
    headline twice); 20,000 of them after the article finish in seconds (comparing every line
    with every other took 23 s for 5,000 and grows with the square: about 6 minutes for these), and every line is in the body or
    in `dropped`, none taken for the article."""
    headlines = [f"Tin số {n} về thời tiết miền Bắc hôm nay" for n in range(20_000)]
    page = SEEDS.joinpath("003_90e0681c7e08f307.txt").read_text(encoding="utf-8") + "\n\n" + "\n".join(headlines)
    article = _within(60, lambda: clean(page))
    dropped = "\n".join(line["text"] for line in article.dropped)
    assert all(h in dropped for h in headlines) and not any("Tin số" in p for p in article.body)


def test_malformed_and_deep_html_finishes_and_loses_nothing():
    """HTML goes through trafilatura's parser too: a tree nested 20,000 deep and tags never
    closed finish in bounded time, and every sentence is in the body or in `dropped`."""
    sentence = "Tổng thống Putin đề nghị hai nhà lãnh đạo gặp nhau tại Paris vào ngày 11/11 tới, lần thứ {}."
    paragraphs = "".join(f"<p>{sentence.format(n)}</p>" for n in range(5))
    pages = ["<html><body><h1>Tin sâu</h1>" + "<div>" * 20_000 + paragraphs + "</div>" * 20_000 + "</body></html>",
             "<html><body><h1>Tin lỗi</h1>" + "<p><b><i>" * 5_000 + paragraphs]
    for page in pages:
        article = _within(60, lambda: clean(page))
        kept = " ".join([*article.body, *(line["text"] for line in article.dropped)])
        assert all(sentence.format(n) in kept for n in range(5))


def test_the_largest_inputs_finish(tmp_path, monkeypatch):
    """The 19 MB article and 5,000 small files of bench/limits.py (which measures their time
    and memory), run with stand-in models under a timeout: they finish, nothing is skipped."""
    from summarize import Session, Settings
    from summarize.models import engines
    from summarize.testing import MockEngine, limit_inputs, mock_registry

    inputs = limit_inputs(tmp_path / "inputs", SEEDS)
    with engines.registered("first-60-words", MockEngine(lambda text: " ".join(text.split()[:60]))):
        session = Session(Settings(config=mock_registry(tmp_path / "models.yaml", "passthrough", "first-60-words")))
        for name, count in (("19 MB article", 1), ("5,000 small files", 5000)):
            report = _within(300, lambda: session.run(inputs[name], date=DAY, out_dir=tmp_path / name))
            assert (len(report.articles) + report.copies, report.skipped) == (count, {}), name


def test_bidi_and_invisible_characters_are_shown_escaped_in_every_output(tmp_path, monkeypatch):
    """`report\\u202efdp.txt` reads as "reporttxt.pdf" when shown raw: in the brief, the review,
    the Markdown review, the data file and the terminal it is shown as its escape."""
    from summarize.testing import mock_registry

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "report\u202efdp.txt"
    text = SEEDS.joinpath("001_ea9fa2f40a20a3fd.txt").read_text(encoding="utf-8")
    (inbox / name).write_text("Tin\u2066 mới\u200b: " + text, encoding="utf-8")
    (inbox / "empty\u2067.txt").write_text("", encoding="utf-8")  # skipped: its name reaches the Skipped list
    monkeypatch.chdir(tmp_path)
    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    result = runner.invoke(app, ["run", "inbox", "--config", str(config), "--date", DAY, "--no-cache"])
    assert result.exit_code == 1, result.output
    assert runner.invoke(app, ["review", "briefs", "--format", "md"]).exit_code == 0
    outputs = {path.name: path.read_text(encoding="utf-8") for path in Path("briefs").glob(f"{DAY}.*") if path.is_file()}
    outputs["terminal"] = result.output
    assert set(outputs) == {f"{DAY}.md", f"{DAY}.json", f"{DAY}.review.html", f"{DAY}.review.md", "terminal"}
    for where, shown in outputs.items():
        assert not any(ch in shown for ch in "\u202e\u2066\u2067\u200b"), where
        assert "u2067" in shown, where  # the skipped file's name, escaped
    for where in (f"{DAY}.md", f"{DAY}.review.html", f"{DAY}.review.md", f"{DAY}.json"):
        assert "report\\u202efdp.txt" in outputs[where].replace("\\\\", "\\").replace("%E2%80%AE", "\\u202e"), where
    saved = json.loads(outputs[f"{DAY}.json"])  # the data reads back as what was read
    assert any(source.endswith(name) for source in saved["articles"])


def test_a_headline_translated_to_a_lone_figure_falls_back_to_words(mock):
    """A title whose words the translator dropped comes back as its protected figure (`[50]`):
    the headline is then the summary's first sentence, not the figure."""
    from summarize.article import Article
    from summarize.models.cache import Cache
    from summarize.models.engines import Tuning
    from summarize.models.registry import ModelSpec
    from summarize.models.summarizer import Summarizer, has_words

    assert not has_words("[50]") and not has_words("") and not has_words("[1,000; 2.5]") and has_words("Giá [50] tăng")
    article = Article(source="a.txt", title="50 người", title_en="[50]", body=["x"],
                      body_en=["Fifty people were rescued from the flood. Rescue teams worked all night."])
    spec = ModelSpec(name="s", stage="summarization", model="", backend="mock")
    model = mock.load(spec, None, type("Runtime", (), {"tuning": Tuning()})())
    Summarizer(model, Cache(None)).summarize([article])
    assert article.headline == "FIFTY PEOPLE WERE RESCUED FROM THE FLOOD."


def test_a_run_over_the_folder_that_holds_its_briefs_never_reads_its_own_outputs(tmp_path, monkeypatch):
    """`summarize run .` with the default briefs/ inside (or with --out .): the next day's
    stories are the articles, never yesterday's review pages nor the inbox of fetched pages;
    a review page copied anywhere else is left alone too (it says summarize wrote it)."""
    from summarize.testing import mock_registry

    config = mock_registry(tmp_path / "models.yaml", "passthrough", "passthrough")
    for desk, out in (("desk", "briefs"), ("desk2", ".")):
        (tmp_path / desk).mkdir()
        monkeypatch.chdir(tmp_path / desk)
        for seed in ("001_ea9fa2f40a20a3fd.txt", "003_90e0681c7e08f307.txt"):
            Path(seed).write_text(SEEDS.joinpath(seed).read_text(encoding="utf-8"), encoding="utf-8")
        for day in ("2026-11-21", "2026-11-22"):
            inbox = Path(out, "inbox", day)
            inbox.mkdir(parents=True, exist_ok=True)
            (inbox / "fetched.html").write_text("<html><body><p>Bài đã tải về hôm trước.</p></body></html>", encoding="utf-8")
            result = runner.invoke(app, ["run", ".", "--config", str(config), "--date", day, "--no-cache", "--out", out])
            assert result.exit_code == 0, result.output
            sources = json.loads(Path(out, f"{day}.json").read_text(encoding="utf-8"))["articles"]
            assert sorted(Path(s).name for s in sources) == ["001_ea9fa2f40a20a3fd.txt", "003_90e0681c7e08f307.txt"]
        assert Path(out, "2026-11-21.review.html").exists()
    Path("copied").mkdir()
    Path("copied", "old.html").write_bytes(Path("2026-11-21.review.html").read_bytes())
    result = runner.invoke(app, ["run", "copied", "--config", str(config), "--date", "2026-11-23", "--no-cache"])
    assert result.exit_code == 0 and "a review page summarize wrote, not an article: left alone" in result.output
    assert json.loads(Path("briefs", "2026-11-23.json").read_text(encoding="utf-8"))["articles"] == {}


def test_cache_clear_on_a_read_only_cache_is_one_line(tmp_path, mounted):
    from summarize.models.cache import Cache

    disk = mounted("size=1m")
    cache = Cache(disk / "cache")
    cache.put("sentence", "k", "v")
    cache.close()
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = runner.invoke(app, ["cache", "clear", "--yes", "--cache-dir", str(disk / "cache")])
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "cannot clear it" in result.output and "make it and its folder writable" in result.output
    assert (disk / "cache" / "cache.sqlite3").exists()


def test_glossary_and_feeds_from_a_device_are_refused_by_size(tmp_path, monkeypatch, seeds):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", str(seeds), "--glossary", "/dev/zero", "--no-cache"])
    assert result.exit_code == 2 and "/dev/zero: the glossary is over 10 MB" in result.output
    result = runner.invoke(app, ["run", "--feeds", "/dev/zero", "--no-cache"])
    assert result.exit_code == 2 and "over 2 MB, not a list of feeds" in result.output


@pytest.mark.parametrize("backend", ["ctranslate2", "transformers"])
def test_damaged_or_pickled_weights_are_one_line_and_never_advise_unsafe_loading(tmp_path, tiny_registry, seeds, backend):
    """A truncated model.safetensors is caught before any work; a pytorch_model.bin holding
    more than weights is refused without passing on torch's advice (weights_only=False)."""
    import argparse
    import shutil

    import torch
    from safetensors.torch import load_file

    t5 = tiny_registry.parent / "tiny-t5"
    truncated, pickled = tmp_path / "truncated", tmp_path / "pickled"
    for folder in (truncated, pickled):
        shutil.copytree(t5, folder)
    (truncated / "model.safetensors").write_bytes((t5 / "model.safetensors").read_bytes()[:5000])
    weights = load_file(pickled / "model.safetensors")
    torch.save({**weights, "args": argparse.Namespace(lr=1)}, pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    entry = "{model: %s, input_prefix: 'vi: ', max_input_tokens: 64, generation: {max_new_tokens: 4}}"
    config = tmp_path / "models.yaml"
    config.write_text(f"translation:\n  default: truncated\n  models:\n    truncated: {entry % truncated}\n"
                      f"    pickled: {entry % pickled}\nsummarization:\n  default: s\n  models:\n    s: {{backend: passthrough}}\n",
                      encoding="utf-8")
    for name, why in (("truncated", "its safetensors weights are damaged or incomplete"),
                      ("pickled", "its pytorch_model.bin holds more than weights")):
        result = runner.invoke(app, ["run", str(seeds), "--config", str(config), "--translator", name, "--backend", backend,
                                     "--no-cache", "--out", str(tmp_path / "briefs")])
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert why in result.output and "weights_only" not in result.output, result.output
        assert not (tmp_path / "briefs").exists() or not list((tmp_path / "briefs").glob("*.md"))


def test_a_run_without_its_models_says_it_stopped_before_any_translation(tmp_path, seeds, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    result = runner.invoke(app, ["run", str(seeds), "--config", str(ROOT / "models.yaml"), "--no-cache",
                                 "--out", str(tmp_path / "briefs")])
    assert result.exit_code == 2
    assert "the run stopped before any translation, and the day's brief is as it was" in result.output
