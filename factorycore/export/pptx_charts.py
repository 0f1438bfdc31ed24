"""Plotly figures as native PowerPoint charts, so a deck's numbers stay editable.

:func:`native_panels` reads a figure's traces and returns one :class:`Panel` per
subplot when every trace has a PowerPoint equivalent: scatter lines and markers with
numeric or date x -> XY scatter, with category x -> line chart; bars -> clustered
bars, or stacked when ``barmode`` is ``stack`` (horizontal when the bars are);
``fill="tozeroy"`` or ``stackgroup`` traces sharing their x -> area (stacked) chart.
A ``tonexty`` band (the low-high ranges) becomes its two edges as thin lines: a native
chart cannot fill between two XY lines. Anything else returns ``None`` and the deck
places a picture instead: Sankey, treemap, icicle, heatmap, polar traces, floating
bars (``base``), overlaid bars, a second y axis over the first, or an empty figure.

:func:`add_panel` draws a panel on a slide with python-pptx: the data go into the
chart's embedded workbook (PowerPoint's Edit Data), and colours, dashes, hollow
markers, hatched bars, point labels, log axes, hidden legend entries follow the figure.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN_TYPE
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Pt

from factorycore.charts import theme
from factorycore.safe_csv import neutralise

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TAGS = re.compile(r"<[^>]+>")

_DASHES: dict[str, MSO_LINE_DASH_STYLE] = {
    "dash": MSO_LINE_DASH_STYLE.DASH,
    "dot": MSO_LINE_DASH_STYLE.ROUND_DOT,
    "dashdot": MSO_LINE_DASH_STYLE.DASH_DOT,
    "longdash": MSO_LINE_DASH_STYLE.LONG_DASH,
    "longdashdot": MSO_LINE_DASH_STYLE.LONG_DASH_DOT,
}
_SYMBOLS: dict[str, XL_MARKER_STYLE] = {
    "circle": XL_MARKER_STYLE.CIRCLE,
    "square": XL_MARKER_STYLE.SQUARE,
    "diamond": XL_MARKER_STYLE.DIAMOND,
    "triangle-up": XL_MARKER_STYLE.TRIANGLE,
    "x": XL_MARKER_STYLE.X,
    "cross": XL_MARKER_STYLE.PLUS,
    "star": XL_MARKER_STYLE.STAR,
}
_PATTERNS: dict[str, MSO_PATTERN_TYPE] = {
    "/": MSO_PATTERN_TYPE.WIDE_UPWARD_DIAGONAL,
    "\\": MSO_PATTERN_TYPE.WIDE_DOWNWARD_DIAGONAL,
    "x": MSO_PATTERN_TYPE.DIAGONAL_CROSS,
    "-": MSO_PATTERN_TYPE.LIGHT_HORIZONTAL,
    "|": MSO_PATTERN_TYPE.LIGHT_VERTICAL,
    "+": MSO_PATTERN_TYPE.SMALL_GRID,
    ".": MSO_PATTERN_TYPE.PERCENT_20,
}
_LABEL_POSITIONS: dict[str, XL_LABEL_POSITION] = {
    "left": XL_LABEL_POSITION.LEFT,
    "right": XL_LABEL_POSITION.RIGHT,
    "top": XL_LABEL_POSITION.ABOVE,
    "bottom": XL_LABEL_POSITION.BELOW,
    "middle": XL_LABEL_POSITION.CENTER,
}


def xml_safe(value: Any) -> str:
    """Text with the characters XML 1.0 forbids (most control characters, lone surrogates)
    removed: python-pptx escapes markup, but one such character makes the file unreadable."""
    return _XML_FORBIDDEN.sub("", str(value))


def clean_text(value: Any) -> str:
    """Plotly label text as plain text: its markup (``<br>``, ``<b>``) dropped and its entities
    (user text arrives escaped, see ``charts._common.plain_label``) decoded, then :func:`xml_safe`."""
    text = str(value)
    if "<" in text:
        text = _TAGS.sub(" ", text)
    return xml_safe(html.unescape(text))


@dataclass
class Series:
    """One chart series: its points, and how the figure drew them."""

    name: str
    x: list[Any]
    y: list[float | None]
    colour: str | None = None
    lines: bool = True
    markers: bool = False
    dash: str | None = None
    line_width_pt: float | None = None
    marker_size: int | None = None
    symbols: list[str] = field(default_factory=list)  # one per point, or empty
    point_colours: list[str] = field(default_factory=list)  # one per point (bars), or empty
    patterns: list[str] = field(default_factory=list)  # one per point (bars), or empty
    labels: list[str] = field(default_factory=list)  # text shown beside each point, or empty
    label_positions: list[str] = field(default_factory=list)
    in_legend: bool = True


@dataclass
class Panel:
    """One native chart: a chart kind, its series and axes, and where it sits in the figure."""

    kind: XL_CHART_TYPE
    series: list[Series]
    categories: list[str] | None = None  # for category charts (bars, lines over text x, areas)
    x_title: str = ""
    y_title: str = ""
    title: str = ""
    log_y: bool = False
    x_dates: bool = False
    y_suffix: str = ""
    reverse_categories: bool = False
    hide_category_labels: bool = False
    y_from_zero: bool = False  # bars always include zero in Plotly; lines when rangemode is tozero
    domain: tuple[float, float, float, float] = (0.0, 1.0, 0.0, 1.0)  # x0, x1, y0, y1 (paper)

    @property
    def kind_name(self) -> str:
        """The chart kind as PowerPoint names it (e.g. ``XY_SCATTER_LINES``)."""
        return self.kind.name


# --------------------------------------------------------------------------- reading the figure


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _is_date(value: Any) -> bool:
    return isinstance(value, (dt.date, np.datetime64, pd.Timestamp))


def _excel_serial(value: Any) -> float:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return (stamp.to_pydatetime() - EXCEL_EPOCH).total_seconds() / 86400.0


def _number(value: Any) -> float | None:
    if value is None or not _is_number(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _as_list(values: Any) -> list[Any]:
    if values is None:
        return []
    if isinstance(values, (str, bytes)):
        return [values]
    return list(values)


def _per_point(value: Any, n: int) -> list[Any]:
    """A per-point attribute as a list of ``n`` (a scalar repeated), or empty when unset."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, np.ndarray)):
        values = list(value)
        return (values + [values[-1]] * n)[:n] if values else []
    return [value] * n


