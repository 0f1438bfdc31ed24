"""CSV export that a spreadsheet cannot execute.

Any text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
prefixed with a single quote (OWASP's advice for CSV injection), so a value such
as ``=HYPERLINK(...)`` from an uploaded file is shown, never evaluated. Numbers
are left alone: a negative number is data, not a formula.
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a formula-looking string with a quote; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with text cells and headers neutralised: what any export of it may carry.

    The app's own CSV buttons write this; tables on the pages show it too, so the
    grid's built-in "Download as CSV" and copy to clipboard export the same safe text.
    """
    safe = frame.copy()
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    # By position: column names may repeat (safe[name] would then be a frame, not a column).
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            safe.isetitem(i, column.map(neutralise))
    return safe


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV bytes of ``frame`` with text cells and headers neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8")
