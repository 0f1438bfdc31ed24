"""Interaction: each page's rerun after one widget change, through Streamlit's AppTest.

For every page of ``app.py`` (``st.navigation``), a fresh ``AppTest`` switches to the
page and runs it twice to warm the caches; then the first toggle, radio, selectbox,
select slider or number input on the page is changed to another valid value and the
rerun is timed - nine changes, alternating between two values, median reported (a page
with none of those widgets, like the overview, gets nine plain reruns instead). The
new value is sent exactly as the browser sends it (the option's label for choice
widgets), so any ``format_func`` works. The baseline is the same procedure on
:mod:`bench.bare_app` (one toggle, one chart), run before, between and after the pages;
every page is compared with the median of those runs (one bare run varies by +-30 % on
this 2-core machine, a pooled median far less).

AppTest compiles the app's scripts afresh on every run (each run makes a new
``ScriptCache``); a server compiles each once, into the Runtime's one cache, and
recompiles only after the last session has left. So the runs here share one cache
(:func:`server_script_cache`), for the bare app and the pages alike: the figure is the
rerun a user waits for. AppTest's runner also skips the full garbage collection a server
runs after every run (``runner.postScriptGC``): the dashboard's server has its preloaded
heap frozen out of that (``ui.launch``; 2 ms a run), the bare app's costs it 73 ms,
which no row here shows.

The large case: a 10-million-row telemetry file ingested through the CLI into its own
database (shared workspace, so every session sees it) is shown on the My facility
page; the comparison widget ("Compare with") is changed and the rerun timed. The
aggregations run in DuckDB and are cached per dataset, so a rerun only redraws.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from bench.app_state import app_database_restored, use_database
from bench.data import cli_ingest, temp_dir
from bench.harness import Measurement
from factorycore import db

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = str(REPO_ROOT / "app.py")
BARE = str(REPO_ROOT / "bench" / "bare_app.py")
PAGES = (
    "overview",
    "rack_density",
    "power_distribution",
    "stack",
    "maturity",
    "electricity",
    "planner",
    "my_facility",
    "report",
    "presentation",
)
CHANGES = 9  # changes per page, median reported
TARGET_RATIO = 5.0  # issue 18: every page's rerun at most 5x the bare app's toggle
BIG_ROWS = 10_000_000
BIG_TARGET_RATIO = 10.0  # and the 10M-row telemetry page at most 10x
WIDGET_KINDS = ("toggle", "radio", "selectbox", "select_slider", "number_input")


@contextmanager
def server_script_cache() -> Iterator[None]:
    """Make AppTest's runs share one compiled-script cache, as a server's sessions do."""
    shared = ScriptCache()
    modules = (app_test, local_script_runner)
    for module in modules:
        module.ScriptCache = lambda: shared
    try:
        yield
    finally:
        for module in modules:
            module.ScriptCache = ScriptCache


def _check(at: AppTest, where: str) -> None:
    if at.exception:
        raise RuntimeError(f"{where}: {[e.value for e in at.exception]}")


def _pin(widget, option: str) -> None:
    """Make the next run send ``option`` (a formatted label) for a choice widget, as the browser does."""
    base = type(widget)
    kind = widget.type

    class Pinned(base):  # type: ignore[misc, valid-type]
        @property
        def _widget_state(self) -> WidgetState:
            ws = WidgetState()
            ws.id = self.id
            if kind == "select_slider":
                ws.string_array_value.data[:] = [option]
            else:
                ws.string_value = option
            return ws

    widget.__class__ = Pinned


def _first_widget(at: AppTest) -> tuple[str, object] | None:
    """The page's first enabled widget that can take two values (a one-option box cannot change)."""
    for kind in WIDGET_KINDS:
        for widget in at.get(kind):
            if not widget.disabled and len(getattr(widget, "options", ("a", "b"))) >= 2:
                return kind, widget
    return None


