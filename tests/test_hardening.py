"""Issue 19: what a red-team pass broke, one test (or a few) per finding, engine side.

Browser-side reproductions are in tests/test_browser_hardening.py; the racing
scenario saves in tests/test_scenarios.py.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from factorycore import db
from factorycore.userdata import catalog, ingest
from tests.race_util import race

REPO = Path(__file__).resolve().parent.parent
RACKS_SAMPLE = REPO / "data" / "samples" / "racks_sample.csv"


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "hardening.duckdb", build=False)
    yield c
    c.close()


def _session(i: int) -> str:
    return catalog.session_workspace(f"{i:016x}")


# --- 3: unique dataset names under concurrency --------------------------------------------


def test_concurrent_saves_to_shared_leave_one_dataset_per_name(con):
    for round_no in range(5):
        name = f"racks_sample-{round_no}"
        ids = [
            ingest.ingest(con, RACKS_SAMPLE, name=name, workspace=_session(100 * round_no + i)).dataset_id
            for i in range(4)
        ]
        # Bound as defaults: the threads use this round's ids (race() joins them before the loop goes on).
        errors = race(
            4, lambda i, ids=ids, base=100 * round_no: catalog.save_to_shared(con, ids[i], _session(base + i))
        )
        shared = catalog.list_datasets(con)
        assert (shared["name"].str.lower() == name.lower()).sum() == 1
        assert len(errors) == 3
        assert all(isinstance(e, catalog.DatasetError) and "already has a dataset named" in str(e) for e in errors), (
            errors
        )


def test_concurrent_ingests_under_one_name_store_one(con):
    errors = race(3, lambda i: ingest.ingest(con, RACKS_SAMPLE, name="Hall A racks"))
    assert len(errors) == 2
    assert all(isinstance(e, catalog.DatasetError) and "already exists" in str(e) for e in errors), errors
    assert list(catalog.list_datasets(con)["name"]) == ["Hall A racks"]


def test_a_database_with_duplicate_names_is_deduplicated_not_dropped(tmp_path: Path):
    path = tmp_path / "old.duckdb"
    old = db.open_database(path, build=False)
    first = ingest.ingest(old, RACKS_SAMPLE, name="Hall A").dataset_id
    second = ingest.ingest(old, RACKS_SAMPLE, name="other").dataset_id
    third = ingest.ingest(old, RACKS_SAMPLE, name="third").dataset_id
    # As a database from before the unique index: drop it and make the names collide.
    old.execute("DROP INDEX facility.datasets_workspace_name")
    old.execute("DELETE FROM facility.migrations WHERE name >= '0003' AND name < '0005'")
    old.execute(f"UPDATE {catalog.CATALOG} SET name = 'hall a' WHERE dataset_id = ?", [second])
    old.execute(f"UPDATE {catalog.CATALOG} SET name = 'HALL A' WHERE dataset_id = ?", [third])
    old.close()
    con = db.open_database(path, build=False)
    try:
        frame = catalog.list_datasets(con).sort_values("dataset_id")
        assert list(frame["name"]) == ["Hall A", "hall a-2", "HALL A-3"]
        assert catalog.get_dataset(con, name="Hall A").dataset_id == first  # report --dataset: exactly one
        for dataset_id in (first, second, third):
            info = catalog.get_dataset(con, dataset_id=dataset_id)
            assert con.execute(f"SELECT count(*) FROM {info.table}").fetchone()[0] == info.rows_accepted > 0
        with pytest.raises(catalog.DatasetError, match="already exists"):
            catalog.rename_dataset(con, third, "hall A-2", [catalog.SHARED])
    finally:
        con.close()


def test_first_visits_to_a_brand_new_database_create_the_catalog_race_safely(tmp_path: Path):
    """Finding 8: sessions creating the catalog at once hit a catalog write-write conflict."""
    for round_no in range(8):
        fresh = db.open_database(tmp_path / f"new{round_no}.duckdb", build=False)
        try:
            errors = race(6, lambda i, fresh=fresh: catalog.list_datasets(fresh, [_session(i), catalog.SHARED]))
            assert not errors, [f"{type(e).__name__}: {e}" for e in errors]
        finally:
            fresh.close()


# --- 1: formula injection through the grid's own "Download as CSV" -----------------------

FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1"]


def _formula_free(frame) -> list[str]:
    """Every header, index value or text cell of a displayed frame that a spreadsheet would run."""
    from factorycore.safe_csv import FORMULA_PREFIXES

    cells = [str(c) for c in frame.columns] + [str(i) for i in frame.index if isinstance(i, str)]
    cells += [v for col in range(frame.shape[1]) for v in frame.iloc[:, col] if isinstance(v, str)]
    return [c for c in cells if c.startswith(FORMULA_PREFIXES)]


def test_every_table_on_my_facility_shows_formulas_neutralised():
    from streamlit.testing.v1 import AppTest

    rows = "\n".join(f'"{v.replace(chr(34), chr(34) * 2)}",{kw}' for v, kw in zip(FORMULAS, (10, 12, "x", 14, -1)))
    content = f"rack_id,design_kw,measured_kw\n{rows.replace(chr(10), ',5' + chr(10))},5\n".encode()
    at = AppTest.from_file(str(REPO / "app_pages" / "my_facility.py"), default_timeout=60).run()
    at.file_uploader(key="facility-upload").set_value(("-cmd.csv", content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    assert any("message" in f.columns for f in frames) and any("where" in f.columns for f in frames)
    shown = [cell for frame in frames for cell in _formula_free(frame)]
    assert not shown, shown
    names = [f for f in frames if "where" in f.columns][0]["name"].tolist()
    assert "'-cmd" in names  # shown, with the quote a spreadsheet reads as "text"


def test_the_planner_comparison_neutralises_scenario_names_in_its_headers():
    from streamlit.testing.v1 import AppTest

    from factorycore import scenarios

    names = ["=1+1 hall", "@SUM(2) hall"]
    for count, name in enumerate(names, start=4):
        scenarios.save(db.shared_connection(), name, {"count": count})
    at = AppTest.from_file(str(REPO / "app_pages" / "planner.py"), default_timeout=60).run()
    at.multiselect(key="pl_sc_compare").set_value(names).run()
    assert not at.exception, [e.value for e in at.exception]
    (table,) = [d.value for d in at.dataframe if list(d.value.columns)[:1] == [""]]
    assert list(table.columns) == ["", "'=1+1 hall", "'@SUM(2) hall"]
    assert not _formula_free(table)


def test_no_page_draws_a_table_except_through_safe_table():
    """The grid's toolbar exports what it shows: a raw st.dataframe would bypass the rule."""
    offenders = []
    for path in [*(REPO / "app_pages").glob("*.py"), *(REPO / "ui").glob("*.py"), REPO / "app.py"]:
        if path.name == "tables.py":
            continue
        text = path.read_text()
        offenders += [
            f"{path.name}: {call}" for call in ("st.dataframe(", "st.table(", "st.data_editor(") if call in text
        ]
    assert not offenders, offenders


