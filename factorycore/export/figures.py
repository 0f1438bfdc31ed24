"""One figure as PNG, SVG or standalone HTML bytes, with its source caption printed on it.

PNG and SVG are rendered by kaleido 1.x, which drives a headless Chromium. The
browser is Debian's ``/usr/bin/chromium`` unless ``BROWSER_PATH`` names another
(kaleido/choreographer read that variable; :func:`chromium_path` resolves it);
nothing is downloaded. Starting Chromium costs 2-4 s, so one renderer is kept
open per process and reused (about 0.2-0.3 s per image after the first); it is
serialised by a lock, restarted once if a render fails, and closed at exit.
MathJax is switched off, so a render never reaches for a CDN. Set
``FACTORY_KALEIDO_SERVER=0`` to render each image with a fresh browser instead.
This module imports no data layer, so the UI's export buttons stay import-light.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import html
import os
import shutil
import textwrap
import threading
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
FIGURE_FORMATS: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html"}
EXPORT_WIDTH_PX = 1280
EXPORT_HEIGHT_PX = 720
RENDER_TIMEOUT_S = 60.0
STARTUP_TIMEOUT_S = 60.0


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


def static_image(fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
    """PNG or SVG bytes of ``fig`` at the given size, from the kept (or a fresh) renderer."""
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
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-bottom_px,
        align="left",
        showarrow=False,
        font={"size": 11},
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
    return static_image(fig, fmt, EXPORT_WIDTH_PX, EXPORT_HEIGHT_PX)
