"""My facility's live Prometheus source through AppTest, against a real Prometheus on 127.0.0.1: added, its
figures drawn from the server's sums, refreshed, and a failure shown with nothing stored."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from devkit.server import free_port
from factorycore import db
from factorycore.userdata import catalog

PAGE = str(Path(__file__).resolve().parent.parent / "app_pages" / "my_facility.py")


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _datasets() -> list[tuple]:
    con = db.shared_connection()
    catalog.ensure_catalog(con)
    return con.cursor().execute(f"SELECT dataset_id, name, created, rows_accepted FROM {catalog.CATALOG}").fetchall()


def _ask(at: AppTest, url: str) -> AppTest:
    at.text_input(key="prom-url").set_value(url)
    at.number_input(key="prom-hours").set_value(4.0)
    _run(at)
    at.button(key="live-add").click()
    return _run(at)


def test_add_a_live_source_see_its_figures_and_refresh_it(prometheus_url):
    before = _datasets()
    at = _ask(_run(AppTest.from_file(PAGE, default_timeout=60)), prometheus_url["url"])
    assert any("per-rack sums as the live dataset" in s.value for s in at.success)
    [(dataset_id, name, created, rows)] = [d for d in _datasets() if d not in before]
    assert name.startswith("prometheus live ") and rows == 2 * 480  # two racks, 480 buckets of 15 s
    captions = " ".join(c.value for c in at.caption)
    assert f"Live from Prometheus at {prometheus_url['url']}" in captions and "15 seconds buckets" in captions
    assert len(at.get("plotly_chart")) >= 1  # the site views read the stored sums
    at.button(key=f"live-refresh-{dataset_id}").click()
    _run(at)
    [(same_id, _, refreshed, _)] = [d for d in _datasets() if d[0] == dataset_id]
    assert same_id == dataset_id and refreshed != created


def test_an_unreachable_server_stores_nothing():
    before = _datasets()
    at = _ask(_run(AppTest.from_file(PAGE, default_timeout=60)), f"http://127.0.0.1:{free_port()}")
    assert any("could not be stored" in e.value for e in at.error)
    assert any("no Prometheus answered" in t.value for t in at.text)
    assert _datasets() == before
