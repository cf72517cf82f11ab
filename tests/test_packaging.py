"""The package as users install it: a wheel (pip install ., pipx), not this checkout."""

import os
import site
import subprocess
import sys

from .conftest import ROOT

DAY = "2026-11-22"


def test_a_wheel_install_runs_outside_the_checkout(tmp_path, seeds, tiny_registry):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # its dependencies are the ones installed for this test run, added as plain paths: their .pth
    # files (this checkout's editable-install hook among them) are not run there
    (next(venv.glob("lib/python*/site-packages")) / "dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    python = str(venv / "bin" / "python")
    wheel = next((tmp_path / "dist").glob("summarize-*.whl"))
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {**os.environ, "SUMMARIZE_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": ""}

    def summarize(*args):
        return subprocess.run([python, "-m", "summarize", *map(str, args)], cwd=outside, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([python, "-c", "import summarize; print(summarize.__file__)"], cwd=outside, env=env,
                           capture_output=True, text=True)
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed copy, not the checkout
    listed = summarize("models", "list")  # the shipped registry comes with the wheel
    assert listed.returncode == 0 and "envit5 (default)" in listed.stdout, listed.stderr
    translated = summarize("translate", seeds / "003_90e0681c7e08f307.txt", "--translator", "passthrough")
    assert translated.returncode == 0 and "US và Russia" in translated.stdout, translated.stderr  # shipped glossary
    ran = summarize("run", seeds, "--config", tiny_registry, "--date", DAY)
    assert ran.returncode == 0, ran.stderr
    assert "5 articles done" in ran.stdout and (outside / "briefs" / f"{DAY}.review.html").is_file()


def test_the_folders_show_the_pipeline_with_at_most_twelve_modules_on_top():
    """Stages live in their folders (docs/architecture.md); the top holds the session, the
    pipeline, the command line's entry and the records."""
    package = ROOT / "summarize"
    top = sorted(p.name for p in package.glob("*.py"))
    assert len(top) <= 12, top
    folders = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert {"reading", "checks", "models", "day", "outputs", "archive", "cli"} <= folders