# --- 4: time-zone offsets: all or none, naive times never moved by the server's zone ---------

TZ_SCRIPT = r"""
import json, sys
from pathlib import Path
from factorycore import db
from factorycore.userdata import catalog, ingest
con = db.open_database(Path(sys.argv[1]), build=False)
out = {}
for name, path in (("naive", sys.argv[2]), ("offset", sys.argv[3])):
    result = ingest.ingest(con, path, name=name)
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    stamps = [str(r[0]) for r in con.execute(f"SELECT ts FROM {info.table} ORDER BY rowid").fetchall()]
    out[name] = {"stamps": stamps, "problems": result.problems}
print(json.dumps(out))
"""


def _meter(path: Path, stamps: list[str]) -> Path:
    path.write_text("timestamp,it_kw,facility_kw\n" + "".join(f"{s},100,130\n" for s in stamps), encoding="utf-8")
    return path


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_a_file_mixing_naive_and_offset_timestamps_rejects_the_odd_rows_whatever_the_servers_zone(tmp_path, zone):
    import json
    import os
    import subprocess
    import sys

    # More than the 2,000-row sample, so the odd rows come after the format was chosen.
    naive = [f"2026-01-{1 + i // 1440:02d} {i % 1440 // 60:02d}:{i % 60:02d}:00" for i in range(2500)]
    naive_file = _meter(tmp_path / "naive.csv", [*naive, "2026-01-03 12:00:00+02:00", "2026-01-03 12:00:00Z"])
    offset_file = _meter(
        tmp_path / "offset.csv",
        ["2026-01-01T12:00:00+02:00", "2026-01-01T12:00:00-05:00", "2026-01-01 12:00:00Z", "2026-01-01 12:00:00"],
    )
    run = subprocess.run(
        [sys.executable, "-c", TZ_SCRIPT, str(tmp_path / "tz.duckdb"), str(naive_file), str(offset_file)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "TZ": zone},
        check=True,
    )
    out = json.loads(run.stdout)
    assert len(out["naive"]["stamps"]) == 2500
    assert out["naive"]["stamps"][:2] == ["2026-01-01 00:00:00", "2026-01-01 00:01:00"]  # as written
    assert [p["row"] for p in out["naive"]["problems"]] == [2501, 2502]
    assert all(
        "has a UTC offset but the file's other timestamps have none" in p["message"] for p in out["naive"]["problems"]
    )
    # Offsets are converted to UTC; the naive odd one out is rejected, not read in the server's zone.
    assert out["offset"]["stamps"] == ["2026-01-01 10:00:00", "2026-01-01 17:00:00", "2026-01-01 12:00:00"]
    (problem,) = out["offset"]["problems"]
    assert problem["row"] == 4 and "has no UTC offset but the file's other timestamps have one" in problem["message"]


