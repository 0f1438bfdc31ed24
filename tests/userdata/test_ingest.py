"""Facility CSV ingest: the corpus of real-world and hostile files, through the engine and the CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from factorycore import db
from factorycore.cli import main as cli_main
from factorycore.safe_csv import to_safe_csv
from factorycore.userdata import aggregate, catalog, ingest
from tests.corpus import make

REPO = Path(__file__).resolve().parents[2]
CASES = make.cases()
READABLE = sorted(n for n, (_, e) in CASES.items() if "unreadable" not in e)
UNREADABLE = sorted(n for n, (_, e) in CASES.items() if "unreadable" in e)


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "ingest.duckdb", build=False)
    yield c
    c.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    return make.write(tmp_path_factory.mktemp("corpus"))


def _facility_state(con) -> tuple[list, list]:
    catalog.ensure_catalog(con)
    tables = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'facility' ORDER BY 1"
    ).fetchall()
    rows = con.execute(f"SELECT * FROM {catalog.CATALOG} ORDER BY dataset_id").fetchall()
    return tables, rows


@pytest.mark.parametrize("name", READABLE)
def test_readable_file_is_stored_with_expected_counts(con, corpus, name):
    path, expect = corpus[name]
    result = ingest.ingest(con, path)
    assert result.kind == expect["kind"]
    assert (result.rows_accepted, result.rows_rejected) == (expect["accepted"], expect["rejected"])
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    stored = catalog.preview(con, info, limit=10_000)
    assert len(stored) == min(expect["accepted"], 10_000)
    for column in ("design_kw", "power_kw", "inlet_temp_c", "it_kw"):
        if column in expect:
            assert stored[column].tolist() == pytest.approx(expect[column]), column
    problems = {p["row"]: p["message"] for p in result.problems}
    for row, fragment in expect.get("messages", {}).items():
        assert fragment in problems.get(row, ""), (row, problems)
    assert len(catalog.rejects_frame(con, info)) == expect["rejected"]


@pytest.mark.parametrize("name", UNREADABLE)
def test_unreadable_file_gets_one_message_and_changes_nothing(con, corpus, name):
    ingest.ingest(con, corpus["racks_plain.csv"][0], name="earlier")
    before = _facility_state(con)
    path, expect = corpus[name]
    with pytest.raises(ingest.UnreadableFile) as info:
        ingest.ingest(con, path)
    message = str(info.value)
    assert expect["unreadable"] in message
    assert "\n" not in message
    assert "racks (rack_id, design_kw)" in message  # names what was expected
    assert _facility_state(con) == before


def test_units_and_synonyms_convert_to_canonical(con, corpus):
    result = ingest.ingest(con, corpus["telemetry_tab_mw_f.tsv"][0])
    assert result.detection["units"] == {"power_kw": "MW", "inlet_temp_c": "°F"}
    assert result.detection["mapping"]["rack_id"] == "rack"
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    frame = catalog.preview(con, info)
    assert str(frame["ts"].iloc[0]) == "2026-03-01 00:00:00"


def test_timestamps_with_offsets_are_stored_in_utc(con, tmp_path):
    path = tmp_path / "tz.csv"
    path.write_text("timestamp,rack_id,power_kw\n2026-03-01T12:00:00+02:00,A,1\n2026-03-01T12:00:00Z,A,1\n")
    result = ingest.ingest(con, path)
    frame = catalog.preview(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert [str(t) for t in frame["ts"]] == ["2026-03-01 10:00:00", "2026-03-01 12:00:00"]


def test_day_first_dates_in_european_files(con, tmp_path):
    path = tmp_path / "eu.csv"
    path.write_text("Zeitstempel;IT kW;Facility kW\n02/03/2026 10:00;100,5;130\n03/03/2026 10:00;100;131\n")
    # No date says which number is the day: asked, never guessed from the semicolons.
    with pytest.raises(ingest.NeedsChoice, match="--date-order") as asked:
        ingest.ingest(con, path)
    assert (asked.value.option, asked.value.guess) == ("date_order", "dmy")
    result = ingest.ingest(con, path, choices=ingest.ReadChoices(date_order="dmy"))
    frame = catalog.preview(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert str(frame["ts"].iloc[0]) == "2026-03-02 10:00:00"
    assert frame["it_kw"].iloc[0] == pytest.approx(100.5)


def test_formulas_are_stored_verbatim_and_neutralised_on_export(con, corpus, tmp_path):
    result = ingest.ingest(con, corpus["injection.csv"][0])
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    stored = catalog.preview(con, info)
    assert stored["rack_id"].iloc[0].startswith("=HYPERLINK(")
    exported = pd.read_csv(io.BytesIO(to_safe_csv(stored)), dtype=str)
    for column in ("rack_id", "site"):
        for value in exported[column].dropna():
            assert not value.startswith(("=", "+", "-", "@")), value
    # Rejected rows keep the user's headers; both the header and the values are neutralised.
    bad = tmp_path / "bad-injection.csv"
    bad.write_text('=SUM(A1),rack_id,design_kw\nx,"=HYPERLINK(""http://e.x"")",-5\n@cmd,+R2,abc\nok,R3,5\n')
    result = ingest.ingest(con, bad, kind="racks")
    rejects = catalog.rejects_frame(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    text = to_safe_csv(rejects).decode()
    assert "\n=" not in text and ",=" not in text and ",+" not in text and ",@" not in text
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize(
    "name", ["x'; DROP TABLE facility.datasets; --", "", " ", "a" * 65, "rm -rf /\x00", "<b>x</b>"]
)
def test_bad_dataset_names_are_refused_before_anything_is_written(con, corpus, name):
    before = _facility_state(con)
    with pytest.raises(catalog.DatasetError):
        ingest.ingest(con, corpus["racks_plain.csv"][0], name=name)
    assert _facility_state(con) == before


def test_names_are_unique_per_workspace_and_private_uploads_are_isolated(con, corpus):
    path = corpus["racks_plain.csv"][0]
    ingest.ingest(con, path, name="Site A-1.v2")
    with pytest.raises(catalog.DatasetError, match="already exists"):
        ingest.ingest(con, path, name="site a-1.v2")
    me = catalog.session_workspace("a" * 32)
    other = catalog.session_workspace("b" * 32)
    mine = ingest.ingest(con, path, name="Site A-1.v2", workspace=me)  # same name, private: fine
    assert "Site A-1.v2" in catalog.list_datasets(con)["name"].tolist()
    assert len(catalog.list_datasets(con)) == 1  # the CLI/shared view does not see private uploads
    assert catalog.list_datasets(con, [other, catalog.SHARED])["dataset_id"].tolist() != [mine.dataset_id]
    assert mine.dataset_id not in catalog.list_datasets(con, [other, catalog.SHARED])["dataset_id"].tolist()
    with pytest.raises(catalog.DatasetError, match="already has"):
        catalog.save_to_shared(con, mine.dataset_id, me)
    catalog.rename_dataset(con, mine.dataset_id, "Site A private", [me])
    assert catalog.save_to_shared(con, mine.dataset_id, me) == "Site A private"
    assert "Site A private" in catalog.list_datasets(con, [other, catalog.SHARED])["name"].tolist()
    with pytest.raises(catalog.DatasetError):  # another session cannot touch a private dataset
        private = ingest.ingest(con, path, name="mine only", workspace=me)
        catalog.delete_dataset(con, private.dataset_id, [other, catalog.SHARED])


def test_delete_drops_only_the_datasets_own_tables(con, corpus):
    con.execute("CREATE TABLE facility.scenarios (id INTEGER)")  # another engineer's table
    keep = ingest.ingest(con, corpus["racks_plain.csv"][0], name="keep")
    gone = ingest.ingest(con, corpus["racks_bad_rows.csv"][0], name="gone")
    catalog.delete_dataset(con, gone.dataset_id, [catalog.SHARED])
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'facility'"
        ).fetchall()
    }
    info = catalog.get_dataset(con, dataset_id=keep.dataset_id)
    assert {"scenarios", "datasets", "migrations", info.table_name, info.rejects_table} == tables
    assert catalog.list_datasets(con)["name"].tolist() == ["keep"]


def test_mapping_override_for_unrecognised_headers(con, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Schrank,Leistung Soll,Leistung Ist\nS1,12,8\nS2,15,\n")
    with pytest.raises(ingest.UnreadableFile, match="missing required column.*design_kw"):
        ingest.ingest(con, path)  # "Schrank" is a cabinet; nothing names its design power
    result = ingest.ingest(
        con,
        path,
        kind="racks",
        mapping={"rack_id": "Schrank", "design_kw": "Leistung Soll", "measured_kw": "Leistung Ist"},
    )
    assert (result.rows_accepted, result.rows_rejected) == (2, 0)
    with pytest.raises(ingest.UnreadableFile, match="not in the file"):
        ingest.ingest(con, path, kind="racks", mapping={"rack_id": "nope", "design_kw": "Leistung Soll"})


def test_telemetry_figures_never_exceed_5000_points_per_trace(con, tmp_path):
    from factorycore.charts import facility as charts

    path = make.telemetry_csv(tmp_path / "t200k.csv", 200_000, racks=100)
    result = ingest.ingest(con, path, name="t200k")
    assert result.rows_accepted == 200_000
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    figures = [
        charts.telemetry_power(aggregate.telemetry_power_over_time(con, info)),
        charts.hottest_racks(aggregate.hottest_racks(con, info)),
    ]
    meter = tmp_path / "m200k.csv"
    with meter.open("w") as handle:
        handle.write("timestamp,it_kw,facility_kw\n")
        for i in range(200_000):
            handle.write(
                f"2026-01-01 00:00:00,{100 + i % 7},{130 + i % 11}\n".replace(
                    "00:00:00", f"{(i // 60) % 24:02d}:{i % 60:02d}:00"
                ).replace("01-01", f"{1 + i // 17280 % 12:02d}-{1 + i // 1440 % 12:02d}")
            )
    m = ingest.ingest(con, meter, name="m200k")
    assert m.rows_accepted == 200_000
    figures.append(
        charts.pue_over_time(aggregate.pue_over_time(con, catalog.get_dataset(con, dataset_id=m.dataset_id)))
    )
    for fig in figures:
        for trace in fig.data:
            for axis in ("x", "y"):
                values = getattr(trace, axis, None)
                if values is not None:
                    assert len(values) <= 5000, (fig.layout.title.text, trace.name, len(values))
    assert len(figures[0].data[0].x) > 10  # and it still draws a real series


def test_percentile_and_bands():
    dist = pd.DataFrame(
        {
            "band": ["<5 kW", "5-10 kW", ">10 kW"],
            "band_order": [1, 2, 3],
            "band_min_kw": [None, 5.0, 10.0],
            "band_max_kw": [5.0, 10.0, None],
            "share_pct": [50.0, 30.0, 20.0],
        }
    )
    assert aggregate.percentile_in_distribution(2.5, dist) == pytest.approx(25.0)
    assert aggregate.percentile_in_distribution(7.5, dist) == pytest.approx(65.0)
    assert aggregate.percentile_in_distribution(1000, dist) == pytest.approx(100.0)
    bands = aggregate.bands_from_reference(dist)
    site = aggregate.site_bands(pd.DataFrame({"kw": [1.0, 5.0, 9.9, 10.0, 50.0]}), bands)
    assert site["racks"].tolist() == [1, 2, 2]
    assert site["share_pct"].sum() == pytest.approx(100.0)


# --- the command line --------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    path = tmp_path / "cli.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(path))
    return path


@pytest.mark.parametrize("name", READABLE)
def test_cli_ingest_json_contract(cli_db, corpus, name, capsys):
    path, expect = corpus[name]
    assert cli_main(["ingest", str(path), "--dataset", "ds 1", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"dataset", "kind", "rows_accepted", "rows_rejected", "problems"} <= set(out)
    assert out["dataset"] == "ds 1" and out["kind"] == expect["kind"]
    assert (out["rows_accepted"], out["rows_rejected"]) == (expect["accepted"], expect["rejected"])
    assert all(set(p) == {"row", "column", "message"} for p in out["problems"])
    assert cli_main(["datasets", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(i["dataset"], i["kind"], i["rows"]) for i in items] == [("ds 1", expect["kind"], expect["accepted"])]
    assert set(items[0]) >= {"dataset", "kind", "rows", "created"}


@pytest.mark.parametrize("name", UNREADABLE)
def test_cli_unreadable_exits_2_with_one_line(cli_db, corpus, name, capsys):
    assert cli_main(["ingest", str(corpus[name][0]), "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "expected a CSV" in captured.err
    con = duckdb.connect(str(cli_db))
    try:
        assert (
            con.execute(
                "SELECT count(*) FROM information_schema.tables "
                "WHERE table_schema = 'facility' AND table_name LIKE 'ds_%'"
            ).fetchone()[0]
            == 0
        )
    finally:
        con.close()


def test_cli_problem_list_is_capped(cli_db, tmp_path, capsys):
    path = tmp_path / "many-bad.csv"
    path.write_text("rack_id,design_kw\n" + "".join(f"R{i},-1\n" for i in range(250)) + "OK1,5\n")
    assert cli_main(["ingest", str(path), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["rows_rejected"] == 250 and out["problems_total"] == 250
    assert len(out["problems"]) == 100 and out["problems"][0]["row"] == 1


def test_cli_subprocess_bad_name_and_missing_file(cli_db):
    env = {"FACTORY_DB": str(cli_db), "PATH": "/usr/bin:/bin"}
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "factorycore",
            "ingest",
            str(REPO / "data/samples/racks_sample.csv"),
            "--dataset",
            "a;b",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "not allowed" in bad.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "factorycore", "ingest", "/nonexistent.csv"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "no such file" in missing.stderr
    assert "Traceback" not in bad.stderr + missing.stderr


def test_stale_private_uploads_are_purged_but_shared_ones_kept(con, corpus):
    path = corpus["racks_plain.csv"][0]
    ws = catalog.session_workspace("c" * 32)
    old = ingest.ingest(con, path, name="old private", workspace=ws)
    ingest.ingest(con, path, name="fresh private", workspace=ws)
    shared = ingest.ingest(con, path, name="old shared")
    con.execute(
        f"UPDATE {catalog.CATALOG} SET created = created - INTERVAL 3 DAY WHERE dataset_id IN (?, ?)",
        [old.dataset_id, shared.dataset_id],
    )
    assert catalog.purge_private(con, older_than_hours=24) == 1
    names = catalog.list_datasets(con, [ws, catalog.SHARED])["name"].tolist()
    assert sorted(names) == ["fresh private", "old shared"]


def test_structural_rejects_keep_row_numbers_of_later_rows(con, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("rack_id,design_kw\nA,1\nB,2,3\nC,-1\nD\nE,-2\n")
    result = ingest.ingest(con, path)
    assert {p["row"]: p["column"] for p in result.problems} == {
        2: "(whole row)",
        3: "design_kw",
        4: "(whole row)",
        5: "design_kw",
    }


def test_repeated_rack_ids_are_reported_as_duplicates_with_their_values(con, tmp_path):
    # A repeated rack_id is otherwise a good row: its message must not claim missing
    # values, and the rejected-rows export must show what the file held.
    path = tmp_path / "dups.csv"
    path.write_bytes(b"rack_id,design_kw,site\nR1,10,a\nR2,11,b\nR1,12,c\n")
    result = ingest.ingest(con, path)
    assert (result.rows_accepted, result.rows_rejected) == (2, 1)
    assert result.problems == [{"row": 3, "column": "rack_id", "message": "duplicate rack_id 'R1' (first on row 1)"}]
    rejects = catalog.rejects_frame(con, catalog.get_dataset(con, dataset_id=result.dataset_id))
    assert rejects[["rack_id", "design_kw", "site"]].values.tolist() == [["R1", "12", "c"]]


def test_buckets_are_never_finer_than_the_readings():
    assert aggregate.choose_bucket(14 * 86400, 2000) == ("15 minutes", 900)
    assert aggregate.choose_bucket(14 * 86400, 2000, reading_interval_s=3600) == ("1 hour", 3600)
    assert aggregate.choose_bucket(3600, 2000, reading_interval_s=7200) == ("3 hours", 10800)


def test_hourly_meter_data_is_shown_in_hourly_buckets(con):
    result = ingest.ingest(con, REPO / "data/samples/meter_sample.csv", name="hourly meter")
    info = catalog.get_dataset(con, dataset_id=result.dataset_id, workspaces=[catalog.SHARED])
    series = aggregate.pue_over_time(con, info)
    assert set(series["bucket_size"]) == {"1 hour"}
    assert len(series) == result.rows_accepted  # one bucket per hourly reading, none merged or split


@pytest.mark.parametrize(
    ("pct", "label"),
    [
        (None, "-"),
        (0.2, "1st"),
        (2, "2nd"),
        (3.4, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22.4, "22nd"),
        (37, "37th"),
        (99.4, "99th"),
        (99.6, "above 99th"),
        (100, "above 99th"),
    ],
)
def test_percentile_labels_are_true_ordinals(pct, label):
    assert aggregate.percentile_label(pct) == label
