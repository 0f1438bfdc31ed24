"""Numbers as text, one rule each, so a figure reads the same on the page, in a link, a report and a command.

- :func:`exact` -- the shortest text that reads back as the same number (links, saved
  commands): ``16``, ``0.15``, ``1.2000000000000002``;
- :func:`fixed` -- thousands separators, fixed decimals and a unit (``1,234.5 kW``), ``n/a``
  for a missing value (headline figures and tables);
- :func:`short` -- thousands separators, no trailing ``.0`` (chart hovers and labels);
- :func:`trimmed` -- thousands separators, at most three decimals, no trailing zeros (report
  and command-line table cells);
- :func:`year` -- a year, or what to say when the horizon ends first;
- :func:`to_widget` / :func:`from_widget` -- a fraction as the percent a widget shows, and back.
"""

from __future__ import annotations

import math


def exact(value: float | int) -> str:
    """Shortest text that reads back as the same number (repr of a float round-trips)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def fixed(value: float | int | None, unit: str = "", decimals: int = 1) -> str:
    """A number with thousands separators, fixed decimals and its unit ('n/a' for None)."""
    if value is None:
        return "n/a"
    text = f"{value:,.{decimals}f}"
    return f"{text} {unit}" if unit else text


def short(value: float, digits: int = 1) -> str:
    """A number for hover and labels: no trailing '.0', thousands separated ('n/a' for a missing one)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    try:
        if float(value).is_integer():
            return f"{int(value):,}"
    except (TypeError, ValueError):
        return "n/a"
    return f"{value:,.{digits}f}"


def trimmed(value: float, decimals: int = 3) -> str:
    """A float with thousands separators and at most ``decimals`` decimals, trailing zeros dropped."""
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def year(value: int | None, later: str = "after 2035") -> str:
    """A year as text, or ``later`` when nothing happens within the horizon."""
    return str(value) if value is not None else later


def to_widget(value: float, scale: float) -> float:
    """A value in the unit a widget shows (a fraction x 100 for a percent), rounded off float noise."""
    return round(value * scale, 6) if scale != 1 else value


def from_widget(value: float, scale: float) -> float:
    """A widget's value back in the engine's unit."""
    return float(value) / scale if scale != 1 else float(value)
