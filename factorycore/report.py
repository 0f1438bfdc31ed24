"""Exports: one chart as PNG, SVG or standalone HTML; the self-contained report (HTML or PDF).

Static images
    PNG and SVG are rendered by kaleido 1.x, which drives a headless Chromium. The
    browser is Debian's ``/usr/bin/chromium`` unless ``BROWSER_PATH`` names another
    (kaleido/choreographer read that variable; :func:`chromium_path` resolves it);
    nothing is downloaded. Starting Chromium costs 2-4 s, so one renderer is kept
    open per process and reused (about 0.2-0.3 s per image after the first); it is
    serialised by a lock, restarted once if a render fails, and closed at exit.
    MathJax is switched off, so a render never reaches for a CDN. Set
    ``FACTORY_KALEIDO_SERVER=0`` to render each image with a fresh browser instead.

Report
    A report is a list of :class:`ReportSection` (heading, text, figures, tables).
    :func:`build_report` assembles the article charts, the sources table and,
    optionally, an uploaded facility dataset (the My facility comparison charts) and
    a planner scenario: a saved one by name (re-planned from ``factorycore.scenarios``)
    or any dict of inputs, results and figures. :func:`report_html` writes one HTML file that works
    offline: Plotly's JavaScript is inlined once in ``<head>``, every chart is a
    ``<div>`` drawn from inline data, and no script is loaded from anywhere.

PDF
    :func:`report_pdf` prints a static variant of the same HTML (each chart an
    inline SVG rendered by kaleido, no JavaScript) with Chromium's
    ``--headless --print-to-pdf``. Printing static SVG avoids racing Plotly's
    drawing against the print, so the output is deterministic. It needs Chromium;
    without it :class:`PdfUnavailable` says so.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import concurrent.futures
import datetime as dt
import html
import os
import shutil
import subprocess
import tempfile
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from factorycore import datasets, provenance

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
FIGURE_FORMATS: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html"}
REPORT_FORMATS: dict[str, str] = {"html": "text/html", "pdf": "application/pdf"}
EXPORT_WIDTH_PX = 1280
EXPORT_HEIGHT_PX = 720
REPORT_CHART_HEIGHT_PX = 560
RENDER_TIMEOUT_S = 60.0
STARTUP_TIMEOUT_S = 60.0
PDF_TIMEOUT_S = 120.0
REPORT_TITLE = "AI factories versus hyperscale data centers"


# --------------------------------------------------------------------------- Chromium and kaleido


def chromium_path() -> Path | None:
    """The Chromium used for images and PDF: ``BROWSER_PATH`` if set, else ``/usr/bin/chromium``."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        found = shutil.which(configured)
        return Path(found) if found else None
    return SYSTEM_CHROMIUM if SYSTEM_CHROMIUM.exists() else None


def _use_system_chromium() -> None:
    if "BROWSER_PATH" not in os.environ and SYSTEM_CHROMIUM.exists():
        os.environ["BROWSER_PATH"] = str(SYSTEM_CHROMIUM)


