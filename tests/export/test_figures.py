"""Chart exports: PNG, SVG and standalone HTML from factorycore.export.figures and `python -m factorycore chart`.

Static renders go through kaleido and Chromium, so this file renders only a handful
of images (the shared renderer keeps one browser open for all of them).
"""

from __future__ import annotations

import json
import re
import struct
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from factorycore.cli import main
from factorycore.export import figures
from factorycore.views import ARTICLE_VIEW_IDS, article_view

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc\s*=", re.IGNORECASE)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG: wrong signature"
    assert data[12:16] == b"IHDR", "PNG without IHDR chunk first"
    return struct.unpack(">II", data[16:24])


def _assert_svg(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg"), root.tag
    return root


def _assert_standalone_html(text: str, chart_title: str) -> None:
    assert text.lstrip().lower().startswith(("<html", "<!doctype html"))
    assert 'class="plotly-graph-div"' in text
    assert text.count("* plotly.js v") == 1, "Plotly.js must be inlined exactly once"
    assert not REMOTE_SCRIPT.search(text), "standalone HTML must not load any script"
    assert json.dumps(chart_title)[1:-1] in text or chart_title in text


@pytest.fixture(scope="module")
def stack_chart(ref_con):
    return article_view(ref_con, "stack")


def test_png_export_has_signature_and_export_size(stack_chart, chromium) -> None:
    data = figures.figure_bytes(stack_chart.fig, "png")
    assert _png_size(data) == (figures.EXPORT_WIDTH_PX, figures.EXPORT_HEIGHT_PX)
    # A blank 1280x720 PNG compresses to a few kB; a drawn chart is far larger.
    assert 15_000 < len(data) < 5_000_000


def test_svg_export_parses_and_carries_the_title(stack_chart, chromium) -> None:
    data = figures.figure_bytes(stack_chart.fig, "svg")
    root = _assert_svg(data)
    assert root.get("width") == str(figures.EXPORT_WIDTH_PX)
    texts = " ".join(t for t in root.itertext())
    assert "AI factory" in texts, "the chart title should be drawn as SVG text"


def test_svg_export_prints_the_source_caption_under_the_chart(stack_chart, chromium) -> None:
    caption = "Sources: Example <Publisher>, a very long title " + "x" * 300 + ". Of 3 data rows, 2 modelled."
    plain = figures.figure_bytes(stack_chart.fig, "svg")
    texts = " ".join(_assert_svg(figures.figure_bytes(stack_chart.fig, "svg", caption)).itertext())
    assert "Sources: Example <Publisher>" in texts, "the caption is drawn, its markup escaped"
    assert "2 modelled." in texts, "a long caption wraps instead of being cut"
    assert "Sources: Example" not in " ".join(_assert_svg(plain).itertext())
    assert not stack_chart.fig.layout.annotations or all(
        "Sources: Example" not in (a.text or "") for a in stack_chart.fig.layout.annotations
    ), "the caller's figure is left unchanged"


def test_cli_chart_carries_its_provenance(chromium, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "distribution.svg"
    assert main(["chart", "power_distribution", "--out", str(out), "--format", "json"]) == 0
    texts = " ".join(_assert_svg(out.read_bytes()).itertext())
    assert "Sources: AI Factory Dashboard" in texts and "modelled" in texts


def test_html_export_is_standalone(stack_chart) -> None:
    text = figures.figure_bytes(stack_chart.fig, "html").decode("utf-8")
    _assert_standalone_html(text, stack_chart.title)


def test_unknown_figure_format_is_refused(stack_chart) -> None:
    with pytest.raises(ValueError, match="unknown figure format"):
        figures.figure_bytes(stack_chart.fig, "jpeg")


def test_concurrent_renders_do_not_cross(ref_con, chromium) -> None:
    """Two sessions exporting at once each get their own format back (the renderer is locked)."""
    fig = article_view(ref_con, "maturity").fig
    results: dict[str, bytes] = {}

    def render(fmt: str) -> None:
        results[fmt] = figures.figure_bytes(fig, fmt)

    threads = [threading.Thread(target=render, args=(fmt,)) for fmt in ("png", "svg")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert results["png"].startswith(PNG_SIGNATURE)
    _assert_svg(results["svg"])


def test_cli_chart_png(chromium, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "density.png"
    assert main(["chart", "rack_density", "--out", str(out), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"chart", "path", "bytes"}
    assert result["chart"] == "rack_density"
    assert result["path"] == str(out)
    assert result["bytes"] == out.stat().st_size
    assert _png_size(out.read_bytes()) == (figures.EXPORT_WIDTH_PX, figures.EXPORT_HEIGHT_PX)


@pytest.mark.parametrize("chart_id", ARTICLE_VIEW_IDS)
def test_cli_chart_html_for_every_article_chart(
    chart_id: str, tmp_path: Path, ref_con, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / f"{chart_id}.html"
    assert main(["chart", chart_id, "--out", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["bytes"] == out.stat().st_size
    _assert_standalone_html(out.read_text(encoding="utf-8"), article_view(ref_con, chart_id).title)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["chart", "pie", "--out", "{tmp}/x.png"], "unknown chart 'pie'"),
        (["chart", "stack", "--out", "{tmp}/x.jpg"], "must end in .png, .svg, .html"),
        (["chart", "stack", "--out", "{tmp}/missing/x.png"], "does not exist"),
    ],
)
def test_cli_chart_usage_errors_exit_2(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [], "a refused export writes nothing"


def test_cli_chart_requires_out(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["chart", "stack"])
    assert exc.value.code == 2
    assert "--out" in capsys.readouterr().err
