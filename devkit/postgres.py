"""Start a real PostgreSQL (Debian's ``postgresql`` binaries) in a temporary directory on 127.0.0.1.

For the team-store tests and benchmarks. The cluster is private: ``initdb`` into the
given folder, trust authentication for loopback only, a free TCP port on 127.0.0.1
and the Unix socket in the same folder. PostgreSQL refuses to run as root, so when
the tests run as root (CI) the server runs as the ``postgres`` user the Debian
package creates.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devkit.server import ServerError, free_port

START_TIMEOUT_S = 60.0


def bin_dir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` that has ``initdb`` and ``postgres``, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


@dataclass
class PostgresServer:
    """A running private cluster: its URL (``postgresql://...``), data folder and how to restart it."""

    url: str
    data_dir: Path
    port: int
    bin: Path
    log: Path

    def _ctl(self, *args: str, timeout_s: float = START_TIMEOUT_S) -> None:
        cmd = [
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log),
            "-w",
            "-t",
            str(int(timeout_s)),
            *args,
        ]
        done = subprocess.run(_as_owner(cmd), capture_output=True, text=True, timeout=timeout_s + 10)
        if done.returncode:
            raise ServerError(
                f"pg_ctl {' '.join(args)} failed: {(done.stderr or done.stdout)[-2000:]}\n"
                f"{self.log.read_text()[-2000:] if self.log.exists() else ''}"
            )

    def start(self) -> None:
        """Start (or start again) the server and wait until it accepts connections."""
        self._ctl("-o", f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``fast`` ends sessions; ``immediate`` is a crash stop)."""
        self._ctl("-m", mode, "stop")

    def restart(self) -> None:
        """Stop and start again, as an operator restarting the database would."""
        self.stop()
        self.start()


def _owner() -> pwd.struct_passwd | None:
    """The account the server runs as: ourselves, or ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError as exc:
        raise ServerError("running as root needs the 'postgres' account (apt-get install postgresql)") from exc


def _as_owner(cmd: list[str]) -> list[str]:
    owner = _owner()
    return ["runuser", "-u", owner.pw_name, "--", *cmd] if owner else cmd


@contextmanager
def postgres_server(database: str = "factory") -> Iterator[PostgresServer]:
    """A fresh cluster in a new temporary folder with ``database`` created; yields the server, removes it after."""
    binaries = bin_dir()
    if binaries is None:
        raise ServerError("PostgreSQL is not installed (apt-get install postgresql)")
    owner = _owner()
    # The server's own account must reach its folder: pytest's (root-only) temp folders will not do.
    home = Path(tempfile.mkdtemp(prefix="factory-pg-", dir=None if owner is None else "/tmp"))
    data_dir = home / "pgdata"
    data_dir.mkdir()
    if owner:
        for path in (home, data_dir):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    user = owner.pw_name if owner else pwd.getpwuid(os.geteuid()).pw_name
    init = subprocess.run(
        _as_owner(
            [str(binaries / "initdb"), "-D", str(data_dir), "-U", user, "-A", "trust", "-E", "UTF8", "--locale", "C"]
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if init.returncode:
        raise ServerError(f"initdb failed: {(init.stderr or init.stdout)[-2000:]}")
    log = data_dir / "server.log"
    server = PostgresServer(
        url=f"postgresql://{user}@127.0.0.1:{{port}}/{database}",
        data_dir=data_dir,
        port=free_port(),
        bin=binaries,
        log=log,
    )
    server.url = server.url.format(port=server.port)
    server.start()
    try:
        _create_database(server, user, database)
        yield server
    finally:
        with contextlib.suppress(ServerError, subprocess.TimeoutExpired):
            server.stop("immediate")
        shutil.rmtree(home, ignore_errors=True)


def _create_database(server: PostgresServer, user: str, database: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        done = subprocess.run(
            [str(server.bin / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "-U", user, database],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise ServerError(f"createdb failed: {done.stderr[-2000:]}")
        time.sleep(0.2)