def _axis(fig: go.Figure, ref: str | None, letter: str) -> Any:
    suffix = (ref or letter)[1:]
    return fig.layout[f"{letter}axis{suffix}"]


def _axis_title(axis: Any) -> str:
    text = axis.title.text if axis is not None and axis.title is not None else None
    return clean_text(text).strip() if text else ""


def _colour(trace: Any, index: int) -> str | None:
    for candidate in (
        getattr(getattr(trace, "line", None), "color", None),
        getattr(getattr(trace, "marker", None), "color", None),
    ):
        if isinstance(candidate, str):
            return candidate
    colorway = theme.OKABE_ITO
    return colorway[index % len(colorway)]


def parse_colour(text: str | None) -> RGBColor | None:
    """``#rrggbb``, ``#rgb``, ``rgb(r,g,b)`` or ``rgba(r,g,b,a)`` (alpha dropped) as an RGBColor."""
    if not text:
        return None
    value = text.strip().lower()
    if re.fullmatch(r"#[0-9a-f]{6}", value):
        return RGBColor.from_string(value[1:].upper())
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        return RGBColor.from_string("".join(c * 2 for c in value[1:]).upper())
    match = re.fullmatch(r"rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(,\s*[\d.]+\s*)?\)", value)
    if match:
        return RGBColor(*(min(255, int(float(match.group(i)))) for i in (1, 2, 3)))
    named = {"white": "FFFFFF", "black": "000000", "grey": "808080", "gray": "808080"}
    return RGBColor.from_string(named[value]) if value in named else None


def _visible(trace: Any) -> bool:
    return trace.visible not in (False, "legendonly")


