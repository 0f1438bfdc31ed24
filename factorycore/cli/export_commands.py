"""Export commands: ``chart`` and ``report`` (contract: docs/command-line.md).

``chart ID --out FILE`` writes one article chart as PNG, SVG (kaleido with the
system's Chromium, see factorycore.export.figures) or standalone HTML, chosen by the file's
extension. ``report --out FILE`` writes the self-contained report: ``.html`` always,
``.pdf`` when Chromium is available (otherwise exit 2 with the reason), or ``.pptx``: a
PowerPoint deck with native charts (factorycore.export.deck), in ``--template`` if given.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factorycore import db
from factorycore.views import ARTICLE_VIEW_IDS, unknown_chart

CHART_FORMATS: tuple[str, ...] = ("png", "svg", "html")
REPORT_FORMATS: tuple[str, ...] = ("html", "pdf", "pptx")


def _out_path(text: str, allowed: tuple[str, ...]) -> tuple[Path, str]:
    """The output path and its format; a wrong extension or missing folder is a usage error."""
    from factorycore.cli import UsageError  # noqa: PLC0415 - avoids a cycle at import time

    path = Path(text).expanduser()
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise UsageError(f"--out {text!r} must end in " + ", ".join(f".{f}" for f in allowed))
    if not path.parent.is_dir():
        raise UsageError(f"folder {str(path.parent)!r} does not exist")
    if path.is_dir():
        raise UsageError(f"--out {text!r} is a folder")
    return path, fmt


def _write(path: Path, data: bytes) -> int:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return len(data)


def _chart(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError  # noqa: PLC0415
    from factorycore.export.figures import figure_bytes  # noqa: PLC0415 - kaleido only when exporting
    from factorycore.views import article_view  # noqa: PLC0415

    if args.id not in ARTICLE_VIEW_IDS:
        raise UsageError(unknown_chart(args.id))
    path, fmt = _out_path(args.out, CHART_FORMATS)
    con = db.open_database()
    try:
        view = article_view(con, args.id)
    finally:
        con.close()
    size = _write(path, figure_bytes(view.fig, fmt, view.caption))
    return {"chart": args.id, "path": str(path), "bytes": size}


def _report(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError  # noqa: PLC0415
    from factorycore.export import report  # noqa: PLC0415
    from factorycore.export.figures import chromium_path  # noqa: PLC0415

    path, fmt = _out_path(args.out, REPORT_FORMATS)
    charts = list(ARTICLE_VIEW_IDS)
    if args.charts is not None:
        charts = [c.strip() for c in args.charts.split(",") if c.strip()]
        unknown = [c for c in charts if c not in ARTICLE_VIEW_IDS]
        if unknown:
            raise UsageError(unknown_chart(unknown[0]))
    if fmt == "pdf" and chromium_path() is None:
        raise UsageError(
            "PDF needs Chromium (apt-get install chromium, or set BROWSER_PATH); use --out FILE.html instead"
        )
    compare = [c.strip() for c in args.compare.split(",") if c.strip()] if args.compare else []
    template = None
    if args.template is not None:
        if fmt != "pptx":
            raise UsageError("--template is for a PowerPoint deck: use --out FILE.pptx")
        try:
            template = Path(args.template).expanduser().read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read template {args.template!r}: {exc.strerror or exc}") from None
    con = db.open_database()
    try:
        try:
            sections = report.build_report(
                con,
                charts=charts,
                include_sources=not args.no_sources,
                include_headlines=not args.no_headlines,
                dataset=args.dataset,
                scenario=args.scenario,
                compare=compare,
            )
        except ValueError as exc:  # includes DatasetError and ScenarioError (unknown names)
            raise UsageError(str(exc)) from None
    finally:
        con.close()
    title = args.title or report.REPORT_TITLE
    if fmt == "pptx":
        from factorycore.export import deck  # noqa: PLC0415 - python-pptx only for a deck

        try:
            data = deck.deck_bytes(sections, title=title, template=template)
        except deck.TemplateError as exc:
            raise UsageError(f"template {args.template!r}: {exc}") from None
    else:
        try:
            data = report.report_bytes(sections, fmt, title=title)
        except report.PdfUnavailable as exc:
            raise UsageError(str(exc)) from None
    size = _write(path, data)
    return {"path": str(path), "charts": report.report_chart_ids(sections), "bytes": size}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the export commands to the parser."""
    chart = sub.add_parser("chart", parents=[common], help="write one article chart as PNG, SVG or HTML")
    chart.add_argument("id", metavar="ID", help="one of: " + ", ".join(ARTICLE_VIEW_IDS))
    chart.add_argument("--out", required=True, metavar="FILE", help="output file: .png, .svg or .html")
    chart.set_defaults(handler=_chart)

    rep = sub.add_parser(
        "report", parents=[common], help="write the self-contained report (HTML or PDF) or a PowerPoint deck"
    )
    rep.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="output file: .html, .pdf (needs Chromium) or .pptx (a deck with editable charts)",
    )
    rep.add_argument(
        "--template",
        metavar="FILE.pptx",
        default=None,
        help="for .pptx: a PowerPoint file whose layouts and theme the deck uses (its slides are dropped)",
    )
    rep.add_argument(
        "--compare",
        metavar="NAMES",
        default=None,
        help="comma-separated saved planner scenarios (two or more) to show side by side",
    )
    rep.add_argument("--dataset", metavar="NAME", default=None, help="include this uploaded facility dataset")
    rep.add_argument("--scenario", metavar="NAME", default=None, help="include this saved planner scenario")
    rep.add_argument(
        "--charts", metavar="IDS", default=None, help="comma-separated article charts to include (default: all)"
    )
    rep.add_argument("--no-sources", action="store_true", help="leave out the sources table")
    rep.add_argument("--no-headlines", action="store_true", help="leave out the key-figures summary")
    rep.add_argument("--title", default=None, help="report title")
    rep.set_defaults(handler=_report)
