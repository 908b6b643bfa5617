"""Django's PostgreSQL backend that never waits for a hung server longer than a few seconds.

libpq's `connect_timeout` bounds opening a connection, and the server's `statement_timeout`
bounds a slow query, but neither helps when the server stops answering on a connection that is
already open (the process is stopped, a network path drops packets): the kernel keeps
acknowledging what is sent, so the client waits for an answer forever and a gunicorn worker
hangs until it is killed (issue 17: every request, `/healthz` included, hung 30 s).

Here every round trip to the server (queries, commit, rollback and Django's "is the connection
still usable" check) is watched: when one takes longer than `DATABASES[...]["OPTIONS"]
["round_trip_timeout"]` seconds, a watchdog thread shuts the connection's socket down. The
waiting call then fails at once with the driver's `OperationalError` (Django's
`OperationalError`), which the site answers with a translated 503 page (kb/errors.py).
"""

import os
import socket
import threading
import time
from contextlib import contextmanager

from django.db.backends.postgresql import base

DEFAULT_ROUND_TRIP_TIMEOUT = 5.0  # seconds


class _Watchdog:
    """One thread per process that shuts down the sockets of round trips past their deadline.

    `watch(fd, seconds)` registers the calling thread's round trip; a registration costs two
    dictionary writes, so every query can afford it."""

    def __init__(self):
        self._deadlines: dict[int, tuple[float, int]] = {}  # thread id → (deadline, socket fd)
        self._pid = None
        self._lock = threading.Lock()

    def _ensure_running(self) -> None:
        # Started lazily in each process: a gunicorn worker is forked after the import.
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._deadlines = {}
                threading.Thread(target=self._run, name="db-watchdog", daemon=True).start()
                self._pid = os.getpid()

    @contextmanager
    def watch(self, fd: int, seconds: float):
        self._ensure_running()
        me = threading.get_ident()
        self._deadlines[me] = (time.monotonic() + seconds, fd)
        try:
            yield
        finally:
            self._deadlines.pop(me, None)

    def _run(self) -> None:
        while True:
            time.sleep(0.1)
            now = time.monotonic()
            for thread, (deadline, fd) in list(self._deadlines.items()):
                if now >= deadline and self._deadlines.get(thread) == (deadline, fd):
                    self._deadlines.pop(thread, None)
                    _shut_down(fd)


def _shut_down(fd: int) -> None:
    """Wake whoever waits on this socket: both directions are closed, reads return at once."""
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


watchdog = _Watchdog()


class DatabaseWrapper(base.DatabaseWrapper):
    """PostgreSQL with every round trip bounded (see the module's docstring)."""

    def __init__(self, settings_dict, *args, **kwargs):
        options = settings_dict.setdefault("OPTIONS", {})
        self.round_trip_timeout = float(
            options.pop("round_trip_timeout", DEFAULT_ROUND_TRIP_TIMEOUT)
        )
        super().__init__(settings_dict, *args, **kwargs)
        self.execute_wrappers.append(self._bounded_query)

    @contextmanager
    def _bounded(self):
        raw = self.connection
        if raw is None or raw.closed:
            yield
            return
        with watchdog.watch(raw.pgconn.socket, self.round_trip_timeout):
            yield

    def _bounded_query(self, execute, sql, params, many, context):
        with self._bounded():
            return execute(sql, params, many, context)

    def is_usable(self):
        with self._bounded():
            return super().is_usable()

    def _commit(self):
        with self._bounded():
            return super()._commit()

    def _rollback(self):
        with self._bounded():
            return super()._rollback()
