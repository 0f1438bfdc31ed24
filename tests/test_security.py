"""Hostile and careless input on the upload path: SQL text, file names and paths,
gzip bombs and broken streams, overlong lines, exports, chart labels, session isolation."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from factorycore import db
from factorycore.charts import facility as charts
from factorycore.export import report
from factorycore.safe_csv import to_safe_csv
from factorycore.userdata import aggregate, catalog, ingest
from tests.corpus import make

RACKS = make.RACKS.encode()


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "security.duckdb", build=False)
    yield c
    c.close()


def _state(con) -> tuple[list, list]:
    catalog.ensure_catalog(con)
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'facility' ORDER BY 1"
    ).fetchall()
    return tables, con.execute(f"SELECT * FROM {catalog.CATALOG} ORDER BY dataset_id").fetchall()


def _refused(con, path: Path, fragment: str, **kwargs) -> str:
    """Ingest must raise one clear message containing ``fragment`` and change nothing."""
    before = _state(con)
    with pytest.raises(ingest.UnreadableFile) as info:
        ingest.ingest(con, path, **kwargs)
    message = str(info.value)
    assert fragment in message and "\n" not in message
    assert _state(con) == before
    return message


# --- SQL text ----------------------------------------------------------------------


@pytest.mark.parametrize("header", ['a"; DROP TABLE facility.datasets; --', "it's'); DROP TABLE x; --", "c0", "r.ok"])
def test_hostile_headers_never_reach_sql(con, tmp_path, header):
    ingest.ingest(con, _write(tmp_path / "earlier.csv", RACKS), name="earlier")
    path = _write(tmp_path / "hostile.csv", f'rack_id,"{header.replace(chr(34), chr(34) * 2)}"\nR1,10\nR2,x\n'.encode())
    result = ingest.ingest(con, path, kind="racks", mapping={"rack_id": "rack_id", "design_kw": header}, name="h")
    assert (result.rows_accepted, result.rows_rejected) == (1, 1)
    assert sorted(catalog.list_datasets(con)["name"]) == ["earlier", "h"]
    rejects = catalog.rejects_frame(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert header in rejects.columns


@pytest.mark.parametrize("filename", ["site[1].csv", "racks*.csv", "rack?.csv", "{a,b}.csv", "o'neil\".csv"])
def test_the_named_file_and_only_it_is_read_whatever_its_name(con, tmp_path, filename):
    # DuckDB reads a path as a glob: "site[1].csv" would read site1.csv, "racks*.csv" every match.
    for decoy in ("site1.csv", "racks-other.csv", "racks.csv", "rack1.csv", "a.csv", "b.csv"):
        _write(tmp_path / decoy, b"rack_id,design_kw\nEVIL,99\n")
    path = _write(tmp_path / filename, b"rack_id,design_kw\nR1,10\n")
    result = ingest.ingest(con, path)
    stored = catalog.preview(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert stored["rack_id"].tolist() == ["R1"]


@pytest.mark.parametrize("source", ["../../etc/passwd.csv", '..\\..\\x".csv', "<b>x</b>'; --.csv"])
def test_file_names_become_valid_dataset_names_and_are_stored_verbatim(con, tmp_path, source):
    path = _write(tmp_path / "upload.csv", RACKS)
    result = ingest.ingest(con, path, source_file=source)
    assert catalog.NAME_RE.fullmatch(result.dataset) and "/" not in result.dataset
    frame = catalog.list_datasets(con)
    assert frame["source_file"].tolist() == [source]


# --- gzip and overlong lines -----------------------------------------------------


def test_gzip_bomb_is_refused_before_it_fills_the_disk(con, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_DECOMPRESSED_BYTES", 8 * 1024 * 1024)
    ingest.ingest(con, _write(tmp_path / "earlier.csv", RACKS), name="earlier")
    rows = b"rack_id,design_kw\n" + b"R1,10\n" * (5 * 1024 * 1024)  # 30 MB of text
    path = _write(tmp_path / "bomb.csv.gz", gzip.compress(rows, compresslevel=9))
    assert path.stat().st_size < 100_000  # a tiny upload
    message = _refused(con, path, "expands to more than")
    assert "GB when decompressed" in message


@pytest.mark.parametrize("where", ["middle", "last line without a line break"])
def test_overlong_line_is_refused_not_silently_dropped(con, tmp_path, where):
    # DuckDB's reader skips a line longer than its 32 MB buffer (or a long unterminated
    # last line) without a reject: the row would vanish with no message.
    long = b"R9,10," + b"x" * (40 * 1024 * 1024)
    body = b"rack_id,design_kw\nR1,5\n" + (long + b"\nR2,6\n" if where == "middle" else long)
    message = _refused(con, _write(tmp_path / "long.csv", body), "longer than 2 MB")
    assert "line 3" in message


def test_long_line_check_sees_lines_across_chunk_edges(con, tmp_path):
    body = b"rack_id,design_kw\n" + b"R1,10\n" * 100_000 + b"R2,10," + b"y" * 2_500_000 + b"\nR3,4\n"
    assert "line 100002" in _refused(con, _write(tmp_path / "edge.csv", body), "longer than")
    fine = b"rack_id,design_kw,site\n" + b"".join(b"R%d,10,%s\n" % (i, b"z" * 200) for i in range(20_000))
    assert ingest.ingest(con, _write(tmp_path / "fine.csv", fine)).rows_accepted == 20_000


# --- exports -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_safe_csv_neutralises_headers_and_cells(prefix):
    frame = pd.DataFrame({f"{prefix}HEAD": [f"{prefix}1+1", "plain", None], "n": [-1.5, 2.0, 3.0]})
    lines = to_safe_csv(frame).decode().split("\n")
    assert lines[0].startswith(f"'{prefix}HEAD")
    assert f"'{prefix}1+1" in lines[1] or f"'{prefix}1+1" in to_safe_csv(frame).decode()
    assert lines[1].endswith(",-1.5")  # numbers are data, not formulas


def test_safe_csv_with_repeated_and_blank_column_names():
    frame = pd.DataFrame([["=1", "=2", "", -1]], columns=["kW", "kW", "", "n"])
    out = pd.read_csv(__import__("io").BytesIO(to_safe_csv(frame)), dtype=str, keep_default_na=False)
    assert out.iloc[0, :3].tolist() == ["'=1", "'=2", ""]


def test_rejected_rows_with_blank_or_repeated_headers_can_be_shown_and_exported(con, tmp_path):
    path = _write(tmp_path / "blank.csv", b",,\nR1,10,x\nR2,abc,=cmd()\n")
    result = ingest.ingest(con, path, kind="racks", mapping={"rack_id": 0, "design_kw": 1, "site": 2})
    rejects = catalog.rejects_frame(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert rejects.columns.is_unique
    assert "'=cmd()" in to_safe_csv(rejects).decode()
    path = _write(tmp_path / "same.csv", b"rack,kW,kW,message\nR1,10,5,a\nR2,abc,y,b\n")
    result = ingest.ingest(con, path, kind="racks", mapping={"rack_id": 0, "design_kw": 1, "measured_kw": 2, "site": 3})
    rejects = catalog.rejects_frame(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert rejects.columns.is_unique and {"rack", "kW", "message"} <= set(rejects.columns)
    assert rejects.loc[0, "message"].startswith("design_kw is not a number")
    to_safe_csv(rejects)


# --- chart labels ------------------------------------------------------------------


HOSTILE_ID = '<a href="http://evil.example">click</a><b>x</b>'


def test_rack_ids_in_chart_labels_are_not_plotly_html():
    frame = pd.DataFrame(
        {
            "rack_id": [HOSTILE_ID, "R&D-1"],
            "hall": ["h", "h"],
            "design_kw": [10.0, 12.0],
            "measured_kw": [5.0, 6.0],
            "utilisation_pct": [50.0, 50.0],
        }
    )
    hot = pd.DataFrame(
        {
            "rack_id": [HOSTILE_ID, "R&D-1"],
            "inlet_p95_c": [30.0, None],
            "inlet_max_c": [31.0, None],
            "outlet_avg_c": [40.0, None],
            "avg_kw": [5.0, 6.0],
            "max_kw": [6.0, 7.0],
            "readings": [3, 3],
        }
    )
    for fig in (
        charts.measured_vs_design(frame),
        charts.hottest_racks(hot),
        charts.hottest_racks(hot.assign(inlet_p95_c=None)),
        charts.density_comparison(
            aggregate.site_bands(frame.rename(columns={"design_kw": "kw"}), list(aggregate.DEFAULT_BANDS)),
            pd.DataFrame(),
            profile="industry_average",
            site_label=HOSTILE_ID,
        ),
    ):
        text = fig.to_json()
        assert "<a href" not in text and "<b>" not in text, text[:300]
        assert "&lt;a href" in text or "R&amp;D-1" in text


# --- isolation ---------------------------------------------------------------------


def test_a_private_upload_is_invisible_to_another_session_in_every_function(con, tmp_path):
    a = catalog.session_workspace("a" * 32)
    b = catalog.session_workspace("b" * 32)
    path = _write(tmp_path / "bad.csv", b"rack_id,design_kw\nR1,10\nR2,-1\n")
    mine = ingest.ingest(con, path, name="secret", workspace=a)
    seen_by_b = [b, catalog.SHARED]
    assert mine.dataset_id not in catalog.list_datasets(con, seen_by_b)["dataset_id"].tolist()
    assert mine.dataset_id not in catalog.list_datasets(con)["dataset_id"].tolist()
    for lookup in ({"dataset_id": mine.dataset_id}, {"name": "secret"}):
        for workspaces in (seen_by_b, None, [], [catalog.SHARED]):
            with pytest.raises(catalog.DatasetError):
                catalog.get_dataset(con, workspaces=workspaces, **lookup)
    with pytest.raises(catalog.DatasetError):
        catalog.rename_dataset(con, mine.dataset_id, "stolen", seen_by_b)
    with pytest.raises(catalog.DatasetError):
        catalog.delete_dataset(con, mine.dataset_id, seen_by_b)
    for ws in (b, catalog.SHARED):
        with pytest.raises(catalog.DatasetError):
            catalog.save_to_shared(con, mine.dataset_id, ws)
    for dataset in (mine.dataset_id, "secret"):  # the report (page and CLI) looks datasets up the same way
        with pytest.raises(catalog.DatasetError):
            report.dataset_section(con, dataset, workspaces=seen_by_b)
        with pytest.raises(catalog.DatasetError):
            report.dataset_section(con, dataset)
    # B may use the same name privately; A's dataset is untouched by all of the above.
    ingest.ingest(con, path, name="secret", workspace=b)
    info = catalog.get_dataset(con, dataset_id=mine.dataset_id, workspaces=[a])
    assert (info.name, info.workspace, info.rows_rejected) == ("secret", a, 1)
    assert len(catalog.rejects_frame(con, info)) == 1 and catalog.problems(con, info)[0]["row"] == 2


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_json_of_details_survives_hostile_headers(con, tmp_path):
    header = '"}, "x": "<script>'
    path = _write(tmp_path / "d.csv", ('rack_id,"' + header.replace('"', '""') + '"\nR1,10\n').encode())
    result = ingest.ingest(con, path, kind="racks", mapping={"rack_id": 0, "design_kw": 1})
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    assert info.details["mapping"]["design_kw"] == header
    assert json.loads(con.execute(f"SELECT details FROM {catalog.CATALOG}").fetchone()[0])["mapping"]
