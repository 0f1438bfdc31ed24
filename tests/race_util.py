"""Helpers for the concurrency tests: run the same work in threads released at once."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Callable


def race(workers: int, work: Callable[[int], object]) -> list[BaseException]:
    """Run ``work(i)`` in ``workers`` threads released together; the exceptions they raised."""
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - the test reports every failure
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def kill_inside_transaction(proc: subprocess.Popen) -> None:
    """SIGKILL an ingest paused by ``FACTORY_INGEST_TEST_PAUSE_S`` once it says its transaction is open; reap it."""
    try:
        line = proc.stderr.readline()  # written once both new tables exist, before COMMIT
        assert "transaction open" in line, line
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
