"""What a view is: a chart subject drawn, with the rows behind it and what it says about them.

A view function takes data and options and returns a :class:`View`; the pages, the
report, the presentation, the CLI's ``chart`` command and the deck all show that
same object, so none of them re-derives a figure, its rows or its caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept light: the CLI reads the view registry before it needs plotly
    import pandas as pd
    import plotly.graph_objects as go


@dataclass(frozen=True)
class Metric:
    """A headline number shown with a view (label, formatted value, an optional explanation)."""

    label: str
    value: str
    help: str = ""


@dataclass(frozen=True)
class View:
    """A built chart: the figure, the rows it draws, its title, its source caption and reading notes."""

    fig: go.Figure
    rows: pd.DataFrame
    title: str
    caption: str
    note: str = ""
    metrics: tuple[Metric, ...] = ()
    quotes_user_text: bool = False  # the caption names the operator's file and headers: show it escaped


class NothingToDraw(ValueError):
    """The data holds nothing this view can draw; the message says what is missing."""


def title_of(fig: go.Figure) -> str:
    """The figure's own title text ('' if it has none)."""
    return str(fig.layout.title.text or "")
