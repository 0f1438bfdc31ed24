"""The field sheet: every reporting field in the order of the regulation's list, as CSV and XLSX.

Text that a spreadsheet would run as a formula (a site name such as ``=HYPERLINK(...)``) is
neutralised by :mod:`factorycore.safe_csv`'s rule in both files.
"""

from __future__ import annotations

import io

import pandas as pd

from factorycore.compliance.assess import Assessment
from factorycore.safe_csv import neutralise, neutralise_frame, to_safe_csv

COLUMNS = ("order", "field", "name", "value", "unit", "how", "source_id", "status")


def frame(assessment: Assessment) -> pd.DataFrame:
    """One row per field, in sheet order; ``how`` is measured, computed, typed or missing."""
    rows = [{c: f[c] for c in COLUMNS} for f in assessment.fields]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def to_csv(assessment: Assessment) -> bytes:
    """The sheet as UTF-8 CSV, formula-leading text neutralised."""
    return to_safe_csv(frame(assessment))


def to_xlsx(assessment: Assessment) -> bytes:
    """The sheet as an .xlsx workbook (one sheet, plus a sheet of how it was computed)."""
    from openpyxl import Workbook  # noqa: PLC0415 - only the export needs it

    book = Workbook()
    sheet = book.active
    sheet.title = f"Fields {assessment.year}"
    safe = neutralise_frame(frame(assessment))
    sheet.append(list(safe.columns))
    for row in safe.itertuples(index=False):
        sheet.append([None if (isinstance(v, float) and v != v) else v for v in row])
    about = book.create_sheet("How computed")
    k = assessment.kpis
    lines = [
        ["year", assessment.year],
        ["regime", assessment.regime],
        ["site", neutralise(k.site or "")],
        ["interval_s", k.interval_s],
        ["coverage_pct", k.coverage_pct],
        ["missing_intervals", k.missing_intervals],
        ["PUE", "E_DC / E_IT, energies summed over the year (not an average of ratios)"],
        ["WUE", "water input in litres / E_IT in kWh"],
        ["ERF", "reused heat energy / E_DC"],
        ["REF", "renewable energy / E_DC"],
        *[["note", neutralise(m)] for m in k.messages],
    ]
    for line in lines:
        about.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
