"""A store file damaged after it was written (truncated, blocks overwritten) opens, then fails on a
later read. Every page, and the command line, say "damaged database" as the opening path does,
never a traceback.

The damage is chosen so the file still opens and its catalog still reads: only a data
table's blocks are lost, the case the opening check cannot see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from factorycore import db, scenarios
from factorycore.userdata import catalog, ingest
from ui.navigation import PAGES

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "samples"
BLOCK = 262_144  # DuckDB's block size
DAMAGED = "is not a valid DuckDB database file"


@pytest.fixture(scope="module")
def good_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("damage") / "good.duckdb"
    con = db.open_database(path)
    try:
        for kind in ("racks", "telemetry", "meter"):
            ingest.ingest(con, SAMPLES / f"{kind}_sample.csv", name=f"{kind}-sample")
        scenarios.save(con, "hall b", {"count": 4})
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def _data_fails(path: Path) -> bool:
    """Whether the file opens as the app opens it (``ref`` checked) but a stored dataset's table cannot be read."""
    try:
        con = db.open_database(path)
    except db.DatabaseError:
        return False
    try:
        try:
            tables = [r[0] for r in con.execute(f"SELECT table_name FROM {catalog.CATALOG}").fetchall()]
        except duckdb.Error:
            return False  # the catalog itself: the pages could not even list the datasets
        for table in tables:
            con.execute(f'SELECT * FROM facility."{table}"').fetchall()
        return False
    except duckdb.Error:
        return True
    finally:
        con.close()


def _overwritten(good: Path, target: Path) -> Path:
    """The good file with one block's contents overwritten: the first block whose loss the opening
    check does not see but a dataset's table does."""
    probe = target.with_name("probe.duckdb")
    for block in range(1, good.stat().st_size // BLOCK):
        shutil.copy(good, probe)
        with probe.open("r+b") as handle:
            handle.seek(block * BLOCK + 8)  # past the block's checksum: its contents no longer match it
            handle.write(b"\0" * (BLOCK // 2))
        if _data_fails(probe):
            shutil.copy(good, probe)
            with probe.open("r+b") as handle:
                handle.seek(block * BLOCK + 8)
                handle.write(b"\0" * (BLOCK // 2))
            probe.replace(target)
            return target
    pytest.fail("no single overwritten block left the file openable and a data table damaged")


@pytest.fixture(params=["truncated", "overwritten"])
def damaged(request, good_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A damaged store, FACTORY_DB pointed at it.

    Truncated: the file is cut to half its size while the app holds it open (as a disk
    problem under a serving app would), so the catalog DuckDB read at opening is in
    memory and the datasets' blocks are gone. Overwritten: one data block's bytes.
    """
    target = tmp_path / f"{request.param}.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(target))
    if request.param == "overwritten":
        yield _overwritten(good_store, target)
        return
    shutil.copy(good_store, target)
    with db.hold(target) as con:
        catalog.list_datasets(con)
        with target.open("r+b") as handle:
            handle.truncate(target.stat().st_size // 2)
        yield target


def _ids(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path))
    try:
        rows = con.execute(f"SELECT kind, dataset_id FROM {catalog.CATALOG}").fetchall()
    finally:
        con.close()
    return {kind: int(i) for kind, i in rows}


def _page(path: str, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.switch_page(path)
    return at.run()


def _shown(at: AppTest) -> str:
    return " ".join([*(t.value for t in at.text), *(e.value for e in at.error)])


def test_every_page_says_damaged_database_never_a_traceback(damaged: Path):
    ids = _ids(damaged)
    said = []
    for spec in PAGES:
        at = _page(spec.path)
        assert not at.exception, (spec.path, [e.value for e in at.exception])
        said += [spec.path] if DAMAGED in _shown(at) else []
    for kind in ("racks", "telemetry", "meter"):  # each kind's views read its data table
        at = _page("app_pages/my_facility.py", {"facility-selected": ids[kind]})
        assert not at.exception, (kind, [e.value for e in at.exception])
        said += [kind] if DAMAGED in _shown(at) else []
    assert said, "no page read the damaged table"  # the damage was reached, and said so


def test_the_planner_site_load_on_a_damaged_store_says_so(damaged: Path):
    ids = _ids(damaged)
    at = _page("app_pages/planner.py")
    at.session_state["pl_site_open"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if not [s for s in at.selectbox if s.key == "pl_site_meter"]:  # the page's own reads met the damage first
        assert DAMAGED in _shown(at)
        return
    for kind, key in (("meter", "pl_site_meter"), ("telemetry", "pl_site_telemetry"), ("racks", "pl_site_racks")):
        at.selectbox(key=key).set_value(ids[kind])
    at.run()
    at.button(key="pl_site_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = _shown(at)
    assert DAMAGED in shown or "IT load today from" in shown  # said so, or the blocks read were intact
    assert all(DAMAGED in e.value or "cannot be used" in e.value for e in at.error), [e.value for e in at.error]


def test_the_command_line_says_damaged_database_on_a_later_read(damaged: Path):
    ids = _ids(damaged)
    failures = []
    names = {kind: f"{kind}-sample" for kind in ids}
    for args in (
        ["stranded", names["racks"]],
        ["stranded", names["racks"], "--telemetry", names["telemetry"]],
        ["report", "--dataset", names["telemetry"], "--out", str(damaged.with_suffix(".html")), "--charts", "stack"],
        [
            "report",
            "--dataset",
            names["meter"],
            "--out",
            str(damaged.with_name(damaged.stem + "-meter.html")),
            "--charts",
            "stack",
        ],
    ):
        run = subprocess.run(
            [sys.executable, "-m", "factorycore", *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "FACTORY_DB": str(damaged)},
            timeout=300,
        )
        assert "Traceback" not in run.stderr, run.stderr
        if run.returncode != 0:
            assert DAMAGED in run.stderr, (args, run.stderr)
            failures.append(args[0])
    assert failures, "no command read the damaged table"
