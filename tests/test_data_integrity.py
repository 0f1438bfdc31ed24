"""Integrity of the built-in reference data (data/sources.csv, data/reference/*.csv).

Every check asserts a real property of the committed files: the column contract of
factorycore.schema, keys, provenance, statuses, band shares, coverage, the article's
contrast, the hardware catalogue and that data/build_models.py reproduces the files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from factorycore import schema

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
REFERENCE_TABLES = [t for t in schema.TABLES if t != "sources"]
YEARS = list(schema.REFERENCE_YEARS)
DENSITY_SEGMENTS = list(schema.DENSITY_PROFILES)
BANDS = list(schema.DENSITY_BANDS)
STACK_LAYERS = [
    "Accelerated compute",
    "Networking & interconnect",
    "Power delivery",
    "Cooling",
    "Storage & data pipelines",
    "Orchestration & software",
]
ACCELERATOR_IDS = [
    "a100_sxm",
    "h100_sxm",
    "h100_pcie",
    "h200_sxm",
    "b200",
    "b300",
    "gb200",
    "gb300",
    "mi250x",
    "mi300x",
    "mi325x",
    "mi350x",
    "mi355x",
    "tpu_v4",
]
SYSTEM_IDS = [
    "dgx_a100",
    "dgx_h100",
    "dgx_b200",
    "dgx_b300",
    "hgx_h100_8gpu",
    "hgx_b200_8gpu",
    "gb200_nvl72",
    "gb300_nvl72",
]


def path_of(table: str) -> Path:
    return DATA / "sources.csv" if table == "sources" else DATA / "reference" / f"{table}.csv"


def load(table: str) -> pd.DataFrame:
    return pd.read_csv(path_of(table), encoding="utf-8", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {t: load(t) for t in schema.TABLES}


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_columns_match_schema_exactly(table):
    header = path_of(table).read_text(encoding="utf-8").splitlines()[0]
    assert load(table).columns.tolist() == list(schema.TABLES[table]), header


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_tables_are_not_empty(tables, table):
    assert len(tables[table]) > 0


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_no_duplicate_primary_keys(tables, table):
    key = list(schema.PRIMARY_KEYS[table])
    dupes = tables[table][tables[table].duplicated(key, keep=False)]
    assert dupes.empty, dupes[key].to_string()


@pytest.mark.parametrize("table", list(schema.TABLES))
def test_key_columns_have_no_blanks(tables, table):
    key = list(schema.PRIMARY_KEYS[table])
    assert not tables[table][key].isna().any().any()


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_every_source_id_resolves(tables, table):
    known = set(tables["sources"]["source_id"])
    missing = set(tables[table]["source_id"]) - known
    assert not missing, f"{table} cites unknown sources: {sorted(missing)}"


def test_source_statuses_and_urls(tables):
    src = tables["sources"]
    assert set(src["status"]) <= set(schema.SOURCE_STATUSES)
    assert src[["publisher", "title", "url"]].notna().all().all()
    assert src["source_id"].str.fullmatch(r"[a-z0-9_]+").all()
    models = src[src["status"] == "model"]
    assert models["url"].str.startswith("data/README.md#").all()
    # Only project models may point at the README, and each README anchor must exist.
    others = src[src["status"] != "model"]
    assert not others["url"].str.startswith("data/").any()
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for url in models["url"]:
        assert f'id="{url.split("#", 1)[1]}"' in readme, url


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_row_statuses_allowed(tables, table):
    assert set(tables[table]["status"]) <= set(schema.ROW_STATUSES)


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_derived_and_modelled_rows_explain_their_method(tables, table):
    df = tables[table]
    explained = df[df["status"].isin(["derived", "modelled"])]
    assert explained["note"].fillna("").str.strip().str.len().gt(10).all()


@pytest.mark.parametrize("table", REFERENCE_TABLES)
def test_modelled_rows_cite_a_model_source_and_reported_rows_do_not(tables, table):
    kinds = tables["sources"].set_index("source_id")["status"]
    df = tables[table]
    cited = df["source_id"].map(kinds)
    outside = df["status"].isin(["reported", "unverified"])
    assert (cited[outside] != "model").all(), "a reported or unverified row cites a project model"
    assert (cited[df["status"] == "modelled"] == "model").all(), "a modelled row cites an outside source"


@pytest.mark.parametrize(
    "table,columns",
    [
        ("rack_density", ["kw_per_rack"]),
        ("power_distribution", ["share_pct", "band_min_kw", "band_max_kw"]),
        ("maturity", ["value"]),
        ("stack", ["power_share_pct"]),
        ("hardware", ["power_kw", "default_rack_kw", "accelerators"]),
        ("electricity", ["twh"]),
        ("throughput", ["tokens_per_s", "accelerators"]),
    ],
)
def test_numbers_are_non_negative(tables, table, columns):
    values = tables[table][columns]
    assert (values.fillna(0) >= 0).all().all()
    assert pd.api.types.is_numeric_dtype(values.dtypes.iloc[0])


@pytest.mark.parametrize(
    "table,column", [("rack_density", "segment"), ("power_distribution", "profile"), ("maturity", "segment")]
)
def test_segment_keys_are_canonical(tables, table, column):
    assert set(tables[table][column]) <= set(schema.SEGMENTS)


def test_rack_density_covers_every_segment_and_year(tables):
    rd = tables["rack_density"]
    assert set(rd["statistic"]) <= {"average", "low", "high"}
    avg = rd[rd["statistic"] == "average"]
    for segment in DENSITY_SEGMENTS:
        years = set(avg.loc[avg["segment"] == segment, "year"])
        assert set(YEARS) <= years, f"{segment} average missing {sorted(set(YEARS) - years)}"


def test_rack_density_keeps_afcom_and_uptime_reported(tables):
    rd = tables["rack_density"]
    rep = rd[(rd["status"] == "reported") & (rd["segment"] == "industry_average")]
    got = {(int(r.year), r.source_id): r.kw_per_rack for r in rep.itertuples()}
    assert got[(2020, "uptime_gdcs_2020")] == 8.4
    assert got[(2021, "afcom_sotdc_2021")] == 7
    assert got[(2024, "afcom_sotdc_2024")] == 12
    assert got[(2025, "afcom_sotdc_2025")] == 16
    # AFCOM 2026 (27 kW): its sponsored-article carrier was read, so it is reported with its quote.
    assert got[(2026, "afcom_sotdc_2026")] == 27


def test_rack_density_low_average_high_are_ordered(tables):
    rd = tables["rack_density"]
    model = rd[rd["source_id"] == "afd_model_density_bands"]
    wide = model.pivot_table(index=["year", "segment"], columns="statistic", values="kw_per_rack")
    assert (wide["low"] < wide["high"]).all()
    modelled_avg = wide["average"].dropna()
    assert (wide.loc[modelled_avg.index, "low"] < modelled_avg).all()
    assert (modelled_avg < wide.loc[modelled_avg.index, "high"]).all()


def test_article_contrast_holds(tables):
    rd = tables["rack_density"]
    avg = rd[(rd["statistic"] == "average") & (rd["year"] == 2026)]
    enterprise = avg.loc[avg["segment"] == "enterprise", "kw_per_rack"]
    ai = avg.loc[avg["segment"] == "ai_factory", "kw_per_rack"]
    assert len(enterprise) and enterprise.between(5, 15).all()
    assert len(ai) and (ai >= 50).all()
    # Traditional enterprise stays in the 5-15 kW band every year.
    ent_all = rd[(rd["statistic"] == "average") & (rd["segment"] == "enterprise")]["kw_per_rack"]
    assert ent_all.between(5, 15).all()


def test_power_distribution_bands_are_fixed(tables):
    pdist = tables["power_distribution"]
    got = pdist[["band", "band_order", "band_min_kw", "band_max_kw"]].drop_duplicates()
    got = sorted(
        (r.band, int(r.band_order), float(r.band_min_kw), None if pd.isna(r.band_max_kw) else float(r.band_max_kw))
        for r in got.itertuples()
    )
    assert got == sorted(BANDS)


def test_power_distribution_covers_every_profile_year_and_band(tables):
    pdist = tables["power_distribution"]
    for profile in DENSITY_SEGMENTS:
        for year in YEARS:
            bands = set(pdist.loc[(pdist["profile"] == profile) & (pdist["year"] == year), "band_order"])
            assert bands == set(range(1, 8)), (profile, year, bands)


def test_power_distribution_shares_sum_to_100(tables):
    sums = tables["power_distribution"].groupby(["year", "profile"])["share_pct"].sum()
    bad = sums[(sums - 100).abs() > 0.05]
    assert bad.empty, bad.to_string()


def test_power_distribution_is_all_modelled_shares_of_racks(tables):
    # Uptime's band shares are of sites (by their most common rack); they live in density_anchors,
    # and the band table holds only the modelled shares of racks.
    pdist = tables["power_distribution"]
    assert set(pdist["status"]) == {"modelled"}
    assert pdist["note"].str.startswith("Share of racks (not of sites)").all()
    anchors = tables["density_anchors"]
    assert set(anchors.loc[anchors["measure"].str.startswith("sites_"), "basis"]) == {"sites"}


def test_ai_factory_distribution_is_high_density(tables):
    pdist = tables["power_distribution"]
    ai = pdist[(pdist["year"] == 2026) & (pdist["profile"] == "ai_factory")]
    assert ai.loc[ai["band_order"] >= 6, "share_pct"].sum() > 90
    ent = pdist[(pdist["year"] == 2026) & (pdist["profile"] == "enterprise")]
    assert ent.loc[ent["band_order"] <= 3, "share_pct"].sum() > 90


def test_maturity_grid_is_complete(tables):
    mat = tables["maturity"]
    y26 = mat[mat["year"] == 2026]
    segments = ["hyperscale", "ai_native_cloud", "colocation", "enterprise"]
    dims = [
        "Liquid cooling",
        "High-density zones",
        "AI-ready networking",
        "Orchestration & automation",
        "Dynamic scaling",
        "Continuous pipelines",
    ]
    for seg in segments:
        assert set(y26.loc[y26["segment"] == seg, "dimension"]) == set(dims), seg
    assert mat["value"].between(0, 100).all()
    assert mat["unit"].fillna("").str.len().gt(0).all()


def test_stack_sums_to_100_and_has_all_layers(tables):
    stack = tables["stack"]
    assert stack["power_share_pct"].sum() == pytest.approx(100, abs=0.05)
    layers = stack.drop_duplicates("layer_order").sort_values("layer_order")
    assert layers["layer"].tolist() == STACK_LAYERS
    assert layers["layer_order"].tolist() == list(range(1, 7))
    assert (stack.groupby("layer").size() >= 2).all()
    assert stack["examples"].fillna("").str.len().gt(0).all()


def test_hardware_catalogue(tables):
    hw = tables["hardware"].set_index("id")
    assert set(hw["kind"]) <= {"accelerator", "system"}
    assert set(hw["cooling"]) <= {"air", "liquid", "air_or_liquid"}
    missing = set(ACCELERATOR_IDS + SYSTEM_IDS) - set(hw.index)
    assert not missing, sorted(missing)
    assert (hw["accelerators"] >= 1).all()
    assert (hw["power_kw"] > 0).all()
    acc = hw[hw["kind"] == "accelerator"]
    assert set(ACCELERATOR_IDS) <= set(acc.index)
    assert (acc["accelerators"] == 1).all()
    assert acc["default_rack_kw"].isna().all()
    systems = hw[hw["kind"] == "system"]
    assert set(SYSTEM_IDS) <= set(systems.index)
    assert systems["default_rack_kw"].notna().all()
    assert (systems["default_rack_kw"] >= systems["power_kw"]).all()
    assert hw.loc["dgx_a100", "power_kw"] == 6.5 and hw.loc["dgx_h100", "power_kw"] == 10.2
    assert hw.loc["dgx_b200", "power_kw"] == 14.3 and hw.loc["dgx_b300", "default_rack_kw"] == 56
    assert (systems.loc[["gb200_nvl72", "gb300_nvl72"], "accelerators"] == 72).all()
    assert set(hw["availability"]) <= {"shipping", "announced"}
    platforms = acc["platform"].dropna()
    assert set(platforms) <= set(systems.index)
    # The catalog's power is the ledger's sizing figure at the maximum basis, row for row.
    ledger = tables["hardware_power"]
    sizing = ledger[ledger["sizing"] & (ledger["basis"] == "maximum")].set_index("hardware_id")
    assert sizing.index.is_unique and set(sizing.index) == set(hw.index)
    assert (sizing.loc[hw.index, "power_kw"].to_numpy() == hw["power_kw"].to_numpy()).all()
    assert (sizing.loc[hw.index, "source_id"].to_numpy() == hw["source_id"].to_numpy()).all()


def test_hardware_power_ledger(tables):
    ledger = tables["hardware_power"]
    assert set(ledger["basis"]) <= {"maximum", "typical", "measured", "rated_capacity"}
    assert (ledger["power_kw"] > 0).all()
    assert not ledger[ledger["sizing"]].duplicated(["hardware_id", "basis"]).any()
    published = ledger[ledger["status"] != "modelled"]
    assert published["quote"].fillna("").str.strip().str.len().gt(3).all()
    urls = tables["sources"].set_index("source_id")["url"]
    checkable = published["seen_at"].astype(object).fillna(published["source_id"].map(urls)).fillna("")
    assert checkable.str.startswith("http").all(), "each published figure names a page where it can be read"


def test_electricity_reaches_2030_with_reported_anchors(tables):
    el = tables["electricity"]
    assert el["year"].max() >= 2030
    assert set(el["region"]) == {"us", "global", "china", "europe"}
    for region in ("us", "global", "china", "europe"):
        assert 2030 in set(el.loc[el["region"] == region, "year"]), region
    rep = {(int(r.year), r.region, r.scenario): r.twh for r in el[el["status"] == "reported"].itertuples()}
    assert rep[(2023, "us", "historical")] == 176
    assert rep[(2028, "us", "low")] == 325 and rep[(2028, "us", "high")] == 580
    assert rep[(2024, "global", "historical")] == 415 and rep[(2030, "global", "base")] == 945
    assert rep[(2030, "global", "base_2026_update")] == 950
    # Lift-Off and Headwinds were found in no document read: unverified, never reported.
    unverified = {(int(r.year), r.scenario): r.twh for r in el[el["status"] == "unverified"].itertuples()}
    assert (2030, "lift_off") not in rep and unverified[(2030, "lift_off")] == 1264
    assert (2030, "headwinds") not in rep and unverified[(2030, "headwinds")] == 669


def test_electricity_interpolation_is_monotonic(tables):
    el = tables["electricity"]
    for (_, _, _), grp in el.groupby(["region", "scenario", "source_id"]):
        series = grp.sort_values("year")["twh"]
        assert series.is_monotonic_increasing


def test_build_models_reproduces_committed_files(tmp_path):
    result = subprocess.run(
        [sys.executable, str(DATA / "build_models.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for table in schema.TABLES:
        rel = path_of(table).relative_to(DATA)
        rebuilt = (tmp_path / rel).read_bytes()
        assert rebuilt == path_of(table).read_bytes(), f"{rel} differs from data/build_models.py output"