# --- 6: a full disk: a clear message, and recovery once space is back ----------------------


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 20 MB tmpfs (needs root to mount; skipped otherwise), unmounted afterwards."""
    import os
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=20m", "tmpfs", str(mount)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield mount
    finally:
        with contextlib.suppress(db.DatabaseError):  # close only this test's connection, not the session's
            db.shared_connection(mount / "full.duckdb").close()
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave_bytes: int = 0) -> Path:
    import os

    filler = disk / "filler"
    stats = os.statvfs(disk)
    with open(filler, "wb") as handle:
        try:
            handle.write(b"\0" * max(stats.f_bavail * stats.f_frsize - leave_bytes, 0))
            while not leave_bytes:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_a_full_disk_says_so_and_writes_recover_without_a_restart(tiny_disk: Path):
    import duckdb

    from factorycore import scenarios

    path = tiny_disk / "full.duckdb"
    con = db.shared_connection(path)
    kept = ingest.ingest(con, RACKS_SAMPLE, name="before").dataset_id
    filler = _fill(tiny_disk)
    with pytest.raises(catalog.DatasetError, match="disk holding the database is full"):
        ingest.ingest(con, REPO / "data" / "samples" / "telemetry_sample.csv", name="while full")
    with pytest.raises(scenarios.ScenarioError, match="disk holding the database is full"):
        scenarios.save(con, "while full", {"count": 1, "note": "x" * 5000})
    # A checkpoint that fails for want of space invalidates the database for the process
    # ("must be restarted"): fill the write-ahead log, then checkpoint it into a full disk.
    filler.unlink()
    filler = _fill(tiny_disk, leave_bytes=4 * 2**20)
    with pytest.raises(duckdb.Error):
        for i in range(100):
            con.execute(f"CREATE TABLE facility.pad{i} AS SELECT range AS i, random() AS r FROM range(50000)")
    with pytest.raises(duckdb.FatalException):
        con.execute("CHECKPOINT")
    with pytest.raises(duckdb.FatalException, match="invalidated"):
        con.execute("SELECT 1")
    filler.unlink()
    con = db.shared_connection(path)  # what every page and command asks for: a usable connection
    assert ingest.ingest(con, REPO / "data" / "samples" / "telemetry_sample.csv", name="after").rows_accepted > 0
    assert scenarios.save(con, "after", {"count": 1}) is True
    assert catalog.get_dataset(con, dataset_id=kept).name == "before"


# --- 7: a damaged database file ---------------------------------------------------------------


def _damaged(tmp_path: Path) -> Path:
    """A real database file cut to a third of its size, as a crash or a full copy might leave it."""
    import os

    path = tmp_path / "damaged.duckdb"
    db.open_database(path).close()
    with open(path, "r+b") as handle:
        handle.truncate(os.path.getsize(path) // 3)
    return path


def test_the_cli_says_a_damaged_database_is_damaged_not_locked(tmp_path: Path):
    import os
    import subprocess
    import sys

    for path in (_damaged(tmp_path), tmp_path / "garbage.duckdb"):
        if not path.exists():
            path.write_bytes(b"not a database at all\n" * 500)
        run = subprocess.run(
            [sys.executable, "-m", "factorycore", "catalog"],
            capture_output=True,
            text=True,
            cwd=REPO,
            env={**os.environ, "FACTORY_DB": str(path)},
        )
        assert run.returncode != 0
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "not a valid DuckDB database file" in lines[0], run.stderr
        assert "lock" not in lines[0]


def test_the_app_shows_the_damaged_database_message_not_the_generic_error(tmp_path: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FACTORY_DB", str(_damaged(tmp_path)))
    for page in ("overview.py", "my_facility.py", "planner.py"):
        at = AppTest.from_file(str(REPO / "app_pages" / page), default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("not a valid DuckDB database file" in e.value for e in at.error), [e.value for e in at.error]


# --- 5: one session cannot pin unbounded memory through uploads ------------------------------


def test_a_session_holds_at_most_its_upload_limit_newest_kept():
    """Red-team: six 199 MB posts straight to the upload endpoint stayed in memory. Here 1 MB files, 3 MB cap."""
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    from ui.uploads import limit_uploads

    store = MemoryUploadedFileManager("/_stcore/upload_file")
    limit_uploads(store, 3 * 2**20)
    limit_uploads(store, 3 * 2**20)  # idempotent: one wrapper, whatever the number of runs
    for i in range(6):
        store.add_file("attacker", UploadedFileRec(f"f{i}", f"f{i}.csv", "text/csv", b"x" * 2**20))
    store.add_file("neighbour", UploadedFileRec("n0", "n0.csv", "text/csv", b"y" * 2**20))
    held = store.file_storage["attacker"]
    assert sum(len(f.data) for f in held.values()) <= 3 * 2**20
    assert list(held) == ["f3", "f4", "f5"]
    assert list(store.file_storage["neighbour"]) == ["n0"]
    store.add_file("attacker", UploadedFileRec("big", "big.csv", "text/csv", b"z" * 5 * 2**20))
    assert list(store.file_storage["attacker"]) == ["big"]  # the newest is kept even alone over the cap


# --- 8: lesser findings ------------------------------------------------------------------------


def test_temporary_copies_left_by_crashed_uploads_are_removed(con, tmp_path: Path, monkeypatch):
    import os
    import tempfile
    import time

    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    old = time.time() - 2 * ingest.STALE_TEMP_AGE_S
    stale_dir = temp / f"{ingest.WORKDIR_PREFIX}abc"
    stale_dir.mkdir()
    (stale_dir / "input.csv").write_bytes(b"x" * 1000)
    stale_copy = temp / f"{ingest.UPLOAD_TEMP_PREFIX}def.csv"
    stale_copy.write_bytes(b"y" * 1000)
    fresh_copy = temp / f"{ingest.UPLOAD_TEMP_PREFIX}ghi.csv"  # an upload in progress right now
    fresh_copy.write_bytes(b"z")
    unrelated = temp / "someone-elses.csv"
    unrelated.write_bytes(b"w")
    for path in (stale_dir / "input.csv", stale_dir, stale_copy, unrelated):
        os.utime(path, (old, old))
    ingest.ingest(con, RACKS_SAMPLE, name="after a crash")
    assert not stale_dir.exists() and not stale_copy.exists()
    assert fresh_copy.exists() and unrelated.exists()
    assert not [p for p in temp.iterdir() if p.name.startswith(ingest.WORKDIR_PREFIX)]  # its own is gone too


@pytest.mark.parametrize("lookalike", ["Hаll A", "HALL Α", "Ηall A"])  # Cyrillic а; Greek Alpha; Greek Eta
def test_look_alike_dataset_names_are_refused(con, lookalike):
    ingest.ingest(con, RACKS_SAMPLE, name="Hall A")
    with pytest.raises(catalog.DatasetError, match="mixes|already exists"):
        ingest.ingest(con, RACKS_SAMPLE, name=lookalike)
    other = ingest.ingest(con, RACKS_SAMPLE, name="Hall B").dataset_id
    with pytest.raises(catalog.DatasetError, match="mixes Latin and Cyrillic|mixes Latin and Greek|already exists"):
        catalog.rename_dataset(con, other, lookalike, [catalog.SHARED])
    assert sorted(catalog.list_datasets(con)["name"]) == ["Hall A", "Hall B"]


def test_a_whole_word_in_look_alike_letters_is_refused_beside_its_twin(con):
    ingest.ingest(con, RACKS_SAMPLE, name="BAT")
    with pytest.raises(catalog.DatasetError, match="already exists"):
        ingest.ingest(con, RACKS_SAMPLE, name="ВАТ")  # all Cyrillic: one script, but the same skeleton
    ingest.ingest(con, RACKS_SAMPLE, name="Склад")  # Cyrillic that looks like nothing else is fine


def test_look_alike_scenario_names_are_refused(con):
    from factorycore import scenarios

    scenarios.save(con, "Hall A", {"count": 1})
    with pytest.raises(scenarios.ScenarioError, match="mixes Latin and Cyrillic"):
        scenarios.save(con, "Hаll A", {"count": 2})
    with pytest.raises(scenarios.ScenarioError, match="looks the same as the saved scenario 'Hall A'"):
        scenarios.save(con, "ＨＡＬＬ Ａ", {"count": 2})  # full-width: NFKC folds it
    assert scenarios.save(con, "Hall A", {"count": 3}) is False  # the name itself still updates
    assert scenarios.names(con) == ["Hall A"]


def test_a_very_long_file_name_gets_a_clear_message_and_stores_nothing():
    from streamlit.testing.v1 import AppTest

    name = "r" * 1000 + ".csv"
    at = AppTest.from_file(str(REPO / "app_pages" / "my_facility.py"), default_timeout=60).run()
    at.file_uploader(key="facility-upload").set_value((name, RACKS_SAMPLE.read_bytes(), "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("could not be stored" in e.value for e in at.error)
    (message,) = [t.value for t in at.text if "file name has" in t.value]
    assert "1,004 characters" in message and "at most 255" in message and len(message) < 400
    assert not [m for m in at.metric if m.label == "Rows accepted"]
