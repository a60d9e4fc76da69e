"""The stylesheet builds from a fresh clone with the Makefile (as `make run`
and `make test` do), from the npm lockfile, and nothing it makes is tracked."""

import shutil
import subprocess
from pathlib import Path

import brotli
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    not (shutil.which("npm") and shutil.which("git") and shutil.which("make")),
    reason="needs git, make and npm (Node.js 20.19+): .ci/run installs npm",
)
def test_a_fresh_clone_builds_the_stylesheet(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(
        ["make", "css"], cwd=clone, check=True, timeout=600, capture_output=True
    )
    css = (clone / "assets" / "build" / "css" / "main.css").read_bytes()
    assert b"--rg-accent:" in css and b".btn-primary" in css
    assert len(brotli.compress(css)) <= 12 * 1024
    untracked = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=clone,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert untracked == ""  # node_modules and the build are ignored, not committed


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
@pytest.mark.parametrize("port", ["8000", "8080"])
def test_make_run_serves_on_the_port_given(port):
    """`make run PORT=8080` serves on that port, and the canonical links and
    sitemap (DJANGO_SITE_URL, unless set) name the same port."""
    args = ["make", "-n", "run"] + ([f"PORT={port}"] if port != "8000" else [])
    plan = subprocess.run(
        args, cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
    ).stdout
    serve = next(line for line in plan.splitlines() if "runserver" in line)
    assert serve.rstrip().endswith(f"runserver 127.0.0.1:{port}"), serve
    assert f"http://127.0.0.1:{port}" in serve, serve
    assert f"make run PORT={'8080'}" in (ROOT / "README.md").read_text()
