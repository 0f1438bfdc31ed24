"""The one way a page shows a table: formula-leading text neutralised before the grid sees it.

Streamlit's grid has its own "Download as CSV" (and copy to clipboard) in the table
toolbar, which exports the cells as displayed. Every table goes through
:func:`safe_table`, so that export carries the same neutralised text as the app's
"Download data (CSV)" buttons (``factorycore.safe_csv``: one rule for both).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from factorycore.safe_csv import neutralise, neutralise_frame


def safe_table(data: pd.DataFrame | Mapping[str, Any], **options: Any) -> Any:
    """``st.dataframe(data, **options)`` with text cells, headers and index values neutralised."""
    frame = neutralise_frame(data if isinstance(data, pd.DataFrame) else pd.DataFrame(data))
    if frame.index.dtype == object or pd.api.types.is_string_dtype(frame.index):
        frame.index = frame.index.map(neutralise)
    return st.dataframe(frame, **options)
