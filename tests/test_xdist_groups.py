"""The suite's module-scoped servers rely on ``--dist loadgroup`` keeping an
``xdist_group`` on one worker (tests/xdist_groups.py): checked in a pytest
run of its own, so a pytest or pytest-xdist upgrade that breaks it again
fails here instead of silently starting each server on every worker."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]

GROUPED = """
import os
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(8))
def test_grouped(n):
    with open(os.environ["WORKERS_FILE"], "a") as out:
        out.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""

OTHERS = """
import pytest


@pytest.mark.parametrize("n", range(8))
def test_other(n):
    pass
"""

CONFTEST = f"""
import sys

sys.path.insert(0, {str(ROOT)!r})
from tests.xdist_groups import xdist_groups


def pytest_collection_modifyitems(config, items):
    xdist_groups(config, items)
"""


def test_a_group_runs_on_one_worker(tmp_path):
    (tmp_path / "test_grouped.py").write_text(GROUPED)
    (tmp_path / "test_others.py").write_text(OTHERS)
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    workers = tmp_path / "workers.txt"
    run = subprocess.run(
        [*PYTEST, "-p", "no:django", "-n", "3", "--dist", "loadgroup"],
        cwd=tmp_path,
        env={"WORKERS_FILE": str(workers), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    seen = workers.read_text().split()
    assert len(seen) == 8 and len(set(seen)) == 1, seen
