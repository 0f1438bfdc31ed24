"""What every file converter shares: the :class:`Conversion` record, the header finder, a cell as CSV text.

The Excel, Parquet and DCGM converters (``formats``, ``xlsx_reader``, ``dcgm_text``) each turn a file into
the CSV that ingest then validates; this module holds what they all read, so none imports another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factorycore.userdata.detect import EXPECTED, Column, UnreadableFile, detect_kind, normalise_header

HEADER_SCAN_ROWS = 30
NOTE_LIMIT = 50
EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)


@dataclass
class Conversion:
    """The CSV that stands for the file, and what converting it found."""

    path: Path
    source_format: str
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kind: str | None = None  # the kind the format implies (DCGM -> telemetry), else detected
    # CSV columns (0-based) the converter wrote from number cells only, with a decimal point: ingest
    # has no decimal mark to decide for them (a workbook's 1.234 is a number, not text in some locale).
    number_cells: frozenset[int] = frozenset()

    def note(self, text: str) -> None:
        """Keep a finding (the first NOTE_LIMIT; the rest are counted)."""
        if len(self.notes) < NOTE_LIMIT:
            self.notes.append(text)
        else:
            self.details["notes_not_shown"] = self.details.get("notes_not_shown", 0) + 1

    def as_details(self) -> dict[str, Any]:
        """What the catalog keeps about the conversion."""
        return {"source_format": self.source_format, **self.details, "notes": self.notes}


def unreadable(message: str) -> UnreadableFile:
    """One line: what is wrong with the file, then what was expected."""
    return UnreadableFile(f"{message}; {EXPECTED}")


def cell_text(value: Any) -> str:
    """A cell value as CSV text: ISO timestamps, plain numbers, '' for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else str(int(value))
    return str(value)


def _header_score(values: tuple[Any, ...]) -> int:
    columns = []
    for i, value in enumerate(values):
        if isinstance(value, str) and value.strip():
            name, unit = normalise_header(value)
            columns.append(Column(index=i, header=value, name=name, unit=unit))
    if len(columns) < 2:
        return 0
    return max(detect_kind(columns)[5].values(), default=0)


def _two_row_header(parent: tuple[Any, ...], child: tuple[Any, ...]) -> list[str]:
    """One header from two rows with merged cells (read empty but for their top-left cell).

    A cell merged down ("Rack" over rows 1-2) keeps the parent's text; a parent merged
    across ("Power (kW)" over Design and Measured) is carried right over the children
    below it, giving "Design Power (kW)" and "Measured Power (kW)".
    """
    width = max(len(parent), len(child))
    top = [cell_text(parent[j]).strip() if j < len(parent) else "" for j in range(width)]
    low = [cell_text(child[j]).strip() if j < len(child) else "" for j in range(width)]
    for j in range(1, width):
        if not top[j] and low[j] and low[j - 1]:
            top[j] = top[j - 1]
    return [f"{b} {a}".strip() for a, b in zip(top, low)]


def find_header(head: list[tuple[Any, ...]]) -> tuple[list[str], int] | None:
    """(header texts, index of the last header row) of the best-scoring one- or two-row header."""
    best: tuple[int, int, int, list[str]] | None = None  # (score, -rows, -index, header)
    for i, row in enumerate(head):
        candidates = [(1, [cell_text(v).strip() for v in row])]
        if i + 1 < len(head):
            candidates.append((2, _two_row_header(row, head[i + 1])))
        for rows, texts in candidates:
            score = _header_score(tuple(t or None for t in texts))
            key = (score, -rows, -i, texts)
            if score and (best is None or key[:3] > best[:3]):
                best = key
    if best is None:
        return None
    _, rows, index, texts = best
    last = -index + (-rows) - 1
    return [t or f"column_{column_letter(j)}" for j, t in enumerate(texts)], last


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def note_sheet_rows(conv: Conversion, written: int, skipped: int, at: int) -> Conversion:
    """Record how many sheet rows became CSV rows, and how a problem's row number maps to the sheet's
    (both Excel readers: blank rows skipped change the count)."""
    conv.details.update({"rows_written": written, "blank_rows_skipped": skipped})
    if skipped:
        conv.note(
            f"{skipped:,} blank row(s) skipped; problem row numbers count the rows after the header "
            f"(sheet row {at + 1}) without them"
        )
    else:
        conv.note(f"problem row N is sheet row N + {at + 1}")
    return conv


# --- Parquet ----------------------------------------------------------------------------


def sql_path(path: Path) -> str:
    """Our own temp path as an SQL literal (it holds no quotes; asserted)."""
    text = str(path)
    assert "'" not in text
    return text
