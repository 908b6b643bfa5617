"""Throw-away PostgreSQL, Redis, gunicorn and nginx processes for the fault and several-node
tests (issue 17), each started on a free loopback port and stopped by its own process id.

They never touch the machine's shared PostgreSQL (5432) or Redis (6379). Tests that need them
are marked `services` and skip, saying which binary is missing, unless `KB_SERVICE_TESTS=required`
(set by `.ci/run`, which installs them) turns a missing binary into a failure.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("KB_PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable


def missing_binaries(*names: str) -> list[str]:
    found = {
        "postgres": (PG_BIN / "postgres").exists() and (PG_BIN / "initdb").exists(),
        "redis-server": shutil.which("redis-server") is not None,
        "nginx": shutil.which("nginx") or Path("/usr/sbin/nginx").exists(),
    }
    return [name for name in names if not found[name]]


def require(*names: str) -> None:
    """Skip (or fail in CI) when a binary the test needs is not installed."""
    missing = missing_binaries(*names)
    if not missing:
        return
    message = (
        f"{', '.join(missing)} not installed (PostgreSQL 15 in {PG_BIN}, redis-server, nginx: "
        "apt-get install postgresql-15 redis-server nginx)"
    )
    if os.environ.get("KB_SERVICE_TESTS") == "required":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.kill(process.pid, sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


class Postgres:
    """A PostgreSQL 15 cluster in a temporary folder, run by the `postgres` user when the tests
    run as root (initdb refuses root), on a free port with fsync off."""

    def __init__(self):
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="kb-pg-"))
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, self.user)
        self.data = self.folder / "data"
        self._run(
            [PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        )
        self.process = None

    def _run(self, command):
        subprocess.run(
            [str(part) for part in command],
            check=True,
            capture_output=True,
            user=self.user,
            cwd=self.folder,
        )

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=60",
            ],  # fmt: skip
            user=self.user,
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "log", "ab"),  # noqa: SIM115 - kept by the process
        )
        wait_for(self._answers, 30, f"PostgreSQL on port {self.port} answering")

    def _answers(self) -> bool:
        import psycopg

        try:
            psycopg.connect(self.url("postgres"), connect_timeout=2).close()
        except psycopg.OperationalError:
            return False
        return True

    def url(self, database: str = "kb") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str = "kb") -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')

    def stop(self) -> None:
        """A fast shutdown: connections are closed, new ones refused."""
        _stop(self.process, signal.SIGINT)

    def pause(self) -> None:
        """Every process of the server stopped (SIGSTOP): connections stay open, nothing answers."""
        for pid in [self.process.pid, *_children(self.process.pid)]:
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in [self.process.pid, *_children(self.process.pid)]:
            os.kill(pid, signal.SIGCONT)

    def destroy(self) -> None:
        if self.process is not None:
            self.resume()
            _stop(self.process, signal.SIGINT)
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """redis-server on a free port, nothing saved to disk, with a memory bound."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "64mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, 15, f"Redis on port {self.port} answering")

    def _answers(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2)

    def stop(self) -> None:
        _stop(self.process)


def site_env(*, database_url: str, redis_url: str | None, static_root: Path, **extra) -> dict:
    """Production settings, as the containers run them (`.env.example`)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KB_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "tests-only-secret-key-not-for-production-use-0123456789abcdef",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_STATIC_ROOT": str(static_root),
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


class Gunicorn:
    """The project under gunicorn (gunicorn.conf.py) on a free loopback port."""

    def __init__(self, env: dict, *, workers: int = 2, log: Path | None = None):
        self.port = free_port()
        self.env = dict(env, GUNICORN_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers))
        self.log = log
        self.process = None

    def start(self) -> None:
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=output,
        )
        wait_for(
            lambda: get(self.port, "/healthz", timeout=2).status in (200, 301),
            30,
            f"gunicorn on port {self.port} answering",
        )

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes, seconds: float):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(
    port: int, method: str, path: str, headers: dict | None = None, body=None, timeout=40
) -> Answer:
    """One HTTP request on a new connection; the answer's headers with lower-case names."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        answer_headers = {}
        for name, value in response.getheaders():
            name = name.lower()
            answer_headers[name] = (
                f"{answer_headers[name]}\n{value}" if name in answer_headers else value
            )
        return Answer(response.status, answer_headers, data, time.monotonic() - started)
    finally:
        connection.close()


HTTPS = {"X-Forwarded-Proto": "https"}


def get(port: int, path: str, headers: dict | None = None, timeout=40) -> Answer:
    return request(port, "GET", path, headers=headers, timeout=timeout)


class Nginx:
    """nginx from deploy/nginx.conf.template in front of two web nodes, on a free port."""

    def __init__(self, folder: Path, node_ports: tuple[int, int]):
        sys.path.insert(0, str(ROOT / "deploy"))
        from render_nginx_conf import render

        self.port = free_port()
        self.folder = folder
        (folder / "cache").mkdir(parents=True, exist_ok=True)
        root = os.geteuid() == 0
        self.config = folder / "nginx.conf"
        self.config.write_text(
            render(
                {
                    "NGINX_USER": "root" if root else os.environ.get("USER", "nobody"),
                    "NGINX_RUN_DIR": str(folder),
                    "NGINX_MIME_TYPES": "/etc/nginx/mime.types",
                    "NGINX_ACCESS_LOG": str(folder / "access.log"),
                    "NGINX_CACHE_DIR": str(folder / "cache"),
                    "NGINX_LISTEN": f"127.0.0.1:{self.port}",
                    "KB_WEB_NODE_1": f"127.0.0.1:{node_ports[0]}",
                    "KB_WEB_NODE_2": f"127.0.0.1:{node_ports[1]}",
                }
            )
        )
        self.process = None

    @staticmethod
    def binary() -> str:
        return shutil.which("nginx") or "/usr/sbin/nginx"

    def start(self) -> None:
        command = [self.binary(), "-c", str(self.config), "-p", str(self.folder)]
        subprocess.run([*command, "-t", "-q"], check=True, capture_output=True)
        self.process = subprocess.Popen(
            [*command, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "error.log", "ab"),  # noqa: SIM115
        )
        wait_for(lambda: get(self.port, "/healthz", timeout=2).status == 200, 15, "nginx")

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, signal.SIGQUIT)
