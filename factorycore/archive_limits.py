"""Bounds on what a compressed file expands to: the one check every archive the product opens passes first.

A file's size says little about what reading it costs: a 1.6 MB PowerPoint template can
name a 1.5 GB zero-filled picture, and a 66 MB workbook can hold 1 GB of shared strings
that openpyxl turns into Python strings before the first row. So every archive is judged
by what it expands to, per part and in total, before any reader opens it, and refused with
a message that says the limit and what to do instead:

* ZIP packages (``.pptx`` templates, ``.xlsx`` workbooks): :func:`check_zip` reads the
  central directory (a few KB) and compares each member's declared expanded size with a
  per-part limit (a table of name patterns, first match wins) and the sum with a total.
  The declared sizes are binding: Python's ``zipfile`` (which python-pptx and openpyxl
  read through) stops a member at its declared size and fails its CRC check, so a member
  that lies about its size cannot expand further.
* Parquet: :func:`check_parquet` sums the column chunks' ``total_uncompressed_size`` from
  the file's footer (DuckDB's ``parquet_metadata``), bounds the row count, then measures the
  text the rows make (a dictionary-encoded value repeated over many rows is stored once).
* gzip: the CSV path counts expanded bytes as it streams (``ingest.MAX_GZIP_EXPANDED_BYTES``).
"""

from __future__ import annotations

import fnmatch
import io
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

MB = 1024**2


class ArchiveTooLarge(ValueError):
    """An archive (or one part of it) expands beyond its limit; the message names the limit."""


@dataclass(frozen=True)
class ZipLimits:
    """What one kind of ZIP package may expand to.

    ``parts`` is ``(pattern, max_bytes)`` pairs matched in order against each member's
    name (``fnmatch``, case-insensitive); a member no pattern matches gets ``other_max_bytes``.
    ``what`` names the package in messages ("the template", "the workbook"); ``advice``
    ends a refusal with what the user can do.
    """

    what: str
    total_max_bytes: int
    other_max_bytes: int
    parts: Sequence[tuple[str, int]] = ()
    advice: str = ""

    def part_limit(self, name: str) -> int:
        """The expanded-size limit of the member called ``name``."""
        lowered = name.lower()
        for pattern, limit in self.parts:
            if fnmatch.fnmatchcase(lowered, pattern.lower()):
                return limit
        return self.other_max_bytes


# A deck template: slide masters, layouts, a theme, a few logos and backgrounds.
TEMPLATE_LIMITS = ZipLimits(
    what="the template",
    total_max_bytes=100 * MB,
    other_max_bytes=5 * MB,
    parts=(("ppt/media/*", 20 * MB), ("ppt/embeddings/*", 20 * MB), ("ppt/fonts/*", 20 * MB)),
    advice="compress its pictures (File > Compress Pictures) or remove the large ones from its masters and layouts",
)

# A workbook: openpyxl streams a worksheet, but loads shared strings, styles and the rest whole.
WORKBOOK_LIMITS = ZipLimits(
    what="the workbook",
    total_max_bytes=1024 * MB,
    other_max_bytes=16 * MB,
    parts=(("xl/worksheets/*.xml", 1024 * MB), ("xl/sharedstrings.xml", 32 * MB), ("xl/media/*", 64 * MB)),
    advice="save the sheet as CSV (File > Save As > CSV UTF-8) and upload that",
)

# A Parquet file's columns, as stored before compression, and its rows (a dictionary-encoded
# column expands by its row count, which its stored size does not show).
PARQUET_MAX_EXPANDED_BYTES = 2048 * MB
PARQUET_MAX_ROWS = 50_000_000


def _size(n: int) -> str:
    """Bytes as MB or GB, for a message."""
    return f"{n / 1024**3:,.1f} GB" if n >= 1024**3 else f"{n / MB:,.1f} MB"


def check_zip(source: bytes | str | os.PathLike[str] | IO[bytes], limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The members of the ZIP ``source`` after checking each part and the total against ``limits``.

    Reads only the central directory. Raises :class:`ArchiveTooLarge` for a part or a total
    over its limit, ``zipfile.BadZipFile`` for a file that is not a ZIP.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(handle) as archive:
        members = archive.infolist()
    total = 0
    for member in members:
        limit = limits.part_limit(member.filename)
        if member.file_size > limit:
            raise ArchiveTooLarge(
                f"{limits.what}'s part {member.filename[:120]!r} expands to {_size(member.file_size)} "
                f"(from {_size(member.compress_size)} stored); a part of this kind may expand to at most "
                f"{_size(limit)}" + (f": {limits.advice}" if limits.advice else "")
            )
        total += member.file_size
    if total > limits.total_max_bytes:
        raise ArchiveTooLarge(
            f"{limits.what} expands to {_size(total)} in all; at most {_size(limits.total_max_bytes)} is read"
            + (f": {limits.advice}" if limits.advice else "")
        )
    return members


def check_parquet(cur: object, path: Path, max_bytes: int | None = None, max_rows: int | None = None) -> int:
    """The expanded size of the Parquet file at ``path`` (its footer's uncompressed column sizes),
    refused with :class:`ArchiveTooLarge` over ``max_bytes`` or ``max_rows`` (defaults:
    :data:`PARQUET_MAX_EXPANDED_BYTES`, :data:`PARQUET_MAX_ROWS`). ``cur`` is a DuckDB cursor."""
    max_bytes = PARQUET_MAX_EXPANDED_BYTES if max_bytes is None else max_bytes
    max_rows = PARQUET_MAX_ROWS if max_rows is None else max_rows
    row = cur.execute(  # type: ignore[attr-defined]
        "SELECT coalesce(sum(total_uncompressed_size), 0) FROM parquet_metadata(?)", [str(path)]
    ).fetchone()
    expanded = int(row[0] or 0)
    rows = int(
        cur.execute("SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata(?)", [str(path)]).fetchone()[0] or 0  # type: ignore[attr-defined]
    )
    if rows > max_rows:
        raise ArchiveTooLarge(
            f"the Parquet file holds {rows:,} rows; at most {max_rows:,} are read (split it, or upload a part of it)"
        )
    if expanded > max_bytes:
        raise ArchiveTooLarge(
            f"the Parquet file's columns expand to {_size(expanded)}; at most {_size(max_bytes)} is read "
            "(split it, or upload a part of it)"
        )
    # A dictionary-encoded column stores a value once however many rows repeat it: measure the
    # text the rows make (what the CSV conversion would write), streaming, no column named in SQL.
    sums = cur.execute(  # type: ignore[attr-defined]
        "SELECT sum(strlen(CAST(COLUMNS(*) AS VARCHAR))) FROM read_parquet(?)", [str(path)]
    ).fetchone()
    text = sum(int(v or 0) for v in sums) + rows * max(1, len(sums))
    if text > max_bytes:
        raise ArchiveTooLarge(
            f"the Parquet file's rows expand to {_size(text)} of text; at most {_size(max_bytes)} is read "
            "(split it, or upload a part of it)"
        )
    return max(expanded, text)


__all__ = [
    "PARQUET_MAX_EXPANDED_BYTES",
    "TEMPLATE_LIMITS",
    "WORKBOOK_LIMITS",
    "ArchiveTooLarge",
    "ZipLimits",
    "check_parquet",
    "check_zip",
]