def _panel_key(trace: Any) -> tuple[str, str]:
    return (getattr(trace, "xaxis", None) or "x", getattr(trace, "yaxis", None) or "y")


def _panel_title(fig: go.Figure, x_domain: Sequence[float], y_top: float, many: bool) -> str:
    """The subplot title make_subplots puts above a panel (an annotation centred over its domain)."""
    if not many:
        return ""
    for note in fig.layout.annotations or ():
        if (
            note.xref == "paper"
            and note.yref == "paper"
            and note.x is not None
            and note.y is not None
            and x_domain[0] <= note.x <= x_domain[1]
            and abs(note.y - y_top) < 0.02
            and note.text
        ):
            return clean_text(note.text).strip()
    return ""


def native_panels(fig: go.Figure) -> list[Panel] | None:
    """The figure as native chart panels (one per subplot), or ``None`` when it needs a picture."""
    traces = [t for t in fig.data if _visible(t)]
    if not traces or any(t.type not in ("scatter", "scattergl", "bar") for t in traces):
        return None
    groups: dict[tuple[str, str], list[Any]] = {}
    for trace in traces:
        groups.setdefault(_panel_key(trace), []).append(trace)
    if any(_axis(fig, key[1], "y").overlaying for key in groups):
        return None
    panels = []
    for (x_ref, y_ref), group in groups.items():
        kinds = {"bar" if t.type == "bar" else "scatter" for t in group}
        if len(kinds) > 1:
            return None
        panel = _bar_panel(fig, group) if kinds == {"bar"} else _scatter_panel(fig, group)
        if panel is None or not panel.series or not any(v is not None for s in panel.series for v in s.y):
            return None
        x_axis, y_axis = _axis(fig, x_ref, "x"), _axis(fig, y_ref, "y")
        x_domain = tuple(x_axis.domain) if x_axis.domain else (0.0, 1.0)
        y_domain = tuple(y_axis.domain) if y_axis.domain else (0.0, 1.0)
        panel.domain = (float(x_domain[0]), float(x_domain[1]), float(y_domain[0]), float(y_domain[1]))
        panel.title = _panel_title(fig, x_domain, float(y_domain[1]), len(groups) > 1)
        if panel.kind in (XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_STACKED):
            panel.x_title, panel.y_title = _axis_title(y_axis), _axis_title(x_axis)
        else:
            panel.x_title, panel.y_title = _axis_title(x_axis), _axis_title(y_axis)
        panels.append(panel)
    return panels


def native_kind(fig: go.Figure) -> str | None:
    """The PowerPoint chart kind(s) the figure becomes, e.g. ``XY_SCATTER_LINES``; ``None`` = picture."""
    panels = native_panels(fig)
    return None if panels is None else ", ".join(dict.fromkeys(p.kind_name for p in panels))


def _categories(values_per_trace: list[list[Any]], order: Sequence[Any] | None) -> list[Any]:
    seen: dict[Any, None] = {}
    for values in values_per_trace:
        for value in values:
            seen.setdefault(value, None)
    if order:
        listed = [v for v in order if v in seen]
        return listed + [v for v in seen if v not in listed]
    return list(seen)


