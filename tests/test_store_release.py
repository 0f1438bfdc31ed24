"""The store is let go after every use, callbacks included, and loading a site's measurements
never breaks the planner, whatever was loaded before (AppTest; Chromium in
tests/test_browser_store_release.py).

Each test here works on its own database file, so nothing else in the test process
holds it and the command line's wait is the app's doing alone.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db
from factorycore.userdata import catalog, ingest
from ui import site_plan_inputs

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
PLANNER = str(REPO / "app_pages" / "planner.py")
CLI_WAIT_S = 8.0  # the bounded wait the command line is given: well above the app's linger


@pytest.fixture
def own_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store for this test only, with the three site samples stored in the shared workspace."""
    path = tmp_path / "own.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(path))
    con = db.open_database(path)
    try:
        for kind in ("meter", "telemetry", "racks"):
            ingest.ingest(con, SAMPLES / f"{kind}_sample.csv", name=f"{kind}-sample")
    finally:
        con.close()
    return path


def cli_datasets(path: Path, wait_s: float = CLI_WAIT_S) -> tuple[subprocess.CompletedProcess, float]:
    """``python -m factorycore datasets`` on ``path``, and how long it took."""
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "factorycore", "datasets", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "FACTORY_DB": str(path), "FACTORY_STORE_WAIT_S": str(wait_s)},
        timeout=wait_s + 60,
    )
    return run, time.monotonic() - started


def _ids(path: Path) -> dict[str, int]:
    with db.hold(path) as con:
        frame = catalog.list_datasets(con)
    return {str(r.kind): int(r.dataset_id) for r in frame.itertuples()}


def _planner() -> AppTest:
    at = AppTest.from_file(PLANNER, default_timeout=60).run()
    at.session_state[site_plan_inputs.OPEN_KEY] = True
    return at.run()


def _load(at: AppTest, picks: dict[str, int | None]) -> None:
    for kind, key in site_plan_inputs.PICK_KEYS.items():
        at.selectbox(key=key).set_value(picks.get(kind))
    at.run()
    at.button(key="pl_site_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error], [e.value for e in at.error]


# --- finding 2: a second load -----------------------------------------------------------------------


def test_loading_site_measurements_twice_in_a_fresh_session_does_not_raise(own_db):
    ids = _ids(own_db)
    at = _planner()
    _load(at, {"meter": ids["meter"]})
    assert at.session_state["pl_mode"] == "target"  # the count widget is hidden now, and its value forgotten
    _load(at, {"telemetry": ids["telemetry"]})
    assert at.session_state["pl_mode"] == "target"
    assert any("IT load today from 'telemetry-sample'" in t.value for t in at.text)


def test_every_order_of_every_dataset_kind_loads(own_db):
    ids = _ids(own_db)
    kinds = ("meter", "telemetry", "racks")
    combos = [dict.fromkeys(c, 0) for n in (1, 2, 3) for c in itertools.combinations(kinds, n)]
    at = _planner()
    for first, second in itertools.permutations(combos, 2):
        for picks in (first, second):
            _load(at, {kind: ids[kind] for kind in picks})


# --- finding 1: the callbacks let the store go -------------------------------------------------------


def _idle(path: Path) -> None:
    """Wait out the app's linger (the file is let go this long after its last use)."""
    deadline = time.monotonic() + db.LINGER_S + 5
    while db.held(path) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(db.LINGER_S + 0.5)


def test_after_a_site_load_and_scenario_buttons_the_command_line_gets_the_store(own_db):
    ids = _ids(own_db)
    at = _planner()
    at.text_input(key="pl_sc_name").set_value("hall b").run()
    at.button(key="pl_sc_save").click().run()
    at.selectbox(key="pl_sc_pick").set_value("hall b").run()
    at.button(key="pl_sc_load").click().run()
    at.button(key="pl_sc_delete").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Deleted scenario hall b" in s.value for s in at.success)
    _load(at, {"meter": ids["meter"]})
    _idle(own_db)
    run, took_s = cli_datasets(own_db)
    assert run.returncode == 0, run.stderr
    assert took_s < CLI_WAIT_S, took_s
    # ... and the app still serves, reopening the file for its next run.
    at.run()
    assert not at.exception


def test_a_callback_that_cannot_open_the_store_says_so_in_one_line(own_db, monkeypatch):
    ids = _ids(own_db)
    at = _planner()
    at.selectbox(key="pl_site_meter").set_value(ids["meter"]).run()
    _idle(own_db)
    blocker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(30)",
            str(own_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert blocker.stdout.readline().strip() == "ok"
        monkeypatch.setenv("FACTORY_STORE_WAIT_S", "0.5")
        at.button(key="pl_site_go").click().run()
        shown = " ".join(e.value for e in at.error)
        assert "in use by another process" in shown
    finally:
        blocker.kill()
        blocker.wait()


# --- the rule, for callbacks added later ---------------------------------------------------------------


def test_every_callback_that_touches_the_store_is_held():
    """A widget callback runs before app.py's hold: one that reads or writes the store must be
    wrapped with ui.data.with_store, or hold the store itself (``with db.hold() as con``)."""
    import ast

    offenders = []
    for path in [*(REPO / "ui").glob("*.py"), *(REPO / "app_pages").glob("*.py")]:
        tree = ast.parse(path.read_text(), str(path))
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        callbacks = {
            kw.value.id
            for call in ast.walk(tree)
            if isinstance(call, ast.Call)
            for kw in call.keywords
            if kw.arg in ("on_click", "on_change") and isinstance(kw.value, ast.Name)
        }
        for name in sorted(callbacks & set(functions)):
            function = functions[name]
            nodes = list(ast.walk(function))
            touches = any(isinstance(n, ast.Name) and n.id in ("connection", "_connection", "db") for n in nodes)
            held = any(isinstance(d, ast.Name) and d.id == "with_store" for d in function.decorator_list) or any(
                isinstance(n, ast.withitem)
                and isinstance(n.context_expr, ast.Call)
                and isinstance(n.context_expr.func, ast.Attribute)
                and n.context_expr.func.attr == "hold"
                for n in nodes
            )
            if touches and not held:
                offenders.append(f"{path.name}: {name}")
    assert not offenders, offenders
