"""``make run``: ``streamlit run app.py``, with the dashboard's modules loaded while the server starts.

Streamlit runs a page's script only when the first browser asks for it, so the first
visitor after a start would wait for pandas, Plotly and every ``factorycore`` module to
import and for Plotly to build its first figure (0.6 s of a cold first chart,
``python -m bench first_paint``). Here a background thread does that work as the server
comes up; the server listens at once, and a request that arrives first simply finds
the imports under way (Python's import lock). Every argument after the module is passed
to ``streamlit run`` unchanged.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import threading
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"
PACKAGES = ("factorycore",)  # not ui: its caches must be made inside the Streamlit runtime


def preload() -> None:
    """Import every module of the dashboard's packages and draw one throwaway figure."""
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if module.name != __name__ and not module.name.endswith(".__main__"):
                importlib.import_module(module.name)
    import plotly.express as px  # noqa: PLC0415 - the point is to load it here

    px.line(x=[2020, 2021], y=[1.0, 2.0], color=["a", "b"]).to_dict()


def main() -> None:
    """Start the preload thread, then hand the command line to Streamlit."""
    from streamlit.web import cli  # noqa: PLC0415

    threading.Thread(target=preload, name="preload", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
