"""Small pieces every article chart shares: status markers, source names, hover text.

A reported number and a modelled one must never look alike, so every builder draws
status the same way: filled markers for reported values, diamonds for derived ones,
hollow markers (and dashed lines) for modelled estimates. Hover text always names
the unit, the status and the source.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from factorycore import numbers

STATUS_SYMBOLS: dict[str, str] = {
    "reported": "circle",
    "derived": "diamond",
    "modelled": "circle-open",
    "unverified": "x-open",
}
STATUS_LEGEND_NOTE = (
    "Filled = reported, diamond = derived, hollow or hatched = modelled estimate, "
    "cross = unverified (found in no document read)"
)


def marker_symbol(status: str, base: str = "circle") -> str:
    """Plotly marker symbol for a row's status: hollow when modelled, a cross when unverified."""
    if status == "unverified":
        return "x-open"
    if status == "modelled":
        return f"{base}-open"
    if status == "derived" and base == "circle":
        return "diamond"
    return base


def source_names(rows: pd.DataFrame, sources: pd.DataFrame | None) -> pd.Series:
    """'Publisher (year)' per row where the sources table is given, else the source_id."""
    ids = rows["source_id"].astype(str) if "source_id" in rows else pd.Series("", index=rows.index)
    if sources is None or sources.empty:
        return ids
    names: dict[str, str] = {}
    for src in sources.itertuples():
        year = f" {int(src.year)}" if pd.notna(src.year) else ""
        names[str(src.source_id)] = f"{src.publisher}{year}"
    return ids.map(lambda sid: names.get(sid, sid))


def status_of(values: Iterable[str]) -> str:
    """The weakest status among several rows (unverified < modelled < derived < reported)."""
    seen = set(values)
    for status in ("unverified", "modelled", "derived"):
        if status in seen:
            return status
    return "reported"


fmt_number = numbers.short  # a number for hover and labels (factorycore.numbers: one rule per kind)


def empty_message(fig, text: str):  # noqa: ANN001, ANN201 - go.Figure in, same out
    """Write a centred note on a figure that has nothing to draw."""
    fig.add_annotation(text=text, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 18})
    return fig


def plain_label(text: object) -> str:
    """User text (rack ids, dataset and scenario names) made inert for Plotly.

    Plotly renders <b>, <a href>, <span style> and the like in labels, tick text, hover
    text and annotations, so ``<``, ``>`` and ``&`` are escaped.
    """
    return html.escape(str(text), quote=False)
