"""The self-contained report (HTML or PDF): sections built from views, then written out.

Images of single charts are :mod:`factorycore.export.figures`' job; this module
assembles and writes whole reports.

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

import base64
import datetime as dt
import html
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from factorycore import numbers, provenance, reference
from factorycore.export.figures import EXPORT_HEIGHT_PX, EXPORT_WIDTH_PX, chromium_path, static_image
from factorycore.views import View

REPORT_FORMATS: dict[str, str] = {"html": "text/html", "pdf": "application/pdf"}
REPORT_CHART_HEIGHT_PX = 560
PDF_TIMEOUT_S = 120.0
REPORT_TITLE = "AI factories versus hyperscale data centers"


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


def view_figure(key: str, view: View, *, keep_title: bool = True, sources: pd.DataFrame | None = None) -> ReportFigure:
    """A view as a report figure, captioned with its sources and its reading note.

    With ``sources`` (the reference sources table) it also carries the full provenance
    of the view's rows (``provenance.notes``), which a deck puts in the speaker notes.
    """
    fig = view.fig
    if not keep_title:  # the section heading carries the title; don't print it twice
        fig = go.Figure(fig)
        fig.update_layout(title={"text": ""}, margin={"t": 40})
    caption = " ".join(part for part in (view.caption, view.note) if part)
    notes = provenance.notes(view.rows, sources) if sources is not None else ""
    return ReportFigure(key, fig, caption, notes)


def chart_section(con: duckdb.DuckDBPyConnection, chart_id: str, **options: Any) -> ReportSection:
    """One article chart (as the app shows it by default) with its source caption."""
    from factorycore.views import article_view  # noqa: PLC0415

    view = article_view(con, chart_id, **options)
    title = view.title or chart_id.replace("_", " ").capitalize()
    figure = view_figure(chart_id, view, keep_title=False, sources=reference.sources(con))
    # An article chart's reading note belongs to its page; the report captions it with its sources only.
    return ReportSection(key=chart_id, title=title, figures=[replace(figure, caption=view.caption)])


def headlines_section(con: duckdb.DuckDBPyConnection) -> ReportSection:
    """The overview's key figures, each with its status and source: the report's summary."""
    from factorycore import headlines  # noqa: PLC0415

    figures = headlines.headlines(con)
    sources = reference.sources(con)

    frame = pd.DataFrame(
        {
            "figure": [f.label for f in figures],
            "value": [f.formatted() for f in figures],
            "status": [f.status for f in figures],
            "source": [provenance.cite(f.source_id, sources) for f in figures],
        }
    )
    return ReportSection(
        key="headlines",
        title="Key figures",
        paragraphs=[headlines.READING_NOTE],
        tables=[ReportTable("Key figures with their sources", frame)],
    )


def sources_section(con: duckdb.DuckDBPyConnection) -> ReportSection:
    """Every publication the reference data cites: the provenance behind all the charts."""
    frame = reference.sources(con)
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


def scenario_section(
    name: str,
    inputs: Mapping[str, Any],
    results: Mapping[str, Any],
    figures: Sequence[go.Figure | ReportFigure] = (),
    note: str = "",
) -> ReportSection:
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
    section.figures.extend(
        fig if isinstance(fig, ReportFigure) else ReportFigure(f"scenario-{i}", fig)
        for i, fig in enumerate(figures, start=1)
    )
    return section


def _plain(value: Any) -> str:
    if isinstance(value, float):
        return numbers.trimmed(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return "-" if value is None else str(value)


def dataset_section(
    con: duckdb.DuckDBPyConnection,
    dataset: str | int,
    workspaces: list[str] | None = None,
    profile: str = "industry_average",
) -> ReportSection:
    """An uploaded dataset (by name or id): the views its kind gets, with their headline numbers.

    The views are the ones the My facility page draws (``factorycore.views.site``),
    each captioned with the reference sources it compares against and the operator's
    own file. Raises ``factorycore.userdata.catalog.DatasetError`` when there is no such dataset.
    """
    from factorycore.userdata import catalog  # noqa: PLC0415
    from factorycore.views.base import NothingToDraw  # noqa: PLC0415
    from factorycore.views.site import SITE_VIEWS, site_view  # noqa: PLC0415

    if isinstance(dataset, int):
        info = catalog.get_dataset(con, dataset_id=dataset, workspaces=workspaces)
    else:
        info = catalog.get_dataset(con, name=dataset, workspaces=workspaces)
    section = ReportSection(
        key="dataset",
        title=f"Your facility: {info.name}",
        paragraphs=[
            f"{info.spec.label} ({info.rows_accepted:,} rows stored, {info.rows_rejected:,} rejected"
            + (f", from {info.source_file}" if info.source_file else "")
            + "). "
            + SITE_NOTE,
        ],
    )
    from factorycore.userdata import live_source  # noqa: PLC0415

    if live_source.is_live(info):
        section.paragraphs.append(live_source.status(info))  # where the sums were computed, and when
    if not info.rows_accepted:
        return section
    metrics: list[tuple[str, str]] = []
    sources = reference.sources(con)
    for view_id in info.spec.views:
        # The report's one choice, the profile compared with, goes to the views that offer it.
        options = {"profile": profile} if "profile" in SITE_VIEWS[view_id].options else {}
        try:
            view = site_view(con, view_id, info, **options)
        except NothingToDraw:
            continue
        metrics += [(m.label, m.value) for m in view.metrics]
        section.figures.append(view_figure(f"dataset-{SITE_VIEWS[view_id].key}", view, sources=sources))
    if metrics:
        section.tables.insert(
            0,
            ReportTable(
                "Headline numbers",
                pd.DataFrame({"measure": [m for m, _ in metrics], "value": [v for _, v in metrics]}),
            ),
        )
    return section


SITE_NOTE = "Your site's numbers are the operator's own data, not reference data."


def compliance_section(
    con: duckdb.DuckDBPyConnection,
    datasets: Sequence[str],
    year: int,
    regime: str = "eu-eed",
    *,
    workspaces: list[str] | None = None,
    **options: Any,
) -> ReportSection:
    """A year's reporting KPIs, label classes, EnEfG verdicts and field sheet (``factorycore.compliance``).

    ``options`` go to :func:`factorycore.compliance.assess` (site, commissioned, typed).
    Raises ``ComplianceError`` (a ValueError) when the meter data cannot give the year.
    """
    from factorycore.compliance import assess, present  # noqa: PLC0415
    from factorycore.compliance import sheet as field_sheet  # noqa: PLC0415
    from factorycore.userdata import catalog  # noqa: PLC0415

    infos = [catalog.get_dataset(con, name=name, workspaces=workspaces) for name in datasets]
    result = assess(con, infos, year, regime, **options)
    section = ReportSection(
        key="compliance",
        title=f"Reporting {year}: efficiency indicators",
        paragraphs=[*present.paragraphs(result), SITE_NOTE],
    )
    section.tables.append(ReportTable("Indicators over the year", present.kpi_frame(result)))
    if result.targets:
        section.tables.append(ReportTable("EnEfG targets", present.targets_frame(result)))
    section.tables.append(ReportTable("Field sheet", field_sheet.frame(result).astype({"value": str})))
    return section


def saved_scenario(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
    """A saved planner scenario, re-planned now: ``{name, inputs, results, figures, note}``.

    This is the dict :func:`scenario_section` (and ``build_report(scenario=...)``)
    takes. Raises ``factorycore.scenarios.ScenarioError`` when there is no such scenario.
    """
    from factorycore import planner  # noqa: PLC0415
    from factorycore.views.planner import all_plan_views  # noqa: PLC0415

    inputs, problems, result = planner.saved_plan(con, name)
    results: dict[str, Any] = dict(planner.headline_table(result))
    results["Capacity exhausted in"] = result.growth.capacity_exhausted_year or "not within the horizon"
    results.update(planner.plant_table(result))
    sources = reference.sources(con)
    drawn = all_plan_views(result, sources)
    figures = [view_figure(f"scenario-{i}", view, sources=sources) for i, view in enumerate(drawn, start=1)]
    verdict = ("Feasible: " if result.cooling.feasible else "Not feasible: ") + result.verdict + "."
    note = " ".join(
        [
            f"{result.count:,} x {result.hardware.vendor} {result.hardware.name}, "
            "re-planned with today's reference data.",
            result.power_basis_text() + ".",
            verdict,
            *problems,
            *result.warnings,
        ]
    )
    return {"name": name, "inputs": inputs.as_dict(), "results": results, "figures": figures, "note": note}


def comparison_section(con: duckdb.DuckDBPyConnection, names: Sequence[str]) -> ReportSection:
    """Two or more saved planner scenarios side by side, re-planned now (the Planner page's comparison).

    Raises ``factorycore.scenarios.ScenarioError`` for an unknown name and ``ValueError``
    for fewer than two names.
    """
    from factorycore import planner  # noqa: PLC0415
    from factorycore.views import planner as plan_views  # noqa: PLC0415

    chosen = list(dict.fromkeys(names))
    if len(chosen) < 2:
        raise ValueError("a scenario comparison needs at least two saved scenarios")
    results = {name: planner.saved_plan(con, name)[2] for name in chosen}
    table = plan_views.comparison_table(results)
    return ReportSection(
        key="comparison",
        title="Planner scenarios side by side",
        paragraphs=[
            f"{len(chosen)} saved scenarios, re-planned with today's reference data: " + ", ".join(chosen) + "."
        ],
        figures=[
            view_figure("scenario-comparison", plan_views.comparison_view(results), sources=reference.sources(con))
        ],
        tables=[ReportTable("Results by scenario", table.rename(columns={"": "result"}))],
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
    compliance: Mapping[str, Any] | None = None,
) -> list[ReportSection]:
    """The report's sections in order: key figures, article charts, uploaded dataset, scenario, sources.

    ``charts`` defaults to every article chart (unknown ids raise ``ValueError``).
    ``dataset`` is an uploaded dataset's name or id (searched in ``dataset_workspaces``,
    default shared). ``scenario`` is a saved planner scenario's name, or a dict
    ``{"name", "inputs", "results"}`` with optional ``"figures"`` and ``"note"``.
    ``compare`` names two or more saved scenarios to show side by side.
    ``compliance`` holds :func:`compliance_section`'s arguments (datasets, year, regime, ...).
    An unknown dataset or scenario raises a ``ValueError`` subclass naming it.
    """
    from factorycore.views import ARTICLE_VIEW_IDS, unknown_chart  # noqa: PLC0415

    chosen = list(ARTICLE_VIEW_IDS if charts is None else charts)
    unknown = [c for c in chosen if c not in ARTICLE_VIEW_IDS]
    if unknown:
        raise ValueError(unknown_chart(unknown[0]))
    sections = [headlines_section(con)] if include_headlines else []
    sections += [chart_section(con, chart_id) for chart_id in chosen]
    if dataset is not None and dataset != "":
        sections.append(dataset_section(con, dataset, dataset_workspaces))
    if isinstance(scenario, str):
        scenario = saved_scenario(con, scenario)
    if scenario is not None:
        sections.append(
            scenario_section(
                str(scenario.get("name", "scenario")),
                scenario.get("inputs", {}),
                scenario.get("results", {}),
                scenario.get("figures", ()),
                str(scenario.get("note", "")),
            )
        )
    if compare:
        sections.append(comparison_section(con, compare))
    if compliance:  # {"datasets", "year", "regime", ...}: the year's reporting figures
        sections.append(compliance_section(con, **compliance))
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
    return (
        f'<p class="table-caption">{_esc(table.caption)}</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _figure_html(figure: ReportFigure, static: bool) -> str:
    div_id = f"chart-{figure.key}"
    if static:
        svg = static_image(figure.fig, "svg", EXPORT_WIDTH_PX, int(figure.fig.layout.height or EXPORT_HEIGHT_PX))
        src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        title = figure.fig.layout.title.text or figure.key
        body = f'<img class="chart" id="{_esc(div_id)}" alt="{_esc(title)}" src="{src}">'
    else:
        body = figure.fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            div_id=div_id,
            default_width="100%",
            default_height=f"{REPORT_CHART_HEIGHT_PX}px",
            config={"displaylogo": False, "responsive": True},
        )
    caption = f"<figcaption>{_esc(figure.caption)}</figcaption>" if figure.caption else ""
    return f'<figure class="chart-figure">{body}{caption}</figure>'


def report_html(
    sections: Sequence[ReportSection],
    *,
    title: str = REPORT_TITLE,
    static: bool = False,
    generated: dt.datetime | None = None,
) -> str:
    """One self-contained HTML document for the sections.

    Interactive (default): Plotly.js inlined once, each chart a ``<div>``. ``static``:
    each chart an inline SVG and no JavaScript at all (what the PDF prints).
    """
    generated = generated or dt.datetime.now(dt.UTC)
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
            str(browser),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={target}",
            source.as_uri(),
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
