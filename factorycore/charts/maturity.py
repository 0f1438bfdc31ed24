"""Infrastructure maturity: how far each segment has got on each AI-factory dimension.

The article's fourth chart rates hyperscalers, AI-native clouds, colocation and
enterprise on liquid cooling, high-density zones, AI-ready networking, orchestration,
dynamic scaling and continuous pipelines. A heatmap compares every cell at a glance;
a radar shows each segment's shape. Modelled scores carry a '≈' (heatmap) or a dashed
outline with hollow markers (radar); reported survey figures are plain.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts._common import empty_message, fmt_number, source_names

TITLE = "Infrastructure maturity by segment, {year} (score 0–100 or % of operators)"
KINDS: tuple[str, ...] = ("heatmap", "radar")
DIMENSION_ORDER: tuple[str, ...] = (
    "Liquid cooling",
    "High-density zones",
    "AI-ready networking",
    "Orchestration & automation",
    "Dynamic scaling",
    "Continuous pipelines",
)
SEGMENT_ORDER: tuple[str, ...] = ("hyperscale", "ai_native_cloud", "colocation", "enterprise", "industry_average")
MODELLED_MARK = "≈"


def available_years(maturity: pd.DataFrame) -> list[int]:
    """Years with maturity data, oldest first."""
    return sorted(int(y) for y in maturity["year"].dropna().unique())


def maturity_rows(
    maturity: pd.DataFrame, *, year: int | None = None, segments: Sequence[str] | None = None
) -> pd.DataFrame:
    """The rows drawn: one year (the latest when None) and the chosen segments."""
    if maturity.empty:
        return maturity
    year = year if year is not None else max(available_years(maturity))
    rows = maturity[maturity["year"] == year]
    if segments is not None:
        rows = rows[rows["segment"].isin(list(segments))]
    return rows.reset_index(drop=True)


def _order(values: set[str], preferred: Sequence[str]) -> list[str]:
    return [v for v in preferred if v in values] + sorted(values - set(preferred))


def _cell_text(value: float, unit: str, status: str) -> str:
    suffix = "%" if str(unit).startswith("%") else ""
    return (MODELLED_MARK if status == "modelled" else "") + fmt_number(value) + suffix


def maturity_figure(
    maturity: pd.DataFrame,
    *,
    year: int | None = None,
    segments: Sequence[str] | None = None,
    kind: str = "heatmap",
    sources: pd.DataFrame | None = None,
    title: str | None = None,
    large: bool = False,
) -> go.Figure:
    """Segments by maturity dimension as a ``kind`` 'heatmap' or 'radar'.

    ``maturity`` is ``reference.maturity``; ``year`` defaults to the latest.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    rows = maturity_rows(maturity, year=year, segments=segments)
    shown_year = int(rows["year"].iloc[0]) if not rows.empty else year
    fig = go.Figure()
    if not rows.empty:
        rows = rows.assign(source_name=source_names(rows, sources))
        dims = _order(set(rows["dimension"]), DIMENSION_ORDER)
        segs = _order(set(rows["segment"]), SEGMENT_ORDER)
        cell = {(r.segment, r.dimension): r for r in rows.itertuples()}
        if kind == "heatmap":
            z, text, custom = [], [], []
            for seg in segs:
                z_row, t_row, c_row = [], [], []
                for dim in dims:
                    r = cell.get((seg, dim))
                    z_row.append(None if r is None else float(r.value))
                    t_row.append("" if r is None else _cell_text(r.value, r.unit, r.status))
                    c_row.append(
                        ("", "", "no data", "")
                        if r is None
                        else (theme.segment_label(seg), r.unit, r.status, r.source_name)
                    )
                z.append(z_row)
                text.append(t_row)
                custom.append(c_row)
            fig.add_trace(
                go.Heatmap(
                    z=z,
                    x=dims,
                    y=[theme.segment_label(s) for s in segs],
                    text=text,
                    texttemplate="%{text}",
                    textfont={"size": 16},
                    colorscale="Blues",
                    zmin=0,
                    zmax=100,
                    xgap=3,
                    ygap=3,
                    customdata=custom,
                    hoverongaps=False,
                    colorbar={"title": {"text": "Score / %"}, "ticksuffix": ""},
                    hovertemplate=(
                        "<b>%{customdata[0]}</b><br>%{x}: %{z:.0f} (%{customdata[1]})"
                        "<br>%{customdata[2]} · source: %{customdata[3]}<extra></extra>"
                    ),
                )
            )
            fig.update_xaxes(title_text=f"Maturity dimension  ({MODELLED_MARK} = modelled estimate)", side="bottom")
            fig.update_yaxes(title_text="Segment", autorange="reversed")
        else:
            for seg in segs:
                part = [cell[(seg, d)] for d in dims if (seg, d) in cell]
                if not part:
                    continue
                modelled = all(r.status == "modelled" for r in part)
                closed = part + part[:1] if len(part) > 2 else part
                colour = theme.segment_colour(seg)
                fig.add_trace(
                    go.Scatterpolar(
                        r=[float(r.value) for r in closed],
                        theta=[r.dimension for r in closed],
                        name=theme.segment_label(seg) + (" (modelled)" if modelled else ""),
                        mode="lines+markers",
                        fill="toself" if len(part) > 2 else None,
                        opacity=0.9,
                        line={"color": colour, "width": 2.5, "dash": "dash" if modelled else "solid"},
                        marker={
                            "size": 9,
                            "color": colour,
                            "symbol": ["circle-open" if r.status == "modelled" else "circle" for r in closed],
                        },
                        customdata=[(theme.segment_label(seg), r.unit, r.status, r.source_name) for r in closed],
                        hovertemplate=(
                            "<b>%{customdata[0]}</b><br>%{theta}: %{r:.0f} (%{customdata[1]})"
                            "<br>%{customdata[2]} · source: %{customdata[3]}<extra></extra>"
                        ),
                    )
                )
            fig.update_layout(
                polar={
                    "radialaxis": {"range": [0, 100], "angle": 90, "tickangle": 90},
                    "angularaxis": {"categoryorder": "array", "categoryarray": list(dims)},
                },
                legend={"title": {"text": "Segment"}},
            )
    if not fig.data:
        empty_message(fig, "No maturity data for this selection")
    theme.apply(fig, title=title or TITLE.format(year=shown_year if shown_year is not None else ""), large=large)
    return fig
