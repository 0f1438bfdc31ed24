"""Real exports made by others (tests/realdata) and the same data as other locales and views write it.

Each test checks the figures tests/realdata/README.md gives for the file, worked out
independently of the product, through the engine and, where the command line is the
contract (exit status, the flag it names), through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factorycore import db
from factorycore.cli import main as cli_main
from factorycore.userdata import catalog, ingest
from tests.corpus import locale_variants

REAL = Path(__file__).resolve().parents[1] / "realdata"
P95 = locale_variants.FASRC_P95_KW


@pytest.fixture
def con(tmp_path: Path):
    c = db.open_database(tmp_path / "real.duckdb", build=False)
    yield c
    c.close()


@pytest.fixture(scope="module")
def variants(tmp_path_factory) -> dict[str, Path]:
    return locale_variants.write(tmp_path_factory.mktemp("variants"))


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    path = tmp_path / "cli.duckdb"
    monkeypatch.setenv("FACTORY_DB", str(path))
    return path


def _table(con, result: ingest.IngestResult) -> str:
    return catalog.get_dataset(con, dataset_id=result.dataset_id).table


def _rack_p95(con, result: ingest.IngestResult) -> dict[str, float]:
    rows = con.execute(
        f"SELECT rack_id, quantile_cont(power_kw, 0.95) FROM {_table(con, result)} GROUP BY rack_id"
    ).fetchall()
    return {rack: round(p95, 3) for rack, p95 in rows}


# --- NetBox ---------------------------------------------------------------------------------


def test_netbox_power_feeds_all_data_give_3_52_kva_per_feed_on_24_racks(con):
    result = ingest.ingest(con, REAL / "netbox_power_feeds.csv")
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("power_feeds", 48, 0)
    rows = con.execute(
        "SELECT count(DISTINCT rack_id), min(available_kw), max(available_kw), "
        f"count(*) FILTER (feed_type = 'Primary') FROM {_table(con, result)}"
    ).fetchone()
    assert rows == (24, pytest.approx(3.52), pytest.approx(3.52), 24)
    assert result.detection["units"]["available_kw"] == "VA"
    assert any("VA" in n and "unity power factor" in n for n in result.detection["notes"])


def test_netbox_power_feeds_current_view_computes_available_power_as_netbox_does(con, variants):
    result = ingest.ingest(con, variants["netbox_feeds_current_view.csv"])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("power_feeds", 48, 0)
    kw = con.execute(f"SELECT min(available_kw), max(available_kw) FROM {_table(con, result)}").fetchone()
    assert kw == (pytest.approx(3.52), pytest.approx(3.52))  # 220 V x 20 A x 80 % (NetBox's default)
    assert any("80 %" in n and "1.732" in n for n in result.detection["notes"])


def test_three_phase_feed_without_max_utilisation_uses_sqrt3_and_80_percent(con, tmp_path):
    path = tmp_path / "feeds.csv"
    path.write_text(
        "Name,Power Panel,Rack,Status,Type,Supply,Voltage,Amperage,Phase\n"
        "B01-A,PP1,B01,Active,Primary,AC,415,32,Three-phase\n"
        "B01-B,PP2,B01,Active,Redundant,AC,230,16,Single phase\n"
    )
    result = ingest.ingest(con, path)
    kw = [r[0] for r in con.execute(f"SELECT available_kw FROM {_table(con, result)} ORDER BY feed").fetchall()]
    # NetBox: round(|V| x A x max_utilization / 100 x 1.732) VA for three-phase.
    assert kw == [pytest.approx(18.401), pytest.approx(2.944)]


def test_netbox_power_ports_draw_falls_back_to_maximum_draw(con):
    result = ingest.ingest(con, REAL / "netbox_power_ports.csv")
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("power_ports", 19, 56)
    total, sources, devices = con.execute(
        f"SELECT sum(draw_kw), list(DISTINCT draw_source), count(DISTINCT device) FROM {_table(con, result)}"
    ).fetchone()
    assert total == pytest.approx(5.85) and sources == ["maximum"]
    assert any("maximum draw" in n for n in result.detection["notes"])
    assert {p["message"] for p in result.problems} == {"no draw: neither allocated nor maximum draw is filled"}


def test_netbox_devices_are_the_host_to_rack_map_of_12_racks(con):
    result = ingest.ingest(con, REAL / "netbox_devices.csv")
    assert (result.kind, result.rows_accepted) == ("devices", 72)
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    assert info.spec.has_role("host_rack_map")
    racks = con.execute(f"SELECT count(DISTINCT rack_id) FROM {info.table}").fetchone()[0]
    assert racks == 12


def test_netbox_racks_power_percentage_is_never_read_as_power(con):
    with pytest.raises(ingest.UnreadableFile, match="'Power' holds percentages") as refused:
        ingest.ingest(con, REAL / "netbox_racks.csv")
    assert "not read as one" in str(refused.value)
    # Even named as the measured power, a percentage column is not a power.
    with pytest.raises(ingest.UnreadableFile):
        ingest.ingest(con, REAL / "netbox_racks.csv", kind="racks", mapping={"rack_id": "Name", "design_kw": "Power"})
    catalog.ensure_catalog(con)
    assert con.execute(f"SELECT count(*) FROM {catalog.CATALOG}").fetchone()[0] == 0


# --- FASRC rack power: US, UK and German Excel ------------------------------------------------


def test_us_excel_dates_are_refused_without_a_date_order_naming_the_flag(cli_db, capsys):
    code = cli_main(["ingest", str(REAL / "fasrc_rack_power_excel.csv"), "--format", "json"])
    err = capsys.readouterr().err
    assert code == 2 and "--date-order dmy|mdy|ymd" in err and "6/3/2025" in err
    assert err.count("\n") == 1


def test_us_excel_with_mdy_gives_the_readme_figures(cli_db, capsys):
    path = str(REAL / "fasrc_rack_power_excel.csv")
    assert cli_main(["ingest", path, "--date-order", "mdy", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["rows_accepted"], out["rows_rejected"], out["date_order"]) == (locale_variants.FASRC_ROWS, 0, "mdy")
    con = db.open_database(cli_db, build=False)
    try:
        info = catalog.get_dataset(con, name=out["dataset"])
        span = con.execute(f"SELECT min(ts)::VARCHAR, max(ts)::VARCHAR FROM {info.table}").fetchone()
        assert span == ("2025-06-03 00:00:00", "2025-06-03 23:59:00")  # 3 June, not 6 March
        p95 = dict(
            con.execute(f"SELECT rack_id, quantile_cont(power_kw, 0.95) FROM {info.table} GROUP BY 1").fetchall()
        )
        assert p95 == pytest.approx(P95)
        assert info.details["date_order"] == "mdy"
    finally:
        con.close()


def test_uk_excel_without_a_deciding_date_is_asked_and_right_with_dmy(con, variants):
    with pytest.raises(ingest.NeedsChoice) as asked:
        ingest.ingest(con, variants["fasrc_uk.csv"])
    assert asked.value.option == "date_order" and "03/06/2025" in str(asked.value)
    result = ingest.ingest(con, variants["fasrc_uk.csv"], choices=ingest.ReadChoices(date_order="dmy"))
    assert con.execute(f"SELECT min(ts)::DATE::VARCHAR FROM {_table(con, result)}").fetchone()[0] == "2025-06-03"
    assert _rack_p95(con, result) == pytest.approx(P95)  # "1,070" read as 1,070 W


def test_uk_excel_with_a_day_above_12_decides_itself(con, variants):
    result = ingest.ingest(con, variants["fasrc_uk_day13.csv"])
    assert result.detection["date_order"] == "dmy"
    assert any("13/06/2025" in n for n in result.detection["notes"])
    assert con.execute(f"SELECT min(ts)::DATE::VARCHAR FROM {_table(con, result)}").fetchone()[0] == "2025-06-13"
    assert _rack_p95(con, result) == pytest.approx(P95)


def test_german_excel_thousands_point_and_decimal_comma(con, variants):
    result = ingest.ingest(con, variants["fasrc_de.csv"])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("telemetry", locale_variants.FASRC_ROWS, 0)
    assert result.detection["mapping"]["timestamp"] == "Datum/Uhrzeit"
    assert result.detection["mapping"]["power_kw"] == "Leistung (W)"
    assert result.detection["decimals"]["power_kw"] == "comma"
    assert con.execute(f"SELECT min(ts)::DATE::VARCHAR FROM {_table(con, result)}").fetchone()[0] == "2025-06-03"
    assert _rack_p95(con, result) == pytest.approx(P95)  # 1.070 is 1,070 W, never 1.07 W
    assert con.execute(f"SELECT max(power_kw) FROM {_table(con, result)}").fetchone()[0] == pytest.approx(1.35)


def test_german_excel_1_070_beside_bare_whole_numbers_is_a_thousands_point(con, variants):
    # No other column says the decimal mark: '1.070' beside '340' can only be grouped thousands.
    result = ingest.ingest(con, variants["fasrc_de_no_evidence.csv"])
    assert result.detection["decimals"]["power_kw"] == "comma"
    assert any("'1.070' has a thousands point" in n for n in result.detection["notes"])
    assert _rack_p95(con, result) == pytest.approx(P95)


def test_a_separator_nothing_decides_is_asked(con, cli_db, tmp_path, capsys):
    path = tmp_path / "de.csv"
    path.write_text("Datum/Uhrzeit;Rack;Leistung (W)\n03.06.2025 00:00;R1;1.075\n03.06.2025 00:01;R1;2.345\n")
    with pytest.raises(ingest.NeedsChoice) as asked:
        ingest.ingest(con, path)
    assert (asked.value.option, asked.value.guess) == ("decimal", "comma")
    assert cli_main(["ingest", str(path), "--format", "json"]) == 2
    assert "--decimal point|comma" in capsys.readouterr().err
    result = ingest.ingest(con, path, choices=ingest.ReadChoices(decimal="comma"))
    kw = [r[0] for r in con.execute(f"SELECT power_kw FROM {_table(con, result)} ORDER BY ts").fetchall()]
    assert kw == [pytest.approx(1.075), pytest.approx(2.345)]


def test_german_rack_list_reads_3_52_and_refuses_empty_design(con, variants):
    result = ingest.ingest(con, variants["racks_de.csv"])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("racks", 24, 2)
    assert con.execute(f"SELECT min(design_kw), max(design_kw) FROM {_table(con, result)}").fetchone() == (
        pytest.approx(3.52),
        pytest.approx(3.52),
    )


# --- openDCIM: a title row above the header ---------------------------------------------------


@pytest.mark.parametrize("source", ["xlsx", "csv"])
def test_opendcim_cabinets_26_with_24_at_3_52_kw_and_2_empty_set_aside(con, variants, source):
    path = REAL / "opendcim_cabinets_mdf.xlsx" if source == "xlsx" else variants["opendcim_cabinets_title.csv"]
    result = ingest.ingest(con, path, name=f"mdf {source}")
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("racks", 24, 2)
    kw = con.execute(f"SELECT min(design_kw), max(design_kw), count(*) FROM {_table(con, result)}").fetchone()
    assert kw == (pytest.approx(3.52), pytest.approx(3.52), 24)
    info = catalog.get_dataset(con, dataset_id=result.dataset_id)
    rejected = catalog.rejects_frame(con, info)
    assert sorted(rejected["Label"]) == ["Plant 1", "Plant 2"]  # never 0 kW
    assert set(rejected["message"]) == {"design_kw is missing"}
    if source == "csv":
        assert result.detection["header_line"] == 3


# --- nothing stored is never a success ----------------------------------------------------------


def test_a_file_with_no_good_row_stores_nothing_and_counts_the_reasons(con, cli_db, tmp_path, capsys):
    path = tmp_path / "all-bad.csv"
    path.write_text("rack_id,design_kw\nR1,-1\nR2,abc\nR3,-2\n")
    with pytest.raises(ingest.NothingStored, match=r"design_kw is negative \(2 rows\)"):
        ingest.ingest(con, path)
    catalog.ensure_catalog(con)
    assert con.execute(f"SELECT count(*) FROM {catalog.CATALOG}").fetchone()[0] == 0
    assert cli_main(["ingest", str(path), "--format", "json"]) == 2
    assert "no row could be stored" in capsys.readouterr().err


# --- the command line maps, and remembers it ------------------------------------------------------


def test_cli_map_unit_and_profile_for_a_nightly_ingest(cli_db, tmp_path, capsys):
    from factorycore.userdata import profiles  # noqa: PLC0415 - the module under test

    path = tmp_path / "odd.csv"
    path.write_text("Cab,Budget,Site\nA1,7.5,X\nA2,10,X\n")
    args = ["ingest", str(path), "--kind", "racks", "--map", "rack_id=Cab", "--map", "design_kw=Budget"]
    assert cli_main([*args, "--unit", "design_kw=kVA", "--save-profile", "Odd export", "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["profile_saved"] == "odd export" and first["units"]["design_kw"] == "kVA"
    assert cli_main(["ingest", str(path), "--profile", "odd export", "--dataset", "night 2", "--format", "json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["rows_accepted"] == 2 and second["mapping"] == {
        "rack_id": "Cab",
        "design_kw": "Budget",
        "site": "Site",
    }
    assert any("profile 'odd export'" in n for n in second["notes"])
    con = db.open_database(cli_db, build=False)
    try:
        assert profiles.load(con, "ODD EXPORT").units["design_kw"] == "kVA"
        kw = con.execute(f"SELECT design_kw FROM {catalog.get_dataset(con, name='night 2').table}").fetchall()
        assert [r[0] for r in kw] == [7.5, 10.0]
    finally:
        con.close()
    assert cli_main(["ingest", str(path), "--profile", "nope"]) == 2
    assert "no saved profile 'nope'" in capsys.readouterr().err
    assert cli_main(["ingest", str(path), "--kind", "racks", "--map", "rack_id"]) == 2
    assert "FIELD=VALUE" in capsys.readouterr().err


# --- the team store reads them alike ---------------------------------------------------------------


def test_team_store_reads_the_exports_alike_and_keeps_profiles(team_url, tmp_path, variants):
    from factorycore import store  # noqa: PLC0415
    from factorycore.userdata import profiles  # noqa: PLC0415

    con = db.open_database(tmp_path / "team.duckdb", build=False)
    try:
        feeds = ingest.ingest(con, variants["netbox_feeds_current_view.csv"])
        german = ingest.ingest(con, variants["fasrc_de.csv"])
        pg = store.facility(con)
        with pg.cursor() as cur:
            kw = cur.execute(f"SELECT min(available_kw), max(available_kw) FROM {_table(con, feeds)}").fetchone()
            p95 = dict(
                cur.execute(
                    "SELECT rack_id, percentile_cont(0.95) WITHIN GROUP (ORDER BY power_kw) "
                    f"FROM {_table(con, german)} GROUP BY rack_id"
                ).fetchall()
            )
        assert kw == (pytest.approx(3.52), pytest.approx(3.52))
        assert p95 == pytest.approx(P95)
        devices = catalog.get_dataset(con, dataset_id=ingest.ingest(con, REAL / "netbox_devices.csv").dataset_id)
        ports = ingest.ingest(con, REAL / "netbox_power_ports.csv", host_racks=devices)
        with pg.cursor() as cur:
            assert cur.execute(f"SELECT count(rack_id) FROM {_table(con, ports)}").fetchone()[0] == 19
        profiles.save(con, profiles.from_result("German FASRC", german))
        assert profiles.load(con, "german fasrc").decimal == "comma"
        assert profiles.names(con) == ["german fasrc"]
    finally:
        con.close()


def test_french_and_german_headers_name_their_fields(con, tmp_path):
    path = tmp_path / "fr.csv"
    path.write_text(
        "Horodatage;Baie;Puissance (kW)\n13/06/2025 10:00;B1;3,52\n14/06/2025 10:00;B1;1 070,5\n", encoding="utf-8"
    )
    result = ingest.ingest(con, path)
    assert result.kind == "telemetry" and result.detection["date_order"] == "dmy"
    kw = [r[0] for r in con.execute(f"SELECT power_kw FROM {_table(con, result)} ORDER BY ts").fetchall()]
    assert kw == [pytest.approx(3.52), pytest.approx(1070.5)]
    feeds = tmp_path / "de-feeds.csv"
    feeds.write_text("Name;Schrank;Verfügbare Leistung (VA)\nA;R1;3.520\nB;R1;3.520\n", encoding="utf-8")
    result = ingest.ingest(con, feeds, choices=ingest.ReadChoices(decimal="comma"))
    assert result.kind == "power_feeds"
    assert con.execute(f"SELECT max(available_kw) FROM {_table(con, result)}").fetchone()[0] == pytest.approx(3.52)


@pytest.mark.parametrize(
    ("text", "first", "order"),
    [
        ("Date,Rack,Power (W)\n6/3/25 0:00,R1,100\n6/13/25 0:00,R1,200\n", "2025-06-03 00:00:00", "mdy"),
        ("Datum;Rack;Leistung (W)\n03.06.25 00:00;R1;100\n04.06.25 00:00;R1;1.070\n", "2025-06-03 00:00:00", "dmy"),
        ("Time,Rack,kW\n03-Jun-2025 00:00,R1,1\n04-Jun-2025 00:00,R1,2\n", "2025-06-03 00:00:00", None),
        ("Time,Rack,kW\n06-03-2025 00:00,R1,2\n06-13-2025 00:00,R1,1\n", "2025-06-03 00:00:00", "mdy"),
    ],
)
def test_excel_short_dates_month_names_and_dashes(con, tmp_path, text, first, order):
    path = tmp_path / "dates.csv"
    path.write_text(text)
    result = ingest.ingest(con, path)
    assert (result.rows_accepted, result.rows_rejected, result.detection["date_order"]) == (2, 0, order)
    assert con.execute(f"SELECT min(ts)::VARCHAR FROM {_table(con, result)}").fetchone()[0] == first


def test_a_column_of_both_date_orders_is_asked(con, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text("Time,Rack,kW\n13/06/2025 00:00,R1,1\n06/13/2025 00:00,R1,2\n")
    with pytest.raises(ingest.NeedsChoice, match="mix day-first"):
        ingest.ingest(con, path)


def test_a_workbook_with_numbers_typed_as_german_text(con, tmp_path):
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Schrank", "Max. Leistung (W)"])
    for rack, watts in (("R1", "340"), ("R2", "1.070"), ("R3", "3.520")):  # text cells, as German Excel shows them
        sheet.append([rack, watts])
    path = tmp_path / "de.xlsx"
    book.save(path)
    result = ingest.ingest(con, path)
    kw = [r[0] for r in con.execute(f"SELECT design_kw FROM {_table(con, result)} ORDER BY rack_id").fetchall()]
    assert kw == [pytest.approx(0.34), pytest.approx(1.07), pytest.approx(3.52)]  # never 0.00107 kW


@pytest.mark.parametrize("name", ["netbox_power_feeds_de.csv", "netbox_power_feeds_current_view_fr.csv"])
def test_netbox_feeds_in_its_german_and_french_ui(con, variants, name):
    result = ingest.ingest(con, variants[name])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("power_feeds", 48, 0)
    kw = con.execute(
        f"SELECT count(DISTINCT rack_id), min(available_kw), max(available_kw) FROM {_table(con, result)}"
    ).fetchone()
    assert kw == (24, pytest.approx(3.52), pytest.approx(3.52))


@pytest.mark.parametrize("name", ["netbox_power_ports_de.csv", "netbox_power_ports_fr.csv"])
def test_netbox_power_ports_in_its_german_and_french_ui(con, variants, name):
    result = ingest.ingest(con, variants[name])
    assert (result.kind, result.rows_accepted, result.rows_rejected) == ("power_ports", 19, 56)
    assert con.execute(f"SELECT sum(draw_kw) FROM {_table(con, result)}").fetchone()[0] == pytest.approx(5.85)


def test_a_three_phase_feed_in_german_netbox(con, tmp_path):
    path = tmp_path / "feeds_de.csv"
    path.write_text(
        "Name,Stromverteiler,Rack,Spannung,Stromstärke,Phase\nA,P1,R1,400,32,Dreiphasig\n", encoding="utf-8"
    )
    result = ingest.ingest(con, path)
    kw = con.execute(f"SELECT available_kw FROM {_table(con, result)}").fetchone()[0]
    assert kw == pytest.approx(round(400 * 32 * 0.8 * 1.732) / 1000)
    assert any("no Max utilization column" in n for n in result.detection["notes"])


def test_swiss_apostrophes_and_french_spaces_group_thousands(con, tmp_path):
    path = tmp_path / "ch.csv"
    path.write_text("Schrank;Max. Leistung (W)\nR1;1'070.5\nR2;340\nR3;2’345.25\n", encoding="utf-8")
    result = ingest.ingest(con, path)
    kw = [r[0] for r in con.execute(f"SELECT design_kw FROM {_table(con, result)} ORDER BY rack_id").fetchall()]
    assert kw == [pytest.approx(1.0705), pytest.approx(0.34), pytest.approx(2.34525)]
    assert result.detection["decimals"]["design_kw"] == "point"


def test_power_ports_take_their_rack_from_a_devices_map(con, cli_db, capsys):
    devices = ingest.ingest(con, REAL / "netbox_devices.csv")
    host_racks = catalog.get_dataset(con, dataset_id=devices.dataset_id)
    result = ingest.ingest(con, REAL / "netbox_power_ports.csv", host_racks=host_racks)
    rows = con.execute(f"SELECT count(*), count(rack_id), sum(draw_kw) FROM {_table(con, result)}").fetchone()
    assert rows == (19, 19, pytest.approx(5.85))  # every port with a draw is on a device NetBox racks
    assert any("looked up by device in 'netbox_devices'" in n for n in result.detection["notes"])
    # A dataset that maps nothing to racks is refused as the map.
    feeds = ingest.ingest(con, REAL / "netbox_power_feeds.csv")
    with pytest.raises(catalog.DatasetError, match="not a host-to-rack map"):
        ingest.ingest(
            con, REAL / "netbox_power_ports.csv", name="x", host_racks=catalog.get_dataset(con, name=feeds.dataset)
        )
    assert cli_main(["ingest", str(REAL / "netbox_devices.csv"), "--dataset", "devs"]) == 0
    capsys.readouterr()
    path = str(REAL / "netbox_power_ports.csv")
    assert cli_main(["ingest", path, "--host-racks", "devs", "--format", "json"]) == 0
    assert any("looked up by device in 'devs'" in n for n in json.loads(capsys.readouterr().out)["notes"])