def _bar_panel(fig: go.Figure, group: list[Any]) -> Panel | None:
    barmode = fig.layout.barmode or "group"
    if barmode not in ("group", "stack") or any(t.base is not None for t in group):
        return None
    horizontal = {t.orientation == "h" for t in group}
    if len(horizontal) > 1:
        return None
    horizontal_bars = horizontal == {True}
    cat_key, val_key = ("y", "x") if horizontal_bars else ("x", "y")
    cat_axis = _axis(fig, getattr(group[0], f"{cat_key}axis", None), cat_key)
    per_trace = [[clean_text(v) for v in _as_list(t[cat_key])] for t in group]
    if any(len(set(c)) != len(c) for c in per_trace):
        return None  # two bars on one category in one trace: no table shape for that
    order = (
        [clean_text(v) for v in cat_axis.categoryarray]
        if cat_axis.categoryorder == "array" and cat_axis.categoryarray is not None
        else None
    )
    categories = _categories(per_trace, order)
    series = []
    for index, (trace, cats) in enumerate(zip(group, per_trace)):
        raw = _as_list(trace[val_key])
        if any(v is not None and not _is_number(v) for v in raw):
            return None
        by_cat = dict(zip(cats, (_number(v) for v in raw)))
        position = {c: i for i, c in enumerate(cats)}

        def spread(values: list[Any], default: Any = "", position: dict[Any, int] = position) -> list[Any]:
            if not values:
                return []
            return [values[position[c]] if c in position and position[c] < len(values) else default for c in categories]

        marker = trace.marker
        colours = spread(_per_point(marker.color, len(cats))) if not isinstance(marker.color, str) else []
        patterns = spread(_per_point(marker.pattern.shape, len(cats))) if marker.pattern is not None else []
        series.append(
            Series(
                name=clean_text(trace.name or f"Series {index + 1}"),
                x=categories,
                y=[by_cat.get(c) for c in categories],
                colour=_colour(trace, index) if isinstance(marker.color, str) or marker.color is None else None,
                point_colours=[c if isinstance(c, str) else "" for c in colours],
                patterns=[p if isinstance(p, str) else "" for p in patterns],
                labels=spread([clean_text(t) for t in _per_point(trace.text, len(cats))]),
                in_legend=trace.showlegend is not False and fig.layout.showlegend is not False,
            )
        )
    if horizontal_bars:
        kind = XL_CHART_TYPE.BAR_STACKED if barmode == "stack" else XL_CHART_TYPE.BAR_CLUSTERED
    else:
        kind = XL_CHART_TYPE.COLUMN_STACKED if barmode == "stack" else XL_CHART_TYPE.COLUMN_CLUSTERED
    value_axis = _axis(fig, getattr(group[0], f"{val_key}axis", None), val_key)
    values = [v for item in series for v in item.y if v is not None]
    return Panel(
        kind=kind,
        series=series,
        categories=categories,
        log_y=value_axis.type == "log",
        y_suffix=clean_text(value_axis.ticksuffix or ""),
        y_from_zero=bool(values) and min(values) >= 0,
        reverse_categories=cat_axis.autorange == "reversed",
        hide_category_labels=cat_axis.showticklabels is False,
    )


def _scatter_series(trace: Any, index: int, xs: list[Any], showlegend: bool) -> Series:
    mode = trace.mode or ("lines+markers" if len(xs) < 20 else "lines")
    n = len(xs)
    marker, line = trace.marker, trace.line
    symbols = [s if isinstance(s, str) else "circle" for s in _per_point(marker.symbol, n)]
    width = line.width if line is not None else None
    text = [clean_text(t) for t in _per_point(trace.text, n)] if "text" in mode else []
    return Series(
        name=clean_text(trace.name or f"Series {index + 1}"),
        x=xs,
        y=[_number(v) for v in _as_list(trace.y)],
        colour=_colour(trace, index),
        lines="lines" in mode and width != 0,
        markers="markers" in mode,
        dash=line.dash if line is not None else None,
        line_width_pt=float(width) * 0.75 if width else None,
        marker_size=int(marker.size) if _is_number(marker.size) else None,
        symbols=symbols,
        labels=text,
        label_positions=[p if isinstance(p, str) else "" for p in _per_point(trace.textposition, n)] if text else [],
        in_legend=trace.showlegend is not False and showlegend,
    )


