"""A small, bounded HTTP load generator for `make bench` (loopback only; stops by itself).

It serves the project with gunicorn on a free local port and measures requests per second for a page
next to a trivial view (`/healthz`), which is the ceiling of the same server on this machine.

Each client thread keeps the cookies the server sets, as a browser does (a visitor's second request
carries the CSRF cookie the first one got). The machine is shared: `compare` measures several pages in
alternating short slices, so a burst of load elsewhere falls on all of them alike and their ratio holds.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]  # the project root, where manage.py is
MAX_SECONDS = 30  # a request loop never runs longer than this, whatever the caller asks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2):
    """Run gunicorn on 127.0.0.1 with the given environment; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hubsite.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        # The port answers before the workers have loaded Django; warm every worker up first.
        for _ in range(workers * 3):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connection.close()
        yield f"127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def _keep_cookies(response, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or ():
        for name, morsel in SimpleCookie(header).items():
            if morsel.value and morsel["max-age"] != "0":
                jar[name] = morsel.value
            else:
                jar.pop(name, None)


def _with_cookies(headers: dict, jar: dict[str, str]) -> dict:
    if not jar:
        return headers
    given = headers.get("Cookie", "")
    kept = "; ".join(f"{name}={value}" for name, value in jar.items() if f"{name}=" not in given)
    return {**headers, "Cookie": "; ".join(part for part in (given, kept) if part)}


def requests_per_second(
    host: str,
    path: str,
    *,
    seconds: float = 10,
    concurrency: int = 4,
    headers: dict | None = None,
    jars: list[dict] | None = None,
) -> dict:
    """Keep-alive GETs from `concurrency` threads for `seconds` (capped); returns counts and rate.
    ``jars``: each thread's cookies, to carry over from an earlier call (a browser keeps them)."""
    jars = jars if jars is not None else [{} for _ in range(concurrency)]
    seconds = min(seconds, MAX_SECONDS)
    stop_at = time.monotonic() + seconds
    counts = [0] * concurrency
    errors = [0] * concurrency

    def worker(index: int) -> None:
        hostname, port = host.split(":")
        connection = http.client.HTTPConnection(hostname, int(port), timeout=10)
        jar = jars[index]
        while time.monotonic() < stop_at:
            try:
                connection.request("GET", path, headers=_with_cookies(headers or {}, jar))
                response = connection.getresponse()
                response.read()
                _keep_cookies(response, jar)
                if response.status == 200:
                    counts[index] += 1
                else:
                    errors[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(hostname, int(port), timeout=10)
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(counts)
    return {
        "requests": total,
        "errors": sum(errors),
        "seconds": elapsed,
        "rps": total / elapsed if elapsed else 0,
    }


def compare(
    host: str,
    targets: dict[str, tuple[str, dict | None]],
    *,
    seconds: float = 8,
    slices: int = 8,
    concurrency: int = 4,
) -> dict:
    """``requests_per_second`` for each ``label: (path, headers)``, in ``slices`` alternating turns of
    ``seconds / slices`` each (``seconds`` per target in all); the counts are summed per target."""
    totals = {label: {"requests": 0, "errors": 0, "seconds": 0.0} for label in targets}
    jars = {label: [{} for _ in range(concurrency)] for label in targets}
    for _ in range(max(1, slices)):
        for label, (path, headers) in targets.items():
            measured = requests_per_second(
                host,
                path,
                seconds=seconds / max(1, slices),
                headers=headers,
                concurrency=concurrency,
                jars=jars[label],
            )
            for field in ("requests", "errors", "seconds"):
                totals[label][field] += measured[field]
    for total in totals.values():
        total["rps"] = total["requests"] / total["seconds"] if total["seconds"] else 0
    return totals
