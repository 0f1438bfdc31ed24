"""ui.launch's preparation of the landing page: what it makes is what the overview then draws."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from devkit.server import free_port
from factorycore.headlines import compute_headlines
from tests.conftest import REPO_ROOT
from ui import overview_content
from ui.data import reference


def test_warm_makes_the_overviews_cards_and_first_chart_once(ref_con) -> None:
    overview_content.warm()
    cards, chart = overview_content.headline_cards(), overview_content.contrast_chart()
    # Shared, not rebuilt: the page's run gets the very objects warm() made.
    assert overview_content.headline_cards() is cards and overview_content.contrast_chart() is chart
    figures = compute_headlines(reference("rack_density"), reference("power_distribution"), reference("electricity"))
    assert [c.label for c in cards] == [f.label for f in figures]
    assert chart.fig.layout.title.text == overview_content.CONTRAST_TITLE
    names = " ".join(t.name for t in chart.fig.data)
    assert "Enterprise" in names and "AI factory" in names

    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [m.label for m in at.metric] == [c.label for c in cards]
    assert at.get("plotly_chart")[0].proto.spec  # the first chart is drawn from the prepared view


WATCH_PRELOAD = """
import gc, os, sys, threading, time
from ui import launch

def preloading():
    return any(t.name == "preload" for t in threading.enumerate())

def report():
    while not preloading():  # launch.main starts it after importing Streamlit's command line
        time.sleep(0.05)
    while preloading():
        time.sleep(0.1)
    print(gc.get_freeze_count(), len(gc.get_objects()), flush=True)
    os._exit(0)

threading.Thread(target=report, daemon=True).start()
sys.argv[1:] = ["--server.port", sys.argv[1], "--server.address", "127.0.0.1", "--server.headless", "true"]
launch.main()
"""


def test_preload_freezes_the_loaded_heap_out_of_the_full_collection_after_each_run(tmp_path: Path) -> None:
    """Streamlit runs gc.collect(2) after every script run, holding the GIL: over the dashboard's whole
    heap that was 180 ms in which no message reached a browser. The server ``make run`` starts freezes
    what its preload made out of that collection."""
    done = subprocess.run(
        [sys.executable, "-c", WATCH_PRELOAD, str(free_port())],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"FACTORY_DB": str(tmp_path / "launch.duckdb"), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    frozen, still_tracked = map(int, done.stdout.split()[-2:])
    assert frozen > 10 * still_tracked  # all but what the server made after the freeze