def _scatter_panel(fig: go.Figure, group: list[Any]) -> Panel | None:
    xs_per_trace = [_as_list(t.x) if t.x is not None else list(range(len(_as_list(t.y)))) for t in group]
    flat = [v for xs in xs_per_trace for v in xs if v is not None]
    if not flat:
        return None
    showlegend = fig.layout.showlegend is not False
    y_axis = _axis(fig, getattr(group[0], "yaxis", None), "y")
    fills = {t.fill or "none" for t in group}
    stacked = any(t.stackgroup for t in group)
    if stacked or fills == {"tozeroy"}:
        return _area_panel(fig, group, xs_per_trace, stacked, showlegend)
    if not fills <= {"none", "tonexty"}:
        return None
    numbers, dates = all(_is_number(v) for v in flat), all(_is_date(v) for v in flat)
    series = []
    for index, (trace, xs) in enumerate(zip(group, xs_per_trace)):
        if dates:
            xs = [_excel_serial(v) if v is not None else None for v in xs]
        item = _scatter_series(trace, index, xs, showlegend)
        if trace.fill == "tonexty" and series:
            # A band: draw both edges as thin lines in the fill colour (a chart cannot fill between them).
            edge = parse_colour(trace.fillcolor) and trace.fillcolor or item.colour
            for band_edge in (series[-1], item):
                if not band_edge.lines:
                    band_edge.lines, band_edge.line_width_pt, band_edge.markers = True, 0.75, False
                    band_edge.colour, band_edge.dash = edge, "dot"
            if trace.name and not group[index - 1].name:
                series[-1].name = clean_text(f"{trace.name} (upper edge)")
            item.name = clean_text(f"{trace.name or 'Range'} (edge)")
        series.append(item)
    any_lines, any_markers = any(s.lines for s in series), any(s.markers for s in series)
    if numbers or dates:
        kind = (
            XL_CHART_TYPE.XY_SCATTER
            if not any_lines
            else XL_CHART_TYPE.XY_SCATTER_LINES
            if any_markers
            else XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
        )
        return Panel(
            kind=kind,
            series=series,
            log_y=y_axis.type == "log",
            x_dates=dates,
            y_suffix=clean_text(y_axis.ticksuffix or ""),
            y_from_zero=y_axis.rangemode == "tozero",
        )
    categories = _categories([[clean_text(v) for v in xs] for xs in xs_per_trace], None)
    for item, xs in zip(series, xs_per_trace):
        by_cat = dict(zip((clean_text(v) for v in xs), item.y))
        item.x, item.y = categories, [by_cat.get(c) for c in categories]
        item.symbols, item.labels, item.label_positions = [], [], []
    return Panel(
        kind=XL_CHART_TYPE.LINE_MARKERS if any_markers else XL_CHART_TYPE.LINE,
        series=series,
        categories=categories,
        log_y=y_axis.type == "log",
        y_suffix=clean_text(y_axis.ticksuffix or ""),
    )


def _area_panel(
    fig: go.Figure, group: list[Any], xs_per_trace: list[list[Any]], stacked: bool, showlegend: bool
) -> Panel | None:
    if any(xs != xs_per_trace[0] for xs in xs_per_trace):
        return None  # an area chart has one category axis for all series
    categories = [clean_text(v) for v in xs_per_trace[0]]
    series = []
    for index, trace in enumerate(group):
        item = _scatter_series(trace, index, categories, showlegend)
        item.colour = trace.fillcolor if parse_colour(trace.fillcolor) else item.colour
        item.labels, item.symbols = [], []
        series.append(item)
    kind = XL_CHART_TYPE.AREA_STACKED if stacked else XL_CHART_TYPE.AREA
    return Panel(kind=kind, series=series, categories=categories)


# --------------------------------------------------------------------------- drawing with python-pptx


def _safe(value: Any) -> Any:
    """A name or category as the chart's embedded workbook may hold it: formula-leading text
    quoted by the one rule every export uses (:func:`factorycore.safe_csv.neutralise`), since
    the workbook writer stores a string that starts with ``=`` as a live formula."""
    return neutralise(value)


