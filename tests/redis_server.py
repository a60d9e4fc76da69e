"""A redis-server of the test's own on a spare loopback port, to stop, restart
and fill mid-test. Skips, saying why, where redis-server is not installed."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest


def free_port() -> int:
    """A loopback port that is free now. Only a candidate: nothing holds it
    once this returns, so another process (another xdist worker's server, or
    any outgoing connection) may take it first. Servers started on it must
    check they got it and try another port if not (RedisServer, NginxProxy);
    one that can inherit a listening socket gets it from bound_socket()."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bound_socket() -> socket.socket:
    """A socket bound to a port the OS chose, held until a server that can
    inherit it (gunicorn's fd://) takes it over: no window for a race."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.set_inheritable(True)
    return sock


class RedisServer:
    def __init__(self, directory: Path):
        self.binary = shutil.which("redis-server")
        if not self.binary:
            pytest.skip("redis-server is not installed (apt-get install redis-server)")
        self.dir = directory
        self.port = free_port()
        self.started = False  # once started, a restart keeps the port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, *, load_snapshot: bool = False) -> None:
        """Start (or, after kill(), restart) redis-server. The first start
        moves to another port while the chosen one turns out to be taken;
        a restart must get its old port back, as the site is set up with it."""
        if not load_snapshot:
            (self.dir / "dump.rdb").unlink(missing_ok=True)
        for _attempt in range(5):
            if self._launch():
                self.started = True
                return
            if self.started:
                break
            self.port = free_port()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def _launch(self) -> bool:
        """True once this redis-server answers; False if it exited (its port
        taken by another process in the meantime)."""
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.dir),
                "--dbfilename",
                "dump.rdb",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False
            try:
                # Ours, not another process's redis-server on the same port.
                if f"process_id:{self.process.pid}\r\n" in self._reply(
                    "INFO", "server"
                ):
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("redis-server did not answer within 10 seconds")

    def command(self, *args: str) -> str:
        """One command over a raw socket (no client state to go stale)."""
        return self._reply(*args)[1:].split("\r\n", 1)[0]

    def _reply(self, *args: str) -> str:
        payload = f"*{len(args)}\r\n" + "".join(
            f"${len(a.encode())}\r\n{a}\r\n" for a in args
        )
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            sock.sendall(payload.encode())
            return sock.recv(65536).decode(errors="replace")

    def snapshot(self) -> None:
        assert self.command("SAVE") == "OK"

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def fill(self) -> None:
        """Full: more data than maxmemory allows, with noeviction, so Redis
        refuses every write (OOM) as a full production Redis does."""
        junk = "x" * 100_000
        for n in range(40):
            self.command("SET", f"junk:{n}", junk)
        self.command("CONFIG", "SET", "maxmemory-policy", "noeviction")
        self.command("CONFIG", "SET", "maxmemory", "1mb")
        assert self.command("SET", "probe", "x").startswith("OOM")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def redis_cache(redis_server, settings):
    """The site's production cache settings, pointed at this test's Redis."""
    from django.conf import settings as live

    settings.CACHES = {
        "default": {
            **{k: v for k, v in _production_cache(live).items() if k != "LOCATION"},
            "LOCATION": redis_server.url,
        }
    }
    yield redis_server


def _production_cache(live) -> dict:
    import importlib
    import os

    previous = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        base = importlib.reload(importlib.import_module("config.settings.base"))
        return dict(base.CACHES["default"])
    finally:
        if previous is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = previous
        importlib.reload(importlib.import_module("config.settings.base"))
