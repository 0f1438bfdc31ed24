"""The one-pass store of a clean file gives exactly what the staged path gives, and only clean files take it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factorycore import db
from factorycore.userdata import catalog, ingest, rack_power, rollups
from tests.corpus import make

CORPUS = make.cases()


def _stored(con, name: str) -> tuple:
    info = catalog.get_dataset(con, name=name)
    with con.cursor() as cur:
        rows = cur.execute(f"SELECT * FROM {info.table}").fetchall()
        columns = [d[0] for d in cur.execute(f"SELECT * FROM {info.table} LIMIT 0").description]
        rejects = cur.execute(f"SELECT * FROM {info.rejects}").fetchall()
        reject_columns = [(d[0], str(d[1])) for d in cur.execute(f"SELECT * FROM {info.rejects} LIMIT 0").description]
    return columns, rows, reject_columns, rejects, info.rows_accepted, info.rows_rejected, info.details


def _ingest_staged(con, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest ``path`` as "staged" with the one-pass store turned off."""
    with monkeypatch.context() as mp:
        mp.setattr(ingest, "_store_clean", lambda *a, **k: None)
        ingest.ingest(con, path, name="staged")


def _count_staged(mp: pytest.MonkeyPatch) -> list[str]:
    """From now on each staged read appends "staged" to the returned list."""
    staged: list[str] = []
    original = ingest._read_staged
    mp.setattr(ingest, "_read_staged", lambda *a, **k: (staged.append("staged"), original(*a, **k))[1])
    return staged


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_both_paths_store_every_corpus_file_alike(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content, _ = CORPUS[case]
    path = tmp_path / case
    path.write_bytes(content)
    con = db.open_database(tmp_path / "both.duckdb", build=False)
    try:
        try:
            ingest.ingest(con, path, name="fast")
        except (ingest.UnreadableFile, catalog.DatasetError) as exc:
            with pytest.raises(type(exc)):
                _ingest_staged(con, path, monkeypatch)
            return
        _ingest_staged(con, path, monkeypatch)
        assert _stored(con, "fast") == _stored(con, "staged")
    finally:
        con.close()


def test_a_clean_file_takes_one_pass_and_a_dirty_one_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = make.telemetry_csv(tmp_path / "clean.csv", rows=2_000)
    dirty = tmp_path / "dirty.csv"
    dirty.write_text(clean.read_text() + "2026-03-01T00:00:00,A1,not a number,22,30\n")
    con = db.open_database(tmp_path / "paths.duckdb", build=False)
    staged = _count_staged(monkeypatch)
    try:
        assert ingest.ingest(con, clean, name="clean").rows_accepted == 2_000
        assert staged == [], "a clean file is read once, straight into its table"
        result = ingest.ingest(con, dirty, name="dirty")
        assert staged == ["staged"]
        assert (result.rows_accepted, result.rows_rejected) == (2_000, 1)
        assert "power_kw is not a number" in result.problems[0]["message"]
        with con.cursor() as cur:
            tables = {
                r[0]
                for r in cur.execute(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = 'facility' AND table_name LIKE 'ds_%'"
                ).fetchall()
            }
        infos = [catalog.get_dataset(con, name=name) for name in ("clean", "dirty")]
        # Each dataset's table, its rejects, its kept per-rack sums and rollup (written beside the rows at ingest).
        kept = {
            t.rpartition(".")[2]
            for info in infos
            for t in (info.table_name, info.rejects_table, rack_power.sums_table_of(info), rollups.table_of(info))
        }
        assert tables == kept, "the rolled-back one-pass attempt left no table"
    finally:
        con.close()


HEADER = "timestamp,rack_id,power_kw,inlet_temp_c,outlet_temp_c\n"


@pytest.mark.parametrize(
    ("rows", "one_pass"),
    [
        # Numbers DuckDB's reader types exactly as the staged path's cast: the one pass takes them.
        (
            [
                "2026-03-01T00:00:00,A1,+5,1e1,30",
                "2026-03-01T00:01:00,A1, 4.5 ,,31.",
                "2026-03-01T00:02:00,A2,1_0,.5,-0",
            ],
            True,
        ),
        # Texts only the staged path's fallbacks read (a thousands separator, a non-breaking space, a blank
        # optional cell): the reader refuses them, so the file takes the staged path, which accepts them.
        (
            [
                '2026-03-01T00:00:00,A1,"1,234.5",22,30',
                "2026-03-01T00:01:00,A1,4.5\u00a0,22,30",
                "2026-03-01T00:02:00,A2,4.5,  ,30",
            ],
            False,
        ),
    ],
)
def test_numbers_the_reader_types_are_the_staged_paths_numbers(
    rows: list[str], one_pass: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "numbers.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    con = db.open_database(tmp_path / "numbers.duckdb", build=False)
    try:
        with monkeypatch.context() as mp:
            staged = _count_staged(mp)
            fast = ingest.ingest(con, path, name="fast")
        assert (fast.rows_accepted, fast.rows_rejected) == (3, 0)
        assert (staged == []) is one_pass
        _ingest_staged(con, path, monkeypatch)
        assert _stored(con, "fast") == _stored(con, "staged")
    finally:
        con.close()
