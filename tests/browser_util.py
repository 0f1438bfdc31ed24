"""Helpers for the browser tests, and for rendering a downloaded deck with LibreOffice."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

RENDER_TIMEOUT_S = 180

SETTLE_MS = 400
_IDLE_WITH_CONTENT = """() =>
    !document.querySelector('[data-testid="stStatusWidget"]') &&
    !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]')"""


def wait_for_app(tab, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit has drawn the page and finished its run.

    The running indicator appears only after a short delay, so "no indicator" alone can
    be seen before the run starts; the check is repeated after a settle pause.
    """
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    for _ in range(2):
        tab.wait_for_function(_IDLE_WITH_CONTENT, timeout=timeout_ms)
        tab.wait_for_timeout(SETTLE_MS)
    tab.wait_for_function(_IDLE_WITH_CONTENT, timeout=timeout_ms)


def render_deck(soffice: str, deck: Path, out_dir: Path, dpi: int = 60) -> list[Path]:
    """The deck's slides as PNG pages, drawn by LibreOffice (deck -> PDF) and pdftoppm (PDF -> PNG).

    Each call gets its own LibreOffice profile, so parallel test workers do not collide.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = (out_dir / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(deck),
        ],
        check=True,
        capture_output=True,
        timeout=RENDER_TIMEOUT_S,
    )
    pdf = out_dir / f"{deck.stem}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-"), "LibreOffice wrote no PDF"
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(out_dir / "page")],
        check=True,
        capture_output=True,
        timeout=RENDER_TIMEOUT_S,
    )
    return sorted(out_dir.glob("page-*.png"))


def coloured_share(png: Path, box: tuple[float, float, float, float]) -> float:
    """Share of pixels in ``box`` (left, top, right, bottom as fractions of the page) in colour.

    Text, axes and gridlines are black or grey; the series are the palette's colours, so
    colour in a chart's box means its data were drawn.
    """
    from PIL import Image  # noqa: PLC0415

    with Image.open(png) as image:
        width, height = image.size
        crop = image.convert("RGB").crop(
            (int(box[0] * width), int(box[1] * height), int(box[2] * width), int(box[3] * height))
        )
        pixels = list(crop.get_flattened_data())
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60) / max(1, len(pixels))


def _chart_boxes(prs, slide) -> list[tuple[float, float, float, float]]:
    """Where each native chart or chart picture sits, as fractions of the slide."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: PLC0415

    width, height = prs.slide_width, prs.slide_height
    return [
        (s.left / width, s.top / height, (s.left + s.width) / width, (s.top + s.height) / height)
        for s in slide.shapes
        if s.has_chart or s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]


def assert_deck_draws_every_chart(data: bytes, soffice: str, folder: Path) -> list[Path]:
    """Render the deck: one page per slide, and colour (the series) inside every chart's box."""
    from pptx import Presentation  # noqa: PLC0415

    path = folder / "deck.pptx"
    path.write_bytes(data)
    pages = render_deck(soffice, path, folder / "render")
    prs = Presentation(io.BytesIO(data))
    assert len(pages) == len(prs.slides)
    drawn = 0
    for page, slide in zip(pages, prs.slides):
        title = slide.shapes.title.text if slide.shapes.title is not None else "?"
        for box in _chart_boxes(prs, slide):
            assert coloured_share(page, box) > 0.003, f"nothing drawn for a chart on {title!r} ({page.name})"
            drawn += 1
    assert drawn, "the deck has charts"
    return pages
