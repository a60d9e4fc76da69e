"""The production configuration as it runs: gunicorn with config/gunicorn.py
and the production settings, its own Redis, and a database of its own
(PostgreSQL when the suite runs on it, else an SQLite file), on loopback."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import dj_database_url

from ..redis_server import RedisServer, bound_socket, free_port

ROOT = Path(__file__).resolve().parents[2]
# The upstream line of config/nginx/default.conf: Docker's DNS name of the web
# service's replicas (with `resolve`: looked up again as replicas come and go).
UPSTREAM_SERVER = re.compile(r"server web:8000\b[^;]*;")
# In ``shared``: the static files, collected once, and an SQLite database
# migrated and seeded once, which each server then copies.
SEEDED_SQLITE = "seeded.sqlite3"


@contextlib.contextmanager
def _locked(path: Path):
    """One process at a time (xdist workers share ``shared``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` with ``env`` (the production settings), from the checkout."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# Seconds a test's request may take before the client gives up: gunicorn's
# own timeout (config/gunicorn.py), so a slow answer is still an answer.
CLIENT_TIMEOUT = 30


def migrate_and_seed(env: dict[str, str]) -> None:
    """What the production image runs on an empty database."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_content", "-v0")


class ProductionServer:
    def __init__(
        self,
        tmp: Path,
        *,
        database_url: str | None = None,
        static_root: Path | None = None,
        redis: RedisServer | None = None,
        shared: Path | None = None,
    ):
        """``database_url``: a database of the caller's (tests/pg_cluster.py's
        cluster, say) instead of one made here. ``static_root``: where
        collectstatic writes (default: in ``tmp``); one already collected there
        is reused, as collecting takes long (brotli) and never changes in a run.
        ``redis``: a running Redis shared with another server (default: one
        of its own, started and killed with this one). ``shared``: a folder
        the servers of a test run share (tests/conftest.py's
        ``production_shared``): static files are collected there once, and
        the SQLite database made here is a copy of one migrated and seeded
        there once, instead of each server paying for both (about a minute)."""
        self.tmp = tmp
        self.shared = shared
        self.static_root = static_root or (shared or tmp) / "staticfiles"
        # Held from now until gunicorn takes it over (fd://): no other
        # process, xdist worker or test can take the port in between.
        self.socket = bound_socket()
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._owns_redis = redis is None
        self.redis = redis or RedisServer(tmp)
        self.log = tmp / "gunicorn.log"
        self.process: subprocess.Popen | None = None
        self._pg_name: str | None = None
        self.env = {
            **self.production_env(database_url or self._database_url()),
            "DJANGO_SITE_URL": self.url,
            "REDIS_URL": self.redis.url,  # again once Redis has its port
            "GUNICORN_BIND": f"fd://{self.socket.fileno()}",
            # collectstatic writes here, not into the checkout's staticfiles/.
            "DJANGO_STATIC_ROOT": str(self.static_root),
            "WEB_CONCURRENCY": "2",
            # The nginx of NginxProxy runs on loopback too.
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        }

    @staticmethod
    def production_env(database_url: str) -> dict[str, str]:
        """The environment of the production settings on ``database_url``."""
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url,
        }

    def _database_url(self) -> str:
        suite = os.environ.get("DATABASE_URL", "")
        if suite.startswith("postgres"):
            import psycopg

            self._pg_name = f"journey_{uuid.uuid4().hex[:10]}"
            config = dj_database_url.parse(suite)
            self._admin = psycopg.connect(
                host=config["HOST"] or "127.0.0.1",
                port=config["PORT"] or 5432,
                user=config["USER"] or "postgres",
                dbname="postgres",
                autocommit=True,
            )
            self._admin.execute(f'CREATE DATABASE "{self._pg_name}"')
            return suite.rsplit("/", 1)[0] + "/" + self._pg_name
        return f"sqlite:///{self.tmp / 'production.sqlite3'}"

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return manage(self.env, *args)

    def _collect_static(self) -> None:
        with _locked(self.static_root.with_name(self.static_root.name + ".lock")):
            if not (self.static_root / "staticfiles.json").exists():
                self.manage("collectstatic", "--noinput", "-v0")

    def _prepare_database(self) -> None:
        own_sqlite = f"sqlite:///{self.tmp / 'production.sqlite3'}"
        if self.shared is None or self.env["DATABASE_URL"] != own_sqlite:
            migrate_and_seed(self.env)
            return
        seeded = self.shared / SEEDED_SQLITE
        with _locked(self.shared / (SEEDED_SQLITE + ".lock")):
            if not seeded.exists():
                making = self.shared / ("making-" + SEEDED_SQLITE)
                making.unlink(missing_ok=True)
                migrate_and_seed({**self.env, "DATABASE_URL": f"sqlite:///{making}"})
                making.rename(seeded)
        shutil.copyfile(seeded, self.tmp / "production.sqlite3")
        # Its derived data (the questionnaire's model, the role map) is built
        # by gunicorn's master before it forks the workers, as in production
        # (config/wsgi.py, DJANGO_DERIVED_WARM_AT_START): no warm_cache here.

    def start(self, *, prepare: bool = True, migrate: bool = True) -> None:
        """``prepare``: collect static files, migrate and seed first (a second
        server on the same database and static root need not); with
        ``migrate=False`` only collect (the caller's database is seeded).
        gunicorn's master builds the derived data before it forks."""
        if self._owns_redis:
            self.redis.start()
        self.env["REDIS_URL"] = self.redis.url
        if prepare:
            self._collect_static()
            if migrate:
                self._prepare_database()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "config/gunicorn.py",
                "config.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            pass_fds=(self.socket.fileno(),),
        )
        self.socket.close()  # gunicorn has it now
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start:\n" + self.log.read_text())

    def get(self, path: str) -> tuple[int, str]:
        """A GET of ``path``: its status and body. The client waits as long as
        gunicorn lets a request run (its timeout, 30 s): a test that wants an
        answer quickly times the call itself. A worker's first page renders
        in a fraction of a second on a quiet machine, but took 10-12 s while
        the whole suite loaded two cores (three outage tests failed so)."""
        try:
            with urllib.request.urlopen(
                self.url + path, timeout=CLIENT_TIMEOUT
            ) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_lines(self) -> list[dict]:
        lines = [line for line in self.log.read_text().splitlines() if line.strip()]
        return [json.loads(line) for line in lines]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._owns_redis:
            self.redis.kill()
        if self._pg_name:
            self._admin.execute(
                f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)'
            )
            self._admin.close()


class NginxProxy:
    """config/nginx/default.conf, as compose.yaml runs it, in front of one or
    more ProductionServers: only the upstream servers (Docker's DNS name of
    the web replicas there, their loopback ports here) and the listening port
    differ."""

    def __init__(self, tmp: Path, upstream_port: int | list[int]):
        import shutil

        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self.tmp = tmp
        self.upstream_ports = (
            upstream_port if isinstance(upstream_port, list) else [upstream_port]
        )
        self._choose_port()
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / name).mkdir(exist_ok=True)
        (tmp / "nginx.conf").write_text(
            f"""
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    default_type application/octet-stream;
    include {tmp}/site.conf;
}}
"""
        )
        self.process: subprocess.Popen | None = None

    def _choose_port(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        site = (ROOT / "config/nginx/default.conf").read_text()
        upstream = UPSTREAM_SERVER.search(site)
        assert upstream, "config/nginx/default.conf: no `server web:8000` line"
        servers = "\n    ".join(
            f"server 127.0.0.1:{port};" for port in self.upstream_ports
        )
        site = site.replace(upstream.group(0), servers)
        site = site.replace(
            "listen 80 default_server;", f"listen 127.0.0.1:{self.port};"
        )
        (self.tmp / "site.conf").write_text(site)

    def start(self) -> None:
        """nginx cannot inherit a socket: when the port free_port() chose was
        taken before nginx bound it, nginx exits, and it gets another port."""
        for _attempt in range(5):
            error = self._launch()
            if error is None:
                return
            if "Address already in use" not in error:
                raise RuntimeError(error)
            self._choose_port()
        raise RuntimeError(error)

    def _launch(self) -> str | None:
        """None once this nginx answers, else why it stopped."""
        self.process = subprocess.Popen(
            [
                self.binary,
                "-p",
                str(self.tmp),
                "-c",
                str(self.tmp / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return self.process.stderr.read().decode()
            try:
                with urllib.request.urlopen(self.url + "/healthz/", timeout=5):
                    pass
            except OSError:
                time.sleep(0.1)
                continue
            # Answered: ours, unless it answered while exiting (port taken).
            time.sleep(0.1)
            if self.process.poll() is None:
                return None
        self.stop()
        raise RuntimeError("nginx did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
