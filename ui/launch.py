"""``make run``: ``streamlit run app.py``, with the dashboard's modules loaded while the server starts.

Streamlit runs a page's script only when the first browser asks for it, so the first
visitor after a start would wait for pandas, Plotly and every ``factorycore`` and ``ui``
module to import and for Plotly to build its first figure (about 1 s of a cold first
chart, ``python -m bench first_paint``). Here a background thread does that work as the
server comes up (the ``ui`` modules once Streamlit's runtime exists, so their
``st.cache_*`` functions are made inside it, as on a normal first run), and then fills
the landing page's caches. The server listens at once, and a request that arrives first
simply finds the imports under way (Python's import lock). Every argument after the
module is passed to ``streamlit run`` unchanged.

Before the server starts, :func:`ui.server_limits.install` bounds what sessions that have
not signed in, and uploads in general, may cost it.

Last, the preload freezes what is now in memory (``gc.freeze``). Streamlit runs a full
collection after every script run (``runner.postScriptGC``) while holding the GIL, so no
message reaches a browser until it ends: over the dashboard's loaded modules that was
180 ms per run, the largest part of a warm first chart's lead over a bare app, and
2 ms once frozen. Frozen objects are never cycle-collected; they are the imports and
the landing page's caches, which live as long as the server anyway.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
RUNTIME_WAIT_S = 60.0


def _import_all(name: str) -> None:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
        if module.name != __name__ and not module.name.endswith(".__main__"):
            importlib.import_module(module.name)


def preload() -> None:
    """Import every module of the dashboard's packages, draw one throwaway figure, make the
    overview's cards and first chart (:func:`ui.overview_content.warm`) for the first visitor,
    then freeze the heap out of the collection after each run."""
    from streamlit.runtime import Runtime  # noqa: PLC0415

    _import_all("factorycore")
    import plotly.express as px  # noqa: PLC0415 - the point is to load it here

    px.line(x=[2020, 2021], y=[1.0, 2.0], color=["a", "b"]).to_dict()
    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not Runtime.exists():
        return
    _import_all("ui")
    from ui import overview_content  # noqa: PLC0415 - ui loads only once the runtime exists

    try:
        overview_content.warm()
    except Exception as exc:  # noqa: BLE001 - a store that cannot be read now is the first page's to report
        sys.stderr.write(f"preload: the overview was not prepared ({type(exc).__name__}: {exc})\n")
    gc.freeze()


def main() -> None:
    """Start the preload thread, then hand the command line to Streamlit."""
    from streamlit.web import cli  # noqa: PLC0415

    from ui import server_limits  # noqa: PLC0415 - streamlit's own modules only, no runtime needed

    server_limits.install()
    threading.Thread(target=preload, name="preload", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
