"""CSV export that a spreadsheet cannot execute.

Any text cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
prefixed with a single quote (OWASP's advice for CSV injection), so a value such
as ``=HYPERLINK(...)`` from an uploaded file is shown, never evaluated. Numbers
are left alone: a negative number is data, not a formula. ``{=`` (an array formula,
which a workbook writer such as XlsxWriter stores as a live one) is quoted too.

The same rule covers every file the product writes: the CSV buttons, the grids' own
exports (``ui.tables``), and the workbooks embedded in a deck's native charts
(``factorycore.export.pptx_charts``).
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "{=")


def neutralise(value: object) -> object:
    """Prefix a formula-looking string with a quote; other values pass through."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with text cells and headers neutralised: what any export of it may carry.

    The app's own CSV buttons write this; tables on the pages show it too, so the
    grid's built-in "Download as CSV" and copy to clipboard export the same safe text.
    A column is rewritten only when one of its cells needs the quote (a vectorised test
    first), so a table with no formula-like text costs a shallow copy.
    """
    safe = frame.copy(deep=False)  # copy-on-write: changing the copy's columns leaves ``frame`` alone
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    # By position: column names may repeat (safe[name] would then be a frame, not a column).
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        if column.dtype == object:
            risky = any(isinstance(v, str) and v.startswith(FORMULA_PREFIXES) for v in column)
        else:
            risky = bool(column.str.startswith(FORMULA_PREFIXES, na=False).any())
        if risky:
            safe.isetitem(i, column.map(neutralise))
    return safe


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV bytes of ``frame`` with text cells and headers neutralised."""
    return neutralise_frame(frame).to_csv(index=False).encode("utf-8")
