"""Start a real ``streamlit run`` on a free localhost port, for browser tests and benchmarks.

Tests and benchmarks must exercise the app exactly as a user gets it, so they start
the same command ``make run`` does, each with its own database file.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
START_TIMEOUT_S = 60.0


class ServerError(RuntimeError):
    """The server did not come up; the message carries the end of its log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(
    probe_url: str, proc: subprocess.Popen, log: Path, what: str, timeout_s: float = START_TIMEOUT_S
) -> None:
    """Block until ``probe_url`` answers 200, or raise with the end of ``log`` if ``proc`` exits or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerError(f"{what} exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(probe_url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise ServerError(f"{what} did not start within {timeout_s:.0f} s:\n{log.read_text()[-2000:]}")


def stop(proc: subprocess.Popen, timeout_s: float = 10.0) -> None:
    """Terminate a server we started, and kill it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def streamlit_server(
    script: str, db_file: Path, log: Path, *, port: int | None = None, secrets_file: Path | None = None
) -> Iterator[str]:
    """Serve ``script`` (relative to the repo) with ``FACTORY_DB=db_file``; yield its URL.

    ``secrets_file`` replaces the secrets Streamlit would read (for sign-in tests), and
    ``port`` is given when the secrets must name the app's URL before it starts.
    """
    port = port or free_port()
    env = dict(os.environ, FACTORY_DB=str(db_file))
    secrets = ["--secrets.files", str(secrets_file)] if secrets_file else []
    # The dashboard starts as `make run` starts it (ui.launch preloads its modules); other scripts plainly.
    command = ["-m", "ui.launch"] if script == "app.py" else ["-m", "streamlit", "run", script]
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                *command,
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *secrets,
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{url}/_stcore/health", proc, log, "streamlit")
        yield url
    finally:
        stop(proc)
