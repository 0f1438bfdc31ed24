"""What a view is: a chart subject drawn, with the rows behind it and what it says about them.

A view function takes data and options and returns a :class:`View`; the pages, the
report, the presentation, the CLI's ``chart`` command and the deck all show that
same object, so none of them re-derives a figure, its rows or its caption.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


# What a view raises on data of a shape it was not written for (no rows, one row, every value
# missing, one instant): pandas' and numpy's errors, and DuckDB's on a value it cannot compute.
_DATA_SHAPE_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    ZeroDivisionError,
    OverflowError,
)


def _duckdb_data_errors() -> tuple[type[BaseException], ...]:
    import duckdb  # noqa: PLC0415 - the CLI reads the registries without loading DuckDB's classes here

    from factorycore import store  # noqa: PLC0415 - as duckdb: the facility store says the same as BadValue

    return (duckdb.InvalidInputException, duckdb.ConversionException, duckdb.OutOfRangeException, store.BadValue)


def degrade(build: Callable[..., View], *args: Any, **kwargs: Any) -> View:
    """``build(*args, **kwargs)``, with a view that fails on its data turned into :class:`NothingToDraw`.

    The shared guard of the site views: whatever a view was not written for, the page
    shows one sentence naming the view and the error, never a traceback. A damaged store
    is not the data's shape: DuckDB's I/O errors pass (the page says "damaged database").
    """
    try:
        return build(*args, **kwargs)
    except NothingToDraw:
        raise
    except (*_DATA_SHAPE_ERRORS, *_duckdb_data_errors()) as exc:
        name = getattr(build, "__name__", "view").removesuffix("_view").replace("_", " ")
        logging.getLogger(__name__).warning("view %s cannot draw this dataset", name, exc_info=True)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise NothingToDraw(
            f"The {name} view cannot be drawn from this dataset ({type(exc).__name__}: {first}); "
            "the other views and the dataset itself are unaffected."
        ) from exc
