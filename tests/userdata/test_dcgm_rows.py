"""DCGM scrapes stored from DuckDB without the temporary CSV (``ingest.ingest_rows``), and the one-pass staging.

The CSV path (``formats.to_csv``, then ``ingest.ingest`` of that CSV with its conversion) is the
reference: it is what every DCGM file took before, and the rows path must store the same rows,
set aside the same ones with the same words, and keep the same notes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from factorycore import db, store
from factorycore.userdata import catalog, dcgm_text, formats, ingest

T0_MS = 1_772_323_200_000  # 2026-03-01 00:00:00 UTC
WHEN = dt.datetime(2026, 5, 4, 3, 2, 1, tzinfo=dt.UTC)
REAL = Path(__file__).resolve().parents[1] / "realdata"


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "rows.duckdb", build=False)
    yield c
    c.close()


def _line(labels: str, value: object, ts: int | None = None) -> str:
    return f"DCGM_FI_DEV_POWER_USAGE{{{labels}}} {value}" + (f" {ts}" if ts is not None else "")


def _mixed_scrape() -> str:
    """Two scrapes of five hosts, each named by a different host label; node-a's GPU 0 is split into
    three MIG instances (each repeats the GPU's power); one NaN; one host the map does not know."""
    lines = ["# HELP DCGM_FI_DEV_POWER_USAGE Power draw (in W).", "# TYPE DCGM_FI_DEV_POWER_USAGE gauge"]
    for step in range(2):
        ts = T0_MS + 60_000 * step
        for mig in (1, 2, 3):
            lines.append(_line(f'gpu="0",UUID="GPU-a0",GPU_I_ID="{mig}",Hostname="node-a"', 300 + step, ts))
        lines.append(_line('gpu="1",UUID="GPU-a1",Hostname="node-a"', 400.5, ts))
        lines.append(_line('gpu="0",UUID="GPU-b0",hostname="node-b.example.org"', 250, ts))
        lines.append(_line('gpu="0",UUID="GPU-c0",kubernetes_node="node-c"', "NaN" if step else 200, ts))
        lines.append(_line('gpu="0",UUID="GPU-d0",node="node-d",instance="10.0.0.4:9400"', 150, ts))
        lines.append(_line('gpu="0",UUID="GPU-e0",instance="10.0.0.5:9400"', 100, ts))
    lines.append('DCGM_FI_DEV_GPU_TEMP{gpu="0",Hostname="node-a"} 41')
    return "\n".join(lines) + "\n"


def _devices(con, tmp_path: Path) -> catalog.DatasetInfo:
    path = tmp_path / "devices.csv"
    path.write_text("Name,Rack\nnode-a,R1\nnode-b,R1\nnode-c,R2\nnode-d,R2\n")
    return catalog.get_dataset(con, dataset_id=ingest.ingest(con, path, name="devices").dataset_id)


def _by_csv(con, path: Path, workdir: Path, name: str, host_racks=None) -> ingest.IngestResult:
    """The path every DCGM file took before: the converted CSV, ingested as a file with its conversion."""
    workdir.mkdir()
    conversion = formats.to_csv(con, path, workdir, host_racks=host_racks, scraped_at=WHEN)
    return ingest.ingest(con, conversion.path, name=name, conversion=conversion, source_file=path.name)


def _by_rows(con, path: Path, workdir: Path, name: str, host_racks=None) -> ingest.IngestResult:
    workdir.mkdir()
    with formats.DcgmRows(con, path, workdir, host_racks=host_racks, scraped_at=WHEN) as rows:
        return ingest.ingest_rows(
            con,
            rows.cursor,
            rows.select,
            name=name,
            kind="telemetry",
            source_file=path.name,
            order=rows.order,
            conversion=rows.conversion,
        )


def _stored(con, result: ingest.IngestResult) -> tuple[list[tuple], list[tuple]]:
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    rows = con.execute(f"SELECT * FROM {info.table}").fetchall()  # in stored order
    # A rejected row's raw timestamp is the value as text: the CSV's ISO text, or the TIMESTAMP's own.
    rejects = con.execute(
        f'SELECT "row", "column", message, CAST(raw_timestamp AS TIMESTAMP), raw_rack_id, raw_power_kw, raw_source '
        f'FROM facility.{info.rejects_table} ORDER BY "row"'
    ).fetchall()
    return rows, rejects


@pytest.mark.parametrize("mapped", [False, True], ids=["per node", "host map"])
def test_rows_path_stores_what_the_csv_path_stored(con, tmp_path, mapped):
    path = tmp_path / "mixed.prom"
    path.write_text(_mixed_scrape())
    host_racks = _devices(con, tmp_path) if mapped else None
    old = _by_csv(con, path, tmp_path / "csv", "old", host_racks)
    new = _by_rows(con, path, tmp_path / "rows", "new", host_racks)
    assert (new.kind, new.rows_accepted, new.rows_rejected) == (old.kind, old.rows_accepted, old.rows_rejected)
    # 5 hosts x 2 GPUs-or-1 x 2 scrapes, MIG instances counted once, the NaN left out.
    assert new.rows_accepted + new.rows_rejected == 11
    assert _stored(con, new) == _stored(con, old)
    assert new.detection["conversion"] == old.detection["conversion"]
    for key in ("mapping", "units", "notes", "headers_by_field", "profile"):
        assert new.detection[key] == old.detection[key], key
    conv = new.detection["conversion"]
    assert (conv["gpus"], conv["mig_series_merged"], conv["samples_left_out"]) == (6, 4, 1)
    if mapped:  # the host outside the map is set aside with the same words and row number
        assert new.rows_rejected == 2 and {p["message"] for p in new.problems} == {"rack_id is missing"}
        assert [p["row"] for p in new.problems] == [p["row"] for p in old.problems]
    else:
        hosts = {r[1] for r in _stored(con, new)[0]}
        assert hosts == {"node-a", "node-b.example.org", "node-c", "node-d", "10.0.0.5:9400"}


def test_mig_scrape_figures_are_unchanged(con, tmp_path):
    """tests/realdata: two A30 GPUs in six MIG series, 52.7 W and 56.1 W: about 0.109 kW per node."""
    result = ingest.ingest(con, REAL / "dcgm_a30_mig_scrape_issue317.prom", name="mig")
    conv = result.detection["conversion"]
    assert (result.rows_accepted, conv["gpu_samples"], conv["gpus"], conv["mig_series_merged"]) == (2, 6, 2, 4)
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    assert con.execute(f"SELECT sum(power_kw) FROM {info.table}").fetchone()[0] == pytest.approx(0.1088, abs=5e-5)
    # Stored from DuckDB: no text format was read, so none is claimed.
    assert result.detection["delimiter"] is None and result.detection["timestamp_format"] is None


def _staged(tmp_path: Path, text: str) -> list[tuple]:
    path = tmp_path / "scrape.prom"
    path.write_text(text)
    cur = duckdb.connect()
    dcgm_text.stage(cur, path, "s", WHEN)
    return cur.execute(
        "SELECT host, gpu, uuid, power_w, ts FROM s JOIN s_series USING (sid) ORDER BY host, gpu, ts, power_w"
    ).fetchall()


def test_lines_of_every_shape_read_as_the_text_format_says(tmp_path):
    """Tabs, runs of spaces, a trailing space, a '}' in a label value, escapes, OpenMetrics seconds,
    no timestamp, no labels, too many fields, CRLF: each line gives the sample the format defines."""
    t = T0_MS
    lines = [
        _line('gpu="0",UUID="A",Hostname="h1"', 100, t),
        _line('gpu="1",UUID="B",Hostname="h1"', 101.5, t) + " ",
        'DCGM_FI_DEV_POWER_USAGE{gpu="2",UUID="C",Hostname="h1"}  102 ' + str(t),
        'DCGM_FI_DEV_POWER_USAGE{gpu="3",UUID="D",Hostname="h1"}\t103\t' + str(t),
        _line('gpu="4",UUID="E",Hostname="h}1"', 104, t),
        _line('gpu="5",UUID="F",hostname="h\\"2"', "NaN", t),
        _line('gpu="6",UUID="G",node="h3"', 106),
        _line('gpu="0",UUID="H",Hostname="h4"', 107, "1772323200.5"),
        _line('gpu="1",UUID="I",Hostname="h4"', 108, "1772323200 7"),
        'DCGM_FI_DEV_POWER_USAGE{gpu="2",UUID="J",Hostname="h4"}109 ' + str(t),
        _line('gpu="3",UUID="K",Hostname="h4"', "+Inf", "0x19c9a1f4800"),
        "DCGM_FI_DEV_POWER_USAGE 110 " + str(t),
        'DCGM_FI_DEV_POWER_USAGE_TOTAL{gpu="0",Hostname="h1"} 1',
    ]
    expected = [
        ("", "", "", 110.0, dt.datetime(2026, 3, 1)),
        ('h"2', "5", "F", float("nan"), dt.datetime(2026, 3, 1)),
        ("h1", "0", "A", 100.0, dt.datetime(2026, 3, 1)),
        ("h1", "1", "B", 101.5, dt.datetime(2026, 3, 1)),
        ("h1", "2", "C", 102.0, dt.datetime(2026, 3, 1)),
        ("h1", "3", "D", 103.0, dt.datetime(2026, 3, 1)),
        ("h3", "6", "G", 106.0, WHEN.replace(tzinfo=None)),
        ("h4", "0", "H", 107.0, dt.datetime(2026, 3, 1, 0, 0, 0, 500000)),
        ("h4", "1", "I", None, WHEN.replace(tzinfo=None)),  # three fields after the labels: no value
        ("h4", "2", "J", 109.0, dt.datetime(2026, 3, 1)),
        ("h4", "3", "K", float("inf"), None),  # not a decimal timestamp: untimed
        ("h}1", "4", "E", 104.0, dt.datetime(2026, 3, 1)),
    ]
    for newline in ("\n", "\r\n"):
        got = _staged(tmp_path, newline.join(lines) + newline)
        assert [r[:3] for r in got] == [e[:3] for e in expected]
        assert [r[4] for r in got] == [e[4] for e in expected]
        assert [r[3] for r in got] == pytest.approx([e[3] for e in expected], nan_ok=True)


def test_a_label_value_holding_brace_space_is_read_whole(tmp_path):
    """'} ' inside a label value: the reader's split cannot be put back together, so the lines are read whole."""
    text = "\n".join(
        [_line('gpu="0",UUID="A",Hostname="h1",note="x} y"', 100, T0_MS), _line('gpu="1",UUID="B",Hostname="h1"', 7)]
    )
    got = _staged(tmp_path, text + "\n")
    assert got == [
        ("h1", "0", "A", 100.0, dt.datetime(2026, 3, 1)),
        ("h1", "1", "B", 7.0, WHEN.replace(tzinfo=None)),
    ]


def test_series_first_seen_after_the_first_lines_are_kept(tmp_path, monkeypatch):
    """The series table is seeded from the first lines; a series that starts later still gets its samples."""
    rows = [
        _line(f'gpu="{g}",UUID="U{g}",Hostname="h{g % 3}"', 10 * g + s, T0_MS + s)
        for s in range(4)
        for g in range(s + 2)
    ]
    full = _staged(tmp_path, "\n".join(rows) + "\n")
    monkeypatch.setattr(dcgm_text, "FIRST_LINES", 2)
    assert _staged(tmp_path, "\n".join(rows) + "\n") == full
    assert len(full) == len(rows) and len({(r[0], r[1]) for r in full}) == 5


def test_rows_with_no_good_row_store_nothing(con, tmp_path):
    """Every sample timed in 1970 (seconds read as milliseconds): refused with the reason counted, nothing stored."""
    path = tmp_path / "old.prom"
    path.write_text("".join(_line(f'gpu="{g}",UUID="U{g}",Hostname="h"', 100, 1_000 + g) + "\n" for g in range(3)))
    with pytest.raises(ingest.NothingStored, match=r"timestamp out of range \(3 rows\)"):
        ingest.ingest(con, path, name="old")
    assert catalog.list_datasets(con).empty


def test_typed_rows_are_checked_and_worded_as_a_file_is(con, tmp_path):
    """ingest_rows on a plain table: the same accepted rows and the same messages as the same values in a CSV."""
    csv = tmp_path / "t.csv"
    csv.write_text(
        "timestamp,rack_id,power_w\n"
        "2026-03-01 00:00:00,R1,500.0\n"
        "2026-03-01 00:00:00,R2,-5.0\n"
        "2026-03-01 00:00:00,R3,nan\n"
        "2026-03-01 00:00:00,,10.0\n"
        "1980-01-01 00:00:00,R4,10.0\n"
        "2026-03-01 00:00:00,R5,9000000.0\n"
    )
    by_csv = ingest.ingest(con, csv, name="csv")
    cur = con.cursor()
    cur.execute("CREATE TEMP TABLE t AS SELECT * FROM read_csv(?, header = true, auto_detect = true)", [str(csv)])
    assert [r[1] for r in cur.execute("DESCRIBE t").fetchall()] == ["TIMESTAMP", "VARCHAR", "DOUBLE"]
    by_rows = ingest.ingest_rows(con, cur, "SELECT * FROM t", name="rows", source_file="t", order="rack_id")
    cur.close()
    assert (by_rows.rows_accepted, by_rows.rows_rejected) == (by_csv.rows_accepted, by_csv.rows_rejected) == (1, 5)
    words = {p["message"] for p in by_csv.problems}
    assert {p["message"] for p in by_rows.problems} == words
    assert "power_kw is negative: '-5.0'" in words and "power_kw is not a number: 'nan'" in words


def test_team_store_keeps_the_same_rows_and_rejects(con, tmp_path, team_url):
    """The rows path on PostgreSQL: the per-GPU rows and the rejected ones copied over as on the embedded store."""
    path = tmp_path / "mixed.prom"
    path.write_text(_mixed_scrape())
    embedded = _stored(con, _by_rows(con, path, tmp_path / "embedded", "gpu", _devices(con, tmp_path)))
    team = db.shared_connection()
    assert store.is_postgres(store.facility(team))
    devices = tmp_path / "team_devices"
    devices.mkdir()
    result = _by_rows(team, path, tmp_path / "team", "gpu", _devices(team, devices))
    info = catalog.get_dataset(team, dataset_id=result.dataset_id)
    facility = store.facility(team)
    with facility.cursor() as pg:
        rows = pg.execute(f"SELECT * FROM {info.table} ORDER BY ts, rack_id, source").fetchall()
        rejects = pg.execute(
            f'SELECT "row", "column", message, CAST(raw_timestamp AS TIMESTAMP), raw_rack_id, raw_power_kw, '
            f'raw_source FROM facility.{info.rejects_table} ORDER BY "row"'
        ).fetchall()
    key = lambda r: (r[0], r[1] or "", r[5])  # noqa: E731 - ts, rack_id, source
    assert sorted(rows, key=key) == sorted(embedded[0], key=key)
    assert rejects == embedded[1]


def test_ingest_stores_a_scrape_without_writing_a_csv(con, tmp_path, monkeypatch):
    """ingest() of a DCGM file takes the rows path: no CSV is written (writing and reading it back cost as
    much as converting); a request the rows path does not take (a decimal mark, a mapping) still converts."""
    path = tmp_path / "mixed.prom"
    path.write_text(_mixed_scrape())

    def no_csv(*_args, **_kwargs):
        raise AssertionError("a CSV was written")

    with monkeypatch.context() as patch:
        patch.setattr(formats, "_copy_to_csv", no_csv)
        rows = ingest.ingest(con, path, name="rows")
        with pytest.raises(AssertionError, match="a CSV was written"):
            ingest.ingest(con, path, name="asked", choices=ingest.ReadChoices(decimal="point"))
    assert rows.rows_accepted == 11 and rows.detection["delimiter"] is None
    asked = ingest.ingest(con, path, name="asked", choices=ingest.ReadChoices(decimal="point"))
    assert asked.rows_accepted == 11 and asked.detection["delimiter"] == ","


def test_a_scrape_of_only_stale_samples_is_refused_saying_so(con, tmp_path):
    """Every sample NaN: the refusal counts them (it said 'the file has a header but no data rows', of a CSV
    the user never saw)."""
    path = tmp_path / "stale.prom"
    path.write_text("".join(_line(f'gpu="{g}",UUID="U{g}",Hostname="h"', "NaN", T0_MS) + "\n" for g in range(3)))
    with pytest.raises(ingest.UnreadableFile, match=r"none of the file's 3 .* samples .*\(3 NaN"):
        ingest.ingest(con, path, name="stale")
    assert catalog.list_datasets(con).empty


def test_query_json_rows_path_stores_what_the_csv_path_stored(con, tmp_path):
    """tests/realdata's Prometheus instant-query answer (16 H100s on 2 nodes): the same rows either way."""
    path = REAL / "prom_instant_query_power_aicr.json"
    old = _by_csv(con, path, tmp_path / "csv", "old")
    new = _by_rows(con, path, tmp_path / "rows", "new")
    assert (new.rows_accepted, new.rows_rejected) == (old.rows_accepted, old.rows_rejected) == (16, 0)
    assert _stored(con, new) == _stored(con, old)
    assert new.detection["conversion"] == old.detection["conversion"]
    info = catalog.get_dataset(con, dataset_id=new.dataset_id)
    per_node = dict(con.execute(f"SELECT rack_id, sum(power_kw) FROM {info.table} GROUP BY rack_id").fetchall())
    assert per_node == {"gpu-node-1": pytest.approx(0.5838, abs=5e-4), "gpu-node-2": pytest.approx(0.5454, abs=5e-4)}