def _chart_data(panel: Panel) -> CategoryChartData | XyChartData:
    """The panel's numbers for python-pptx, with every text cell of the embedded workbook neutralised."""
    if panel.categories is None:
        data = XyChartData()
        points = [
            [(float(x), y) for x, y in zip(item.x, item.y) if x is not None and y is not None] for item in panel.series
        ]
        longest = max(len(p) for p in points)
        for index, (item, pairs) in enumerate(zip(panel.series, points)):
            target = data.add_series(_safe(item.name))
            for x, y in pairs:
                target.add_data_point(x, y)
            if index == 0:
                # LibreOffice skips a first XY series shorter than a later one; blank rows (gaps
                # to PowerPoint, empty cells in Edit Data) bring it to the longest's length.
                for _ in range(longest - len(pairs)):
                    target.add_data_point(None, None)
        return data
    data = CategoryChartData()
    data.categories = [_safe(c) for c in panel.categories]
    for item in panel.series:
        data.add_series(_safe(item.name), item.y)
    return data


def _set_log_axis(axis: Any) -> None:
    scaling = axis._element.find(qn("c:scaling"))
    base = OxmlElement("c:logBase")
    base.set("val", "10")
    scaling.insert(0, base)


def _hide_legend_entries(chart: Any, hidden: list[int]) -> None:
    legend = chart.legend._element
    anchor = legend.find(qn("c:legendPos"))
    for offset, idx in enumerate(hidden, start=1):
        entry = OxmlElement("c:legendEntry")
        idx_el, delete = OxmlElement("c:idx"), OxmlElement("c:delete")
        idx_el.set("val", str(idx))
        delete.set("val", "1")
        entry.append(idx_el)
        entry.append(delete)
        legend.insert(list(legend).index(anchor) + offset, entry)


def _title(axis: Any, text: str, size_pt: float) -> None:
    if not text:
        return
    axis.has_title = True
    frame = axis.axis_title.text_frame
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size_pt)
            run.font.bold = False


def _style_series(target: Any, item: Series, panel: Panel) -> None:
    colour = parse_colour(item.colour)
    if panel.kind in (
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        XL_CHART_TYPE.COLUMN_STACKED,
        XL_CHART_TYPE.BAR_CLUSTERED,
        XL_CHART_TYPE.BAR_STACKED,
        XL_CHART_TYPE.AREA,
        XL_CHART_TYPE.AREA_STACKED,
    ):
        if colour is not None:
            target.format.fill.solid()
            target.format.fill.fore_color.rgb = colour
        for i, point_colour in enumerate(item.point_colours):
            rgb = parse_colour(point_colour)
            pattern = item.patterns[i] if i < len(item.patterns) else ""
            if rgb is not None and not pattern:
                target.points[i].format.fill.solid()
                target.points[i].format.fill.fore_color.rgb = rgb
        for i, pattern in enumerate(item.patterns):
            if pattern in _PATTERNS:
                rgb = parse_colour(item.point_colours[i] if i < len(item.point_colours) else "") or colour
                fill = target.points[i].format.fill
                fill.patterned()
                fill.pattern = _PATTERNS[pattern]
                fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
                fill.back_color.rgb = rgb or RGBColor(0x99, 0x99, 0x99)
        _point_labels(target, item, panel)
        return
    target.smooth = False
    line = target.format.line
    if item.lines:
        if colour is not None:
            line.color.rgb = colour
        line.width = Pt(item.line_width_pt or 2.25)
        if item.dash in _DASHES:
            line.dash_style = _DASHES[item.dash]
    else:
        line.fill.background()
    marker = target.marker
    if not item.markers:
        marker.style = XL_MARKER_STYLE.NONE
    else:
        first = item.symbols[0] if item.symbols else "circle"
        marker.style = _SYMBOLS.get(first.removesuffix("-open"), XL_MARKER_STYLE.CIRCLE)
        if item.marker_size:
            marker.size = max(2, min(72, int(item.marker_size * 0.75)))
        _marker_fill(marker, colour, first.endswith("-open"))
        if panel.categories is None and len(set(item.symbols)) > 1:
            points = [i for i, (x, y) in enumerate(zip(item.x, item.y)) if x is not None and y is not None]
            for point_index, source_index in enumerate(points):
                symbol = item.symbols[source_index]
                point_marker = target.points[point_index].marker
                point_marker.style = _SYMBOLS.get(symbol.removesuffix("-open"), XL_MARKER_STYLE.CIRCLE)
                if item.marker_size:
                    point_marker.size = max(2, min(72, int(item.marker_size * 0.75)))
                _marker_fill(point_marker, colour, symbol.endswith("-open"))
    _point_labels(target, item, panel)