class _Renderer:
    """One kaleido (one Chromium) kept open on a private event-loop thread.

    kaleido's own ``start_sync_server`` is not used: its call path is not safe for
    two callers at once (results can cross) and blocks forever if the browser dies.
    Here every call holds a lock and waits with a timeout; a failed render closes
    the browser and is retried once on a fresh one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    def _start(self) -> None:
        import kaleido  # noqa: PLC0415 - imported only when an image is asked for

        browser = chromium_path()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido-renderer", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread

        async def open_kaleido() -> Any:
            kwargs: dict[str, Any] = {"n": 1, "timeout": RENDER_TIMEOUT_S, "mathjax": False}
            if browser is not None:
                kwargs["path"] = str(browser)
            k = kaleido.Kaleido(**kwargs)
            await k.open()
            return k

        self._kaleido = asyncio.run_coroutine_threadsafe(open_kaleido(), loop).result(STARTUP_TIMEOUT_S)

    def _stop(self) -> None:
        loop, thread, k = self._loop, self._thread, self._kaleido
        self._loop = self._thread = self._kaleido = None
        if loop is None:
            return
        if k is not None:
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
            except Exception:  # noqa: BLE001 - closing a broken browser may fail; the loop still stops
                pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)

    def render(self, fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
        opts = {"format": fmt, "width": width, "height": height, "scale": 1}
        spec = fig.to_dict()
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._kaleido is None:
                        self._start()
                    future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(spec, opts=opts), self._loop)
                    try:
                        return future.result(RENDER_TIMEOUT_S + 10)
                    except concurrent.futures.TimeoutError:
                        future.cancel()
                        raise
                except Exception:
                    self._stop()
                    if attempt == 2:
                        raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            self._stop()

    @property
    def running(self) -> bool:
        return self._kaleido is not None


_RENDERER = _Renderer()
atexit.register(_RENDERER.close)


def _persistent_renderer_enabled() -> bool:
    return os.environ.get("FACTORY_KALEIDO_SERVER", "1").strip().lower() not in ("0", "false", "no", "off")


def _static_image(fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
    _use_system_chromium()
    if _persistent_renderer_enabled():
        data = _RENDERER.render(fig, fmt, width, height)
    else:
        data = fig.to_image(format=fmt, width=width, height=height, scale=1)
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


CAPTION_WRAP_CHARS = 170
CAPTION_LINE_PX = 16
DEFAULT_BOTTOM_MARGIN_PX = 60


def with_caption(fig: go.Figure, caption: str) -> go.Figure:
    """A copy of ``fig`` with its source caption printed under the plot.

    An image pasted into a slide leaves the app's caption behind; printing it on the
    figure keeps the provenance (and the count of modelled rows) with the picture.
    """
    lines = textwrap.wrap(caption, CAPTION_WRAP_CHARS)
    if not lines:
        return fig
    captioned = go.Figure(fig)
    bottom_px = captioned.layout.margin.b
    if bottom_px is None:
        bottom_px = DEFAULT_BOTTOM_MARGIN_PX
    captioned.update_layout(margin={"b": bottom_px + CAPTION_LINE_PX * len(lines) + 12})
    captioned.add_annotation(
        text="<br>".join(html.escape(line) for line in lines),
        xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top", yshift=-bottom_px,
        align="left", showarrow=False, font={"size": 11},
    )
    return captioned


def figure_bytes(fig: go.Figure, fmt: str, caption: str | None = None) -> bytes:
    """The figure as PNG, SVG or a standalone interactive HTML page (Plotly.js inlined).

    ``caption`` (the chart's source line) is printed under the plot when given.
    """
    if caption:
        fig = with_caption(fig, caption)
    if fmt == "html":
        return fig.to_html(full_html=True, include_plotlyjs=True, config={"displaylogo": False}).encode("utf-8")
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown figure format {fmt!r}; expected png, svg or html")
    return _static_image(fig, fmt, EXPORT_WIDTH_PX, EXPORT_HEIGHT_PX)


# --------------------------------------------------------------------------- report model


@dataclass(frozen=True)
class ReportFigure:
    """One chart in a section, with the caption saying where its numbers come from."""

    key: str
    fig: go.Figure
    caption: str = ""
    notes: str = ""  # the full provenance (status counts, every source): a deck's speaker notes


@dataclass(frozen=True)
class ReportTable:
    """A table in a section. ``link_column`` holds URLs shown as links (http/https only)."""

    caption: str
    frame: pd.DataFrame
    link_column: str | None = None


@dataclass
class ReportSection:
    """A heading, a few paragraphs, figures and tables: the unit a report is made of."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    figures: list[ReportFigure] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)


def chart_section(con: duckdb.DuckDBPyConnection, chart_id: str, sources: pd.DataFrame | None = None,
                  **options: Any) -> ReportSection:
    """One article chart (as the app shows it by default) with its source caption."""
    from factorycore.charts.registry import build_chart  # noqa: PLC0415 - keeps figure_bytes import-light

    result = build_chart(con, chart_id, **options)
    sources = datasets.sources(con) if sources is None else sources
    caption = provenance.caption(result.rows, sources)
    title = result.title or chart_id.replace("_", " ").capitalize()
    fig = go.Figure(result.fig)  # the section heading carries the title; don't print it twice
    fig.update_layout(title={"text": ""}, margin={"t": 40})
    notes = provenance.notes(result.rows, sources)
    return ReportSection(key=chart_id, title=title, figures=[ReportFigure(chart_id, fig, caption, notes)])


def headlines_section(con: duckdb.DuckDBPyConnection) -> ReportSection:
    """The overview's key figures, each with its status and source: the report's summary."""
    from factorycore import headlines  # noqa: PLC0415

    figures = headlines.headlines(con)
    sources = datasets.sources(con)

    frame = pd.DataFrame({
        "figure": [f.label for f in figures],
        "value": [f.formatted() for f in figures],
        "status": [f.status for f in figures],
        "source": [provenance.cite(f.source_id, sources) for f in figures],
    })
    return ReportSection(
        key="headlines",
        title="Key figures",
        paragraphs=[headlines.READING_NOTE],
        tables=[ReportTable("Key figures with their sources", frame)],
    )


def sources_section(con: duckdb.DuckDBPyConnection) -> ReportSection:
    """Every publication the reference data cites: the provenance behind all the charts."""
    frame = datasets.sources(con)
    columns = [c for c in ("source_id", "publisher", "title", "year", "status", "url") if c in frame]
    return ReportSection(
        key="sources",
        title="Sources",
        paragraphs=[
            "Every built-in number traces to one of these publications. Source status: firm = read in the "
            "publisher's own document, secondary = seen through press or a summary, model = a method this "
            "project documents in data/README.md.",
        ],
        tables=[ReportTable("Reference sources", frame[columns], link_column="url")],
    )


def scenario_section(name: str, inputs: Mapping[str, Any], results: Mapping[str, Any],
                     figures: Sequence[go.Figure] = (), note: str = "", caption: str = "",
                     notes: str = "") -> ReportSection:
    """A saved planner scenario: its inputs and results as tables, and any figures.

    Takes plain dicts, so any scenario store (or a page's current inputs) can feed it.
    """
    def as_frame(values: Mapping[str, Any], header: str) -> pd.DataFrame:
        return pd.DataFrame({header: [str(k) for k in values], "value": [_plain(v) for v in values.values()]})

    section = ReportSection(key="scenario", title=f"Planner scenario: {name}")
    if note:
        section.paragraphs.append(note)
    section.tables.append(ReportTable("Inputs", as_frame(inputs, "input")))
    section.tables.append(ReportTable("Results", as_frame(results, "result")))
    section.figures.extend(ReportFigure(f"scenario-{i}", fig, caption, notes)
                           for i, fig in enumerate(figures, start=1))
    return section


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return "-" if value is None else str(value)


SITE_NOTE = "Your site's numbers are the operator's own data, not reference data."


def dataset_section(con: duckdb.DuckDBPyConnection, dataset: str | int,
                    workspaces: list[str] | None = None, profile: str = "industry_average") -> ReportSection:
    """An uploaded facility dataset (by name or id): headline numbers and the comparison charts.

    The charts are the ones the My facility page draws (``factorycore.charts.facility``):
    rack density against the 2026 ``profile``, measured against design power, power
    and temperature over time, or PUE over time, by dataset kind. Raises
    ``factorycore.facility.DatasetError`` when there is no such dataset.
    """
    from factorycore import facility  # noqa: PLC0415

    if isinstance(dataset, int):
        info = facility.get_dataset(con, dataset_id=dataset, workspaces=workspaces)
    else:
        info = facility.get_dataset(con, name=dataset, workspaces=workspaces)
    section = ReportSection(
        key="dataset",
        title=f"Your facility: {info.name}",
        paragraphs=[
            f"Uploaded {info.kind} dataset ({info.rows_accepted:,} rows stored, {info.rows_rejected:,} rejected"
            + (f", from {info.source_file}" if info.source_file else "") + "). " + SITE_NOTE,
        ],
    )
    summary: dict[str, Any] = {}
    if info.rows_accepted and info.kind == "racks":
        summary = facility.rack_summary(con, info)
    elif info.rows_accepted and info.kind == "meter":
        summary = facility.meter_summary(con, info)
    if summary:
        section.tables.append(ReportTable(
            "Headline numbers",
            pd.DataFrame({"measure": list(summary), "value": [_plain(v) for v in summary.values()]}),
        ))
    if info.rows_accepted:
        section.figures.extend(_dataset_figures(con, info, profile))
    return section


def _dataset_figures(con: duckdb.DuckDBPyConnection, info: Any, profile: str) -> list[ReportFigure]:
    """The My facility comparison figures for one dataset, by kind."""
    from factorycore import facility  # noqa: PLC0415
    from factorycore.charts import facility as charts  # noqa: PLC0415

    figures: list[ReportFigure] = []
    if info.kind in ("racks", "telemetry"):
        racks = facility.rack_kw(con, info)
        if not racks.empty:
            dist = datasets.power_distribution(con, year=2026)
            industry = dist[dist["profile"] == profile]
            if industry.empty:
                profile, industry = "industry_average", dist[dist["profile"] == "industry_average"]
            site = facility.site_bands(racks, facility.bands_from_reference(industry))
            average = float(racks["kw"].mean())
            pct = facility.percentile_in_distribution(average, industry)
            fig = charts.density_comparison(site, industry, profile=profile, percentile=pct, average_kw=average)
            sources = datasets.sources(con)
            caption = provenance.caption(industry, sources) + " " + SITE_NOTE
            notes = provenance.notes(industry, sources) + "\n" + SITE_NOTE
            figures.append(ReportFigure("dataset-density", fig, caption, notes))
    if info.kind == "racks":
        frame = facility.measured_vs_design(con, info)
        if not frame.empty:
            figures.append(ReportFigure("dataset-measured", charts.measured_vs_design(frame), SITE_NOTE))
    if info.kind == "telemetry":
        figures.append(ReportFigure("dataset-power", charts.telemetry_power(
            facility.telemetry_power_over_time(con, info)), SITE_NOTE))
        figures.append(ReportFigure("dataset-hottest", charts.hottest_racks(facility.hottest_racks(con, info)),
                                    SITE_NOTE))
    if info.kind == "meter":
        figures.append(ReportFigure("dataset-pue", charts.pue_over_time(facility.pue_over_time(con, info)),
                                    SITE_NOTE))
    return figures


def saved_scenario(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """A saved planner scenario, re-planned now: ``{name, inputs, results, figures, note, caption}``.

    This is the dict :func:`scenario_section` (and ``build_report(scenario=...)``)
    takes. Raises ``factorycore.scenarios.ScenarioError`` when there is no such scenario.
    """
    from factorycore import hardware, planner, scenarios  # noqa: PLC0415
    from factorycore.charts import planner as charts  # noqa: PLC0415

    catalog = hardware.catalog_from_frame(datasets.hardware(con))
    inputs, problems = planner.from_dict(scenarios.load(con, name), catalog)
    result = planner.plan(inputs, catalog)
    labels = {key: (label, unit) for key, label, unit, _ in planner.HEADLINE_FORMAT}
    results: dict[str, Any] = {}
    for key, text in planner.headline_text(result).items():  # the text carries its unit
        label, unit = labels[key]
        results[label if label not in results else f"{label} ({unit})"] = text
    results["Capacity exhausted in"] = result.growth.capacity_exhausted_year or "not within the horizon"
    figures = []
    if not result.flows_error:
        figures.append(charts.power_sankey(result.flow_rows(), facility_kw=result.power.facility_kw))
    figures.append(charts.heat_split(result.heat_rows(), technology=inputs.technology))
    figures.append(charts.load_trajectory(result.trajectory_rows(), capacity_mw=inputs.capacity_mw,
                                          exhausted_year=result.growth.capacity_exhausted_year))
    verdict = ("Feasible: " if result.cooling.feasible else "Not feasible: ") + result.verdict + "."
    note = " ".join([
        f"{result.count:,} x {result.hardware.vendor} {result.hardware.name}, re-planned with today's reference data.",
        verdict, *problems, *result.warnings,
    ])
    sources = datasets.sources(con)
    caption = (f"Planner model output for scenario {name}, re-planned with today's reference data; hardware: "
               + provenance.cite(result.hardware.source_id, sources) + ".")
    hardware_rows = datasets.hardware(con)
    notes = provenance.notes(hardware_rows[hardware_rows["id"] == result.hardware.id], sources)
    return {"name": name, "inputs": inputs.as_dict(), "results": results, "figures": figures, "note": note,
            "caption": caption, "notes": notes}


def comparison_section(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> ReportSection:
    """Two or more saved planner scenarios side by side, re-planned now (the Planner page's comparison).

    Raises ``factorycore.scenarios.ScenarioError`` for an unknown name and ``ValueError``
    for fewer than two names.
    """
    from factorycore import hardware, planner, scenarios  # noqa: PLC0415
    from factorycore.charts import planner as charts  # noqa: PLC0415

    chosen = list(dict.fromkeys(names))
    if len(chosen) < 2:
        raise ValueError("a scenario comparison needs at least two saved scenarios")
    catalog = hardware.catalog_from_frame(datasets.hardware(con))
    results = {name: planner.plan(planner.from_dict(scenarios.load(con, name), catalog)[0], catalog)
               for name in chosen}
    labels = planner.headline_labels()
    texts = {name: planner.headline_text(result) for name, result in results.items()}
    table = pd.DataFrame([[labels[key], *(texts[name][key] for name in chosen)] for key, *_ in planner.HEADLINE_FORMAT],
                         columns=["result", *chosen])
    sources = datasets.sources(con)
    frame = planner.comparison_frame(results)
    hardware_rows = datasets.hardware(con)
    cited = hardware_rows[hardware_rows["id"].isin([r.hardware.id for r in results.values()])]
    caption = ("Planner model output for the saved scenarios, re-planned with today's reference data; hardware: "
               + "; ".join(dict.fromkeys(provenance.cite(r.hardware.source_id, sources) for r in results.values()))
               + ".")
    return ReportSection(
        key="comparison",
        title="Planner scenarios side by side",
        paragraphs=[f"{len(chosen)} saved scenarios: " + ", ".join(chosen) + "."],
        figures=[ReportFigure("scenario-comparison", charts.scenario_comparison(frame), caption,
                              provenance.notes(cited, sources))],
        tables=[ReportTable("Results by scenario", table)],
    )


def build_report(
    con: duckdb.DuckDBPyConnection,
    *,
    charts: Sequence[str] | None = None,
    include_sources: bool = True,
    include_headlines: bool = False,
    dataset: str | int | None = None,
    dataset_workspaces: list[str] | None = None,
    scenario: str | Mapping[str, Any] | None = None,
    compare: Sequence[str] = (),
) -> list[ReportSection]:
    """The report's sections in order: key figures, article charts, uploaded dataset, scenario, sources.

    ``charts`` defaults to every article chart (unknown ids raise ``ValueError``).
    ``dataset`` is an uploaded dataset's name or id (searched in ``dataset_workspaces``,
    default shared). ``scenario`` is a saved planner scenario's name, or a dict
    ``{"name", "inputs", "results"}`` with optional ``"figures"``, ``"note"``, ``"caption"`` and ``"notes"``.
    ``compare`` names two or more saved scenarios to show side by side.
    An unknown dataset or scenario raises a ``ValueError`` subclass naming it.
    """
    from factorycore.charts.registry import ARTICLE_CHART_IDS  # noqa: PLC0415

    chosen = list(ARTICLE_CHART_IDS if charts is None else charts)
    unknown = [c for c in chosen if c not in ARTICLE_CHART_IDS]
    if unknown:
        raise ValueError(f"unknown chart {unknown[0]!r}; valid charts: {', '.join(ARTICLE_CHART_IDS)}")
    sources = datasets.sources(con)
    sections = [headlines_section(con)] if include_headlines else []
    sections += [chart_section(con, chart_id, sources) for chart_id in chosen]
    if dataset is not None and dataset != "":
        sections.append(dataset_section(con, dataset, dataset_workspaces))
    if isinstance(scenario, str):
        scenario = saved_scenario(con, scenario)
    if scenario is not None:
        sections.append(scenario_section(
            str(scenario.get("name", "scenario")), scenario.get("inputs", {}), scenario.get("results", {}),
            scenario.get("figures", ()), str(scenario.get("note", "")), str(scenario.get("caption", "")),
            str(scenario.get("notes", "")),
        ))
    if compare:
        sections.append(comparison_section(con, compare))
    if include_sources:
        sections.append(sources_section(con))
    return sections


def report_chart_ids(sections: Sequence[ReportSection]) -> list[str]:
    """The ids of every figure in the report, in order."""
    return [figure.key for section in sections for figure in section.figures]


# --------------------------------------------------------------------------- HTML and PDF

_CSS = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b6470; --rule: #d9dee5; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1180px; padding: 32px 40px 64px; color: var(--ink); background: #fff;
       font: 17px/1.5 Inter, "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 2.2rem; margin: 0 0 .25rem; } h2 { font-size: 1.6rem; margin: 0 0 .75rem;
     border-bottom: 3px solid var(--accent); padding-bottom: .25rem; }
.meta, figcaption, .table-caption { color: var(--muted); font-size: .92rem; }
nav ol { columns: 2; padding-left: 1.2rem; } a { color: var(--accent); }
section { margin: 2.5rem 0; } figure { margin: 0 0 1.5rem; }
.chart { width: 100%; } img.chart { display: block; height: auto; border: 1px solid var(--rule); }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .25rem 0 1.5rem; }
th, td { border-bottom: 1px solid var(--rule); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } td { overflow-wrap: break-word; } td a { overflow-wrap: anywhere; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  section { break-before: page; margin: 0; } section:first-of-type { break-before: auto; }
  figure, tr { break-inside: avoid; } nav { display: none; }
}
@page { size: A4 landscape; margin: 12mm; }
"""


def _esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _table_html(table: ReportTable) -> str:
    frame = table.frame
    head = "".join(f"<th>{_esc(c)}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row):
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else value
            if column == table.link_column and str(text).lower().startswith(("https://", "http://")):
                cells.append(f'<td><a href="{_esc(text)}" rel="noopener noreferrer">{_esc(text)}</a></td>')
            else:
                cells.append(f"<td>{_esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<p class="table-caption">{_esc(table.caption)}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def _figure_html(figure: ReportFigure, static: bool) -> str:
    div_id = f"chart-{figure.key}"
    if static:
        svg = _static_image(figure.fig, "svg", EXPORT_WIDTH_PX, int(figure.fig.layout.height or EXPORT_HEIGHT_PX))
        src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        title = figure.fig.layout.title.text or figure.key
        body = f'<img class="chart" id="{_esc(div_id)}" alt="{_esc(title)}" src="{src}">'
    else:
        body = figure.fig.to_html(
            full_html=False, include_plotlyjs=False, div_id=div_id, default_width="100%",
            default_height=f"{REPORT_CHART_HEIGHT_PX}px", config={"displaylogo": False, "responsive": True},
        )
    caption = f"<figcaption>{_esc(figure.caption)}</figcaption>" if figure.caption else ""
    return f'<figure class="chart-figure">{body}{caption}</figure>'


def report_html(sections: Sequence[ReportSection], *, title: str = REPORT_TITLE, static: bool = False,
                generated: dt.datetime | None = None) -> str:
    """One self-contained HTML document for the sections.

    Interactive (default): Plotly.js inlined once, each chart a ``<div>``. ``static``:
    each chart an inline SVG and no JavaScript at all (what the PDF prints).
    """
    generated = generated or dt.datetime.now(dt.timezone.utc)
    toc = "".join(f'<li><a href="#section-{_esc(s.key)}">{_esc(s.title)}</a></li>' for s in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(title)}</title>",
        f"<style>{_CSS}</style>",
    ]
    if not static:
        parts.append(f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>')
    parts += [
        "</head><body>",
        f'<header><h1>{_esc(title)}</h1><p class="meta">AI Factory Dashboard report, generated '
        f"{_esc(generated.strftime('%Y-%m-%d %H:%M UTC'))}. Every built-in number cites a source "
        "(see Sources); derived and modelled rows are counted under each chart.</p>",
        f"<nav><ol>{toc}</ol></nav></header>",
    ]
    for section in sections:
        parts.append(f'<section id="section-{_esc(section.key)}"><h2>{_esc(section.title)}</h2>')
        parts += [f"<p>{_esc(p)}</p>" for p in section.paragraphs]
        parts += [_figure_html(f, static) for f in section.figures]
        parts += [_table_html(t) for t in section.tables]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


class PdfUnavailable(RuntimeError):
    """PDF cannot be produced on this machine (no Chromium); the HTML report still can."""


def report_pdf(sections: Sequence[ReportSection], *, title: str = REPORT_TITLE) -> bytes:
    """The report as PDF: the static HTML variant printed by headless Chromium."""
    browser = chromium_path()
    if browser is None:
        raise PdfUnavailable(
            "PDF needs Chromium (apt-get install chromium, or set BROWSER_PATH); write the report as .html instead"
        )
    document = report_html(sections, title=title, static=True)
    with tempfile.TemporaryDirectory(prefix="factory-pdf-") as tmp:
        source = Path(tmp) / "report.html"
        target = Path(tmp) / "report.pdf"
        source.write_text(document, encoding="utf-8")
        command = [
            str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}", source.as_uri(),
        ]
        try:
            completed = subprocess.run(command, capture_output=True, timeout=PDF_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium did not print the PDF within {PDF_TIMEOUT_S:.0f} s") from None
        if not target.exists() or target.stat().st_size == 0:
            tail = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"Chromium printed no PDF (exit {completed.returncode}): {tail[0]}")
        data = target.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise RuntimeError("Chromium wrote a file that is not a PDF")
    return data


def report_bytes(sections: Sequence[ReportSection], fmt: str, *, title: str = REPORT_TITLE) -> bytes:
    """The report as ``html`` or ``pdf`` bytes."""
    if fmt == "html":
        return report_html(sections, title=title).encode("utf-8")
    if fmt == "pdf":
        return report_pdf(sections, title=title)
    raise ValueError(f"unknown report format {fmt!r}; expected html or pdf")
