"""A PostgreSQL cluster of the test's own, made by initdb, on a spare loopback
port, to stop and start mid-test (a database outage). Like redis_server.py
for Redis; skips, saying why, where the PostgreSQL server binaries are missing.

PostgreSQL refuses to run as root. When the suite runs as root, initdb,
pg_ctl and the server run as the ``postgres`` OS user (runuser), and the data
directory cannot live in tmp_path itself: pytest keeps its temporary root
(/tmp/pytest-of-root) at mode 0700, which the postgres user cannot enter. It
is then a fresh directory of its own under the system temporary folder, owned
by postgres, linked from tmp_path as ``pg`` and removed at teardown. As any
other user it is tmp_path/pg.

Only TCP on 127.0.0.1 (no Unix socket, so nothing is shared with another
cluster), trust authentication (loopback, throwaway data), fsync off."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .redis_server import free_port

PG_BIN_DIRS = [
    os.environ.get("PG_BIN", ""),
    "/usr/lib/postgresql/15/bin",
    *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True),
]
DATABASE = "roleguides"


def _pg_bin() -> Path | None:
    for directory in PG_BIN_DIRS:
        if directory and (Path(directory) / "initdb").exists():
            return Path(directory)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PostgresCluster:
    def __init__(self, tmp: Path):
        self.bin = _pg_bin()
        if self.bin is None:
            pytest.skip(
                "PostgreSQL server binaries (initdb, pg_ctl) not found: install "
                "postgresql or set PG_BIN to their folder"
            )
        self.tmp = tmp
        self.port = free_port()
        self.user: str | None = None  # the OS user to run as; None: this one
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                pytest.skip("running as root without runuser: cannot run PostgreSQL")
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip(
                    "running as root and there is no 'postgres' OS user to run "
                    "PostgreSQL as (it refuses to run as root)"
                )
            self.user = "postgres"
            self.root = Path(tempfile.mkdtemp(prefix="pg-cluster-"))
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            (tmp / "pg").symlink_to(self.root)
        else:
            self.root = tmp / "pg"
            self.root.mkdir()
        self.data = self.root / "data"
        self.logfile = self.root / "postgres.log"
        self.pid: int | None = None

    @property
    def url(self) -> str:
        return self.url_for(DATABASE)

    def url_for(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(
            command,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} failed ({result.returncode}):\n"
                + result.stdout
                + result.stderr
                + self.log()
            )
        return result

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except OSError:
            return ""

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            "-c unix_socket_directories='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.logfile),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
            timeout=90,
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])

    def create_database(
        self, name: str = DATABASE, *, template: str | None = None
    ) -> None:
        """``template``: a copy of that database (nobody may be connected to
        it), made by PostgreSQL in a moment, instead of an empty one."""
        copy = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{copy}')

    def drop_database(self, name: str = DATABASE) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def running(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        # pg_ctl daemonises it: a zombie nobody has reaped yet has ended too.
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{self.pid}/stat").read_text()
            return stat.rsplit(")", 1)[1].split()[0] != "Z"
        return True

    def _wait_gone(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not self.running():
                return True
            time.sleep(0.05)
        return not self.running()

    def stop(self) -> None:
        """A fast shutdown, as an operator's or a failover's: open connections
        are cut, new ones refused (nothing listens on the port)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        assert self._wait_gone(30), "postgres did not stop"
        self.pid = None

    def destroy(self) -> None:
        """Always at teardown: kill the server by its pid (SIGQUIT, the
        immediate shutdown that also ends its backends; SIGKILL if it is still
        there) and remove the cluster's files."""
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGQUIT)
            if not self._wait_gone(10):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self._wait_gone(10)
        self.pid = None
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def pg_cluster(tmp_path):
    """A running cluster of this test's own with an empty database; its
    ``url`` is the DATABASE_URL. ``stop()`` and ``start()`` it mid-test."""
    cluster = PostgresCluster(tmp_path)
    try:
        cluster.init()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        cluster.destroy()


#: The database each outage test's own is a copy of: migrated and seeded once.
SEEDED_TEMPLATE = "seeded"


@pytest.fixture(scope="session")
def seeded_pg_cluster(tmp_path_factory):
    """One cluster for the run's outage tests (test_database_outage.py,
    test_quiz_faults.py: one xdist group, so one worker), with a database
    migrated and seeded by the production image's own commands, once, as
    ``SEEDED_TEMPLATE``: each test's database is a copy of it."""
    from .browser.production_server import ProductionServer, migrate_and_seed

    cluster = PostgresCluster(tmp_path_factory.mktemp("outage-pg"))
    try:
        cluster.init()
        cluster.start()
        cluster.create_database(SEEDED_TEMPLATE)
        env = ProductionServer.production_env(cluster.url_for(SEEDED_TEMPLATE))
        migrate_and_seed(env)
        yield cluster
    finally:
        cluster.destroy()
