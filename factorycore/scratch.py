"""The product's temporary files and folders: every prefix, and the one sweep of what a crash left.

Each temporary copy or work folder the product makes is removed by its maker in a
``finally``; a process killed mid-way (``kill -9``, an out-of-memory kill, a power cut)
leaves it behind. :func:`remove_stale` deletes, from the system's temporary folder,
anything older than :data:`STALE_AGE_S` whose name starts with one of :data:`PREFIXES`.
No upload, conversion, report or copy runs for an hour, so an old one is nobody's.

A new kind of temporary file takes its prefix from :data:`PREFIXES` (a test fails
on a ``tempfile`` call whose prefix is not listed here), so the sweep knows it.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

PREFIXES: dict[str, str] = {
    "ingest": "factory-ingest-",  # ingest's own work folder (a decompressed or renamed copy)
    "upload": "facility-upload-",  # the app's copy of an uploaded file
    "convert": "factory-convert-",  # ingest converting a workbook, Parquet or DCGM file to CSV
    "upload-convert": "facility-convert-",  # the app converting an upload before it asks about mapping
    "prometheus": "factory-prometheus-",  # a live Prometheus pull written as query_range JSON
    "pdf": "factory-pdf-",  # the PDF report's HTML and the browser profile that prints it
    "pgcopy": "factory-pgcopy-",  # a table copied into the team store through a CSV
    "energy": "factory-energy-",  # energy registers converted to interval CSVs before ingest
    "weather": "factory-weather-",  # an uploaded weather file, read by its name's suffix
}
STALE_AGE_S = 3600.0
SWEEP_INTERVAL_S = 600.0  # a process sweeps at most this often (a busy /tmp's listing costs a few ms)
_swept: dict[str, float] = {}


def prefix(purpose: str) -> str:
    """The name prefix of one kind of temporary file (``KeyError`` for one not listed)."""
    return PREFIXES[purpose]


def mkdtemp(purpose: str) -> Path:
    """A new temporary folder for ``purpose``, named so the sweep knows it (sweeping first if due)."""
    sweep_if_due()
    return Path(tempfile.mkdtemp(prefix=PREFIXES[purpose]))


def remove_stale(max_age_s: float = STALE_AGE_S, folder: Path | None = None) -> int:
    """Delete the product's temporary files and folders older than ``max_age_s``; return how many."""
    removed = 0
    cutoff = time.time() - max_age_s
    known = tuple(PREFIXES.values())
    for entry in Path(folder or tempfile.gettempdir()).glob("*"):
        if not entry.name.startswith(known):
            continue
        try:
            if entry.lstat().st_mtime >= cutoff:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed += 1
        except OSError:  # removed meanwhile by another process, or not ours to remove
            continue
    return removed


def sweep_if_due() -> int:
    """:func:`remove_stale` if this process last swept the temporary folder over ``SWEEP_INTERVAL_S`` ago."""
    folder = tempfile.gettempdir()
    now = time.monotonic()
    last = _swept.get(folder)
    if last is not None and now - last < SWEEP_INTERVAL_S:
        return 0
    _swept[folder] = now
    return remove_stale()


__all__ = ["PREFIXES", "STALE_AGE_S", "mkdtemp", "prefix", "remove_stale", "sweep_if_due"]