def _marker_fill(marker: Any, colour: RGBColor | None, hollow: bool) -> None:
    if colour is None:
        return
    if hollow:
        marker.format.fill.background()
    else:
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = colour
    marker.format.line.color.rgb = colour


def _point_labels(target: Any, item: Series, panel: Panel) -> None:
    if not item.labels:
        return
    if panel.categories is None:
        kept = [i for i, (x, y) in enumerate(zip(item.x, item.y)) if x is not None and y is not None]
    else:
        kept = list(range(len(item.labels)))
    for point_index, source_index in enumerate(kept):
        text = item.labels[source_index] if source_index < len(item.labels) else ""
        if not text:
            continue
        label = target.points[point_index].data_label
        label.text_frame.text = text
        label.font.size = Pt(9)
        where = item.label_positions[source_index] if source_index < len(item.label_positions) else ""
        side = where.split()[-1] if where else ""
        if panel.categories is None and side in _LABEL_POSITIONS:
            label.position = _LABEL_POSITIONS[side]


def add_panel(slide: Any, panel: Panel, left: int, top: int, width: int, height: int, font_pt: float = 12) -> Any:
    """Draw one panel as a native chart in the given box (EMU); returns the python-pptx chart."""
    frame = slide.shapes.add_chart(panel.kind, Emu(left), Emu(top), Emu(width), Emu(height), _chart_data(panel))
    chart = frame.chart
    chart.font.size = Pt(font_pt)
    if panel.title:
        chart.has_title = True
        chart.chart_title.text_frame.text = panel.title
        for run in chart.chart_title.text_frame.paragraphs[0].runs:
            run.font.size = Pt(font_pt + 1)
            run.font.bold = True
    else:
        chart.has_title = False
    for target, item in zip(chart.plots[0].series, panel.series):
        _style_series(target, item, panel)
    if panel.kind in (XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED):
        chart.plots[0].gap_width = 60
        chart.plots[0].overlap = 0
    elif panel.kind in (XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.BAR_STACKED):
        chart.plots[0].gap_width = 60
        chart.plots[0].overlap = 100
    x_axis, y_axis = chart.category_axis, chart.value_axis
    _title(x_axis, panel.x_title, font_pt)
    _title(y_axis, panel.y_title, font_pt)
    y_axis.has_major_gridlines = True
    y_axis.major_gridlines.format.line.color.rgb = RGBColor(0xD9, 0xDE, 0xE5)
    if panel.log_y:
        _set_log_axis(y_axis)
    elif panel.y_from_zero:
        y_axis.minimum_scale = 0
    if panel.y_suffix:
        y_axis.tick_labels.number_format = f'0"{panel.y_suffix.replace(chr(34), "")}"'
        y_axis.tick_labels.number_format_is_linked = False
    if panel.x_dates:
        x_axis.tick_labels.number_format = "yyyy-mm-dd"
        x_axis.tick_labels.number_format_is_linked = False
    elif panel.categories is None:
        x_axis.tick_labels.number_format = "General"
        x_axis.tick_labels.number_format_is_linked = False
    if panel.categories is None:  # XY: the x axis spans the data, as Plotly's does
        xs = [float(x) for item in panel.series for x, y in zip(item.x, item.y) if x is not None and y is not None]
        x_axis.minimum_scale, x_axis.maximum_scale = min(xs), max(xs)
    if panel.reverse_categories:
        x_axis.reverse_order = True
    if panel.hide_category_labels:
        x_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    legend_series = [i for i, item in enumerate(panel.series) if item.in_legend]
    if legend_series:
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(font_pt - 1)
        _hide_legend_entries(chart, [i for i in range(len(panel.series)) if i not in legend_series])
    else:
        chart.has_legend = False
    return chart