def _changer(at: AppTest, kind: str, widget) -> tuple[str, Callable[[int], None]]:
    """A description of the widget and a function that sets it to the i-th of two values."""
    key = widget.key
    label = f"{kind} {widget.label!r}"

    def find():
        return next(w for w in at.get(kind) if (w.key == key if key else w.label == widget.label))

    if kind == "toggle":
        start = bool(widget.value)
        return label, lambda i: find().set_value(start if i % 2 else not start)
    if kind == "number_input":
        start = widget.value
        step = widget.step or 1
        other = start + step if widget.max is None or start + step <= widget.max else start - step
        return label, lambda i: find().set_value(start if i % 2 else other)
    options = list(widget.options)
    if len(options) < 2:
        raise RuntimeError(f"{label} has fewer than two options")
    if kind == "select_slider":
        current = widget._widget_state.string_array_value.data[0]
    else:
        current = options[widget.index]
    other = next(o for o in options if o != current)
    return label, lambda i: _pin(find(), current if i % 2 else other)


def _time_changes(at: AppTest, set_value: Callable[[int], None], where: str) -> float:
    times = []
    for i in range(CHANGES):
        set_value(i)
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        _check(at, where)
    return statistics.median(times)


def _page_rerun(page: str | None, widget_key: str | None = None) -> tuple[str, float]:
    """(widget description, median rerun seconds) for one page of the app (None: the bare app)."""
    at = AppTest.from_file(APP if page else BARE, default_timeout=120)
    if page:
        at.switch_page(f"app_pages/{page}.py")
    for _ in range(2):
        at.run()
        _check(at, page or "bare app")
    if widget_key:
        found = next(((k, w) for k in WIDGET_KINDS for w in at.get(k) if w.key == widget_key), None)
        if found is None or len(at.get("plotly_chart")) < 3:
            raise RuntimeError(f"{page}: the dataset's comparison ({widget_key}, charts) is not shown")
    else:
        found = _first_widget(at)
    if found is None:  # a page without such a widget (the overview): time a plain rerun
        return "plain rerun (no widget on the page)", _time_changes(at, lambda i: None, page or "bare app")
    label, set_value = _changer(at, *found)
    return label, _time_changes(at, set_value, page or "bare app")


def run() -> list[Measurement]:
    """Median widget-change rerun per page (reference data), and on a 10M-row telemetry dataset."""
    results: list[Measurement] = []
    with app_database_restored(), server_script_cache():
        ref_db = temp_dir() / "interaction.duckdb"
        use_database(ref_db)
        db.open_database(ref_db).close()
        bare_times, page_times = [], []
        for page in PAGES:
            bare_times.append(_page_rerun(None)[1])
            page_times.append((page, *_page_rerun(page)))
        bare_times.append(_page_rerun(None)[1])
        # One baseline for every page: the median of the bare app's runs before, between and after them.
        baseline = statistics.median(bare_times)
        for page, label, seconds in page_times:
            results.append(
                Measurement(
                    name=f"interaction: {page}, rerun after {label}",
                    figure=seconds * 1000,
                    unit="ms",
                    baseline=baseline * 1000,
                    baseline_label=f"bare app toggle, median of {len(bare_times)} runs",
                    target=f"<= {TARGET_RATIO:g}x baseline",
                    met=seconds <= TARGET_RATIO * baseline,
                )
            )
        big = cli_ingest(BIG_ROWS)
        use_database(big.db_file)
        label, seconds = _page_rerun("my_facility", widget_key="fac-profile")
        bare_times.append(_page_rerun(None)[1])
        bare = statistics.median(bare_times)
        results.append(
            Measurement(
                name=f"interaction: my_facility with a {BIG_ROWS:,}-row telemetry dataset, rerun after {label}",
                figure=seconds * 1000,
                unit="ms",
                baseline=bare * 1000,
                baseline_label=f"bare app toggle, median of {len(bare_times)} runs",
                target=f"<= {BIG_TARGET_RATIO:g}x baseline",
                met=seconds <= BIG_TARGET_RATIO * bare,
            )
        )
    return results
