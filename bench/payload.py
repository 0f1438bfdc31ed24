"""Payload: the most points any one trace sends to the browser, over every chart the pages draw.

Every page of ``app.py`` is run through AppTest in its default state on reference
data; the My facility page additionally loads each of the three samples (racks,
telemetry, meter) with its "Load sample" button, and is then shown on the
10-million-row telemetry dataset the other benchmarks ingest. Each ``st.plotly_chart``
the run produced is read back from its figure JSON (the bytes that go to the
browser), and each trace's points are counted: the length of its longest data array
(x, y, z cells, values, labels, ...), decoding Plotly's typed-array form. The target
is at most 5,000 points per trace. There is no timing here, so no baseline.
"""

from __future__ import annotations

import base64
import json

from streamlit.testing.v1 import AppTest

from bench.app_state import app_database_restored, use_database
from bench.data import cli_ingest, temp_dir
from bench.harness import Measurement
from bench.interaction import APP, PAGES
from factorycore import db

MAX_POINTS = 5000
BIG_ROWS = 10_000_000
# Trace keys that carry one value per point (everything else is styling).
DATA_KEYS = (
    "x",
    "y",
    "z",
    "values",
    "labels",
    "ids",
    "parents",
    "lat",
    "lon",
    "r",
    "theta",
    "a",
    "b",
    "c",
    "open",
    "high",
    "low",
    "close",
    "text",
    "customdata",
    "locations",
    "source",
    "target",
    "value",
    "dimensions",
)
ITEM_BYTES = {"f8": 8, "f4": 4, "i8": 8, "u8": 8, "i4": 4, "u4": 4, "i2": 2, "u2": 2, "i1": 1, "u1": 1}


def _count(value) -> int:
    """Points in one data array: plain list (nested lists count their cells) or typed array."""
    if isinstance(value, dict) and "bdata" in value:
        n = len(base64.b64decode(value["bdata"])) // ITEM_BYTES.get(value.get("dtype", "f8"), 8)
        return n
    if isinstance(value, list):
        if value and isinstance(value[0], (list, dict)) and not isinstance(value[0], str):
            return sum(_count(v) for v in value)
        return len(value)
    return 0


def _trace_points(trace: dict) -> int:
    counts = [_count(trace.get(k)) for k in DATA_KEYS if k in trace]
    link = trace.get("link") or {}
    counts += [_count(link.get(k)) for k in ("source", "target", "value")]
    node = trace.get("node") or {}
    counts.append(_count(node.get("label")))
    return max(counts, default=0)


def _charts(at: AppTest, where: str) -> list[tuple[str, str, int]]:
    """(where, chart label, max points per trace) for each chart of the last run."""
    found = []
    for i, chart in enumerate(at.get("plotly_chart")):
        spec = json.loads(chart.proto.spec)
        title = (spec.get("layout") or {}).get("title") or {}
        label = title.get("text") if isinstance(title, dict) else str(title)
        found.append(
            (where, (label or f"chart {i + 1}")[:60], max((_trace_points(t) for t in spec.get("data", [])), default=0))
        )
    return found


def _run(at: AppTest, where: str) -> AppTest:
    at.run()
    if at.exception:
        raise RuntimeError(f"{where}: {[e.value for e in at.exception]}")
    return at


def _reference_charts() -> list[tuple[str, str, int]]:
    found = []
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page(f"app_pages/{page}.py")
        found += _charts(_run(at, page), page)
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("app_pages/my_facility.py")
    _run(at, "my_facility")
    for kind in ("racks", "telemetry", "meter"):
        at.selectbox(key="sample-kind").set_value(kind)
        at.button(key="sample-load").click()
        found += _charts(_run(at, f"my_facility {kind} sample"), f"my_facility ({kind} sample)")
    return found


def _big_charts() -> list[tuple[str, str, int]]:
    big = cli_ingest(BIG_ROWS)
    use_database(big.db_file)
    at = AppTest.from_file(APP, default_timeout=300)
    at.switch_page("app_pages/my_facility.py")
    return _charts(_run(at, "my_facility 10M"), f"my_facility ({BIG_ROWS:,}-row telemetry)")


def run() -> list[Measurement]:
    """Max points per trace: all pages on reference data (and samples), and the 10M telemetry views."""
    with app_database_restored():
        ref_db = temp_dir() / "payload.duckdb"
        use_database(ref_db)
        db.open_database(ref_db).close()
        reference = _reference_charts()
        big = _big_charts()
    results = []
    for label, charts in (
        ("every chart of every page on reference data and the three samples", reference),
        (f"My facility charts on the {BIG_ROWS:,}-row telemetry dataset", big),
    ):
        worst = max(charts, key=lambda c: c[2])
        results.append(
            Measurement(
                name=(
                    f"payload: max points per trace, {label} ({len(charts)} charts; largest: {worst[0]}, {worst[1]!r})"
                ),
                figure=worst[2],
                unit="points",
                target=f"<= {MAX_POINTS:,}",
                met=worst[2] <= MAX_POINTS,
            )
        )
    return results
