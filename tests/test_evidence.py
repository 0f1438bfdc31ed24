"""Numbers you can defend: every reported row quotes its source, every derived row's formula
reproduces its value from the rows it names, every model reproduces its anchors within 5 %,
and the engine reads its figures from the reference tables (one copy of each).
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from factorycore import evidence, growth, planner, schema
from factorycore.evidence import FormulaError

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
TABLES = [t for t in schema.TABLES if t != "sources"]
# The column holding each table's own figure (what a quote is quoted for).
FIGURE = {
    "compliance_rules": "threshold",
    "density_anchors": "value",
    "electricity": "twh",
    "hardware": "power_kw",
    "hardware_power": "power_kw",
    "maturity": "value",
    "power_distribution": "share_pct",
    "rack_density": "kw_per_rack",
    "stack": "power_share_pct",
    "throughput": "tokens_per_s",
}
VALUE_COLUMN = {
    "rack_density": "kw_per_rack",
    "density_anchors": "value",
    "power_distribution": "share_pct",
    "maturity": "value",
    "stack": "power_share_pct",
    "hardware": "power_kw",
    "electricity": "twh",
    "hardware_power": "power_kw",
    "throughput": "tokens_per_s",
}
TOLERANCE = 0.05  # each anchor within 5 %
TABLE_CELL = "Table cell"  # a note that starts so says the quote is one cell of a table, in its own text
READ_ON = re.compile(r"Read (\d{4}-\d{2}-\d{2})\.$")
# Words that say a quote was not read where the row says it was.
NOT_READ = re.compile(r"(?i)not (?:been )?re-?read|as recorded|pending|from memory|paraphras")
# Work history has no place in the data: sessions, issue numbers, files outside this repository.
WORK_HISTORY = re.compile(
    r"(?i)\b(?:an?|this|earlier|previous|next|later|another) (?:session|release)s?\b|\bsessions? of this project"
    r"|\bissues? #?\d+\b|\bshared/|public-figures\.csv|\bhelpers?\b|earlier work"
)
# Publishers whose pages may be listed in the ledger but never size a fleet or cap a model:
# community pages, blogs, resellers and deployment blogs.
WEAK_PUBLISHERS = {"Hugging Face", "supercluster.blog", "Manish KL", "Introl", "RunPod"}


def load(table: str) -> pd.DataFrame:
    path = DATA / "sources.csv" if table == "sources" else DATA / "reference" / f"{table}.csv"
    text = {} if table == "sources" else {c: "string" for c in schema.EVIDENCE_COLUMNS}
    return pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], dtype=text)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {t: load(t) for t in schema.TABLES}


@pytest.fixture(scope="module")
def models():
    spec = importlib.util.spec_from_file_location("build_models", DATA / "build_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- reported rows carry their evidence ---------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_every_reported_row_quotes_its_source(tables, table):
    rows = tables[table][tables[table]["status"] == "reported"]
    quote = rows["quote"].fillna("").str.strip()
    cell = rows["note"].fillna("").str.startswith(TABLE_CELL)
    # A sentence is at least a few words; a table cell may be a bare number, and its note says so.
    missing = rows[(quote.str.len() == 0) | ((quote.str.len() < 8) & ~cell)]
    assert missing.empty, f"{table}: reported rows without a quote:\n{missing.to_string()}"


@pytest.mark.parametrize("table", TABLES)
def test_every_reported_row_says_where_and_when_it_was_read(tables, table):
    rows = tables[table][tables[table]["status"] == "reported"]
    no_page = rows[~rows["seen_at"].fillna("").str.match(r"https?://")]
    assert no_page.empty, f"{table}: reported rows without seen_at:\n{no_page[['source_id', 'quote']]}"
    dates = rows["note"].fillna("").str.extract(READ_ON)[0]
    assert dates.notna().all(), f"{table}: reported rows without 'Read YYYY-MM-DD.':\n{rows[dates.isna()]['note']}"
    assert (dates <= "2026-12-31").all() and (dates >= "2026-01-01").all()


@pytest.mark.parametrize("table", TABLES)
def test_no_reported_row_says_it_was_not_read(tables, table):
    rows = tables[table][tables[table]["status"] == "reported"]
    text = rows["note"].fillna("") + " " + rows["quote"].fillna("")
    bad = rows[text.str.contains(NOT_READ)]
    assert bad.empty, f"{table}: reported rows whose own words say they were not read:\n{bad['note'].tolist()}"


@pytest.mark.parametrize("table", TABLES)
def test_a_quote_is_text_not_a_locator(tables, table):
    # A quote is the source's text as it stands: no stitched fragments ('...'), no locators for a table cell.
    quotes = tables[table]["quote"].dropna()
    stitched = quotes[quotes.str.contains(r"\.\.\.|…|Results Table, row", regex=True)]
    assert stitched.empty, f"{table}: quotes that are not the source's text: {stitched.tolist()}"


def test_one_copy_of_a_shared_quote(tables):
    # Two rows that quote one source for the same figure quote the same words (the figure is the row's own
    # value column, so a date or a paragraph number inside two different sentences is no shared figure).
    seen: dict[tuple[str, float], set[str]] = {}
    for table in TABLES:
        frame = tables[table]
        rows = frame[(frame["status"] == "reported") & frame["quote"].notna() & frame[FIGURE[table]].notna()]
        for src, figure, quote in zip(rows["source_id"], rows[FIGURE[table]], rows["quote"]):
            seen.setdefault((src, float(figure)), set()).add(quote)
    for (src, figure), quotes in seen.items():
        assert len(quotes) == 1, f"{src} quoted in {len(quotes)} wordings for {figure:g}: {sorted(quotes)}"


def test_data_holds_no_work_history():
    # The data describe the product and its sources, never how the work was organised.
    for path in sorted(p for p in DATA.rglob("*") if p.suffix in {".csv", ".md", ".py"}):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not WORK_HISTORY.search(line), f"{path.relative_to(REPO)}:{number}: {line.strip()[:120]}"


def test_sizing_and_caps_rest_on_vendor_or_oem_figures(tables):
    publisher = tables["sources"].set_index("source_id")["publisher"]
    ledger = tables["hardware_power"]
    sizing = ledger[ledger["sizing"].astype(str).str.lower() == "true"]
    weak = sizing[sizing["source_id"].map(publisher).isin(WEAK_PUBLISHERS)]
    # A weak carrier may only stand where nothing better was found, as unverified, and never for a system
    # (systems size fleets and cap the AI-factory model; an accelerator is sized by its platform).
    hardware = tables["hardware"].set_index("id")
    assert (weak["status"] == "unverified").all(), weak[["hardware_id", "basis", "source_id", "status"]]
    assert weak["hardware_id"].map(hardware["platform"]).notna().all(), weak["hardware_id"].tolist()
    systems = tables["hardware"][tables["hardware"]["kind"] == "system"]
    assert not systems["source_id"].map(publisher).isin(WEAK_PUBLISHERS).any()


@pytest.mark.parametrize("table", TABLES)
def test_unverified_rows_are_not_quoted_as_if_read(tables, table):
    rows = tables[table][tables[table]["status"] == "unverified"]
    assert rows["note"].fillna("").str.len().gt(10).all()


def test_firm_sources_are_read_at_the_publishers_own_address(tables):
    # firm = the publisher's own page was read; a summary or copy elsewhere is secondary.
    firm = tables["sources"][tables["sources"]["status"] == "firm"]
    own = {
        "Uptime Institute": "uptimeinstitute.com",
        "NVIDIA": "nvidia.com",
        "Google Cloud": "cloud.google.com",
        "MLCommons": "github",
        "Dell'Oro Group": "prnewswire.com",
        "Dell Technologies": "delltechnologies.com",
    }
    for row in firm.itertuples():
        assert row.publisher in own and own[row.publisher] in row.url, (row.source_id, row.url)


def test_evidence_table_puts_status_quote_and_link_first(tables):
    from factorycore import provenance

    rows = tables["rack_density"]
    rows = rows[(rows["segment"] == "industry_average") & (rows["statistic"] == "average")]
    table = provenance.evidence_table(rows, tables["sources"])
    assert list(table.columns[:3]) == ["status", "quote", "link"] and "seen_at" not in table
    by_source = table.set_index("source_id")
    assert by_source.loc["uptime_gdcs_2020", "link"].startswith("https://itone.lu/")
    assert by_source.loc["uptime_gdcs_2020", "quote"].startswith("The mean average density for 2020")
    # A modelled row has no web page to link to; its method is in data/README.md.
    assert by_source.loc["afd_model_density_bands", "link"].isna().all()
    el = tables["electricity"]
    iea = provenance.evidence_table(el[el["source_id"] == "iea_energy_ai_2025"], tables["sources"])
    assert iea.loc[iea["status"] == "reported", "link"].str.contains("business-standard").all()


# --- derived rows reproduce their value from the rows they name ----------------------------


def derived_rows(tables):
    for table in TABLES:
        frame = tables[table]
        for _, row in frame[frame["formula"].notna()].iterrows():
            yield table, row


@pytest.mark.parametrize("table", TABLES)
def test_every_derived_row_has_a_formula(tables, table):
    rows = tables[table][tables[table]["status"] == "derived"]
    assert rows["formula"].notna().all(), f"{table}: derived rows without a formula"


def test_every_formula_reproduces_its_row(tables):
    checked = 0
    for table, row in derived_rows(tables):
        quoted = table in evidence.QUOTED_INPUT_TABLES
        assert quoted or evidence.references(row["formula"]), row["formula"]
        value = evidence.evaluate(row["formula"], tables, quoted_inputs=quoted)
        # Values are stored rounded to 0.1.
        assert value == pytest.approx(row[VALUE_COLUMN[table]], abs=0.051), (table, row["formula"], value)
        checked += 1
    assert checked >= 40


def test_a_formula_catches_a_corrected_input():
    frame = pd.DataFrame(
        {
            "year": [2021, 2024, 2022],
            "segment": ["industry_average"] * 3,
            "statistic": ["average"] * 3,
            "kw_per_rack": [7.0, 12.0, 8.4],
            "source_id": ["a", "b", "b"],
        }
    )
    formula = (
        "rack_density[2021|industry_average|average|a].kw_per_rack * (rack_density[2024|industry_average|"
        "average|b].kw_per_rack / rack_density[2021|industry_average|average|a].kw_per_rack) ** (1 / 3)"
    )
    assert evidence.evaluate(formula, {"rack_density": frame}) == pytest.approx(7 * (12 / 7) ** (1 / 3))
    corrected = frame.assign(kw_per_rack=[8.2, 12.0, 8.4])
    assert evidence.evaluate(formula, {"rack_density": corrected}) != pytest.approx(8.4, abs=0.051)
    with pytest.raises(FormulaError, match="matches 0 rows"):
        evidence.evaluate("rack_density[2030|industry_average|average|a].kw_per_rack", {"rack_density": frame})
    with pytest.raises(FormulaError, match="not plain arithmetic"):
        evidence.evaluate(
            "__import__('os') + rack_density[2021|industry_average|average|a].kw_per_rack", {"rack_density": frame}
        )
    with pytest.raises(FormulaError, match="names no input"):
        evidence.evaluate("1 + 1", {"rack_density": frame})


# --- models reproduce their anchors ----------------------------------------------------------


def model_average(tables, segment: str, year: int) -> float:
    rd = tables["rack_density"]
    row = rd[
        (rd["segment"] == segment)
        & (rd["statistic"] == "average")
        & (rd["year"] == year)
        & (rd["source_id"] == "afd_model_density_bands")
    ]
    return float(row["kw_per_rack"].iloc[0])


def anchor(tables, measure: str, year: int) -> pd.Series:
    a = tables["density_anchors"]
    return a[(a["measure"] == measure) & (a["year"] == year)].iloc[0]


def within(model: float, target: float) -> bool:
    return abs(model - target) <= TOLERANCE * target


def test_industry_model_reproduces_uptime_means(tables):
    reported = tables["rack_density"]
    uptime_2020 = reported[(reported["source_id"] == "uptime_gdcs_2020")]["kw_per_rack"].iloc[0]
    assert within(model_average(tables, "industry_average", 2020), uptime_2020)
    # 'below 8-10 kW' is a bound, not a point to aim at: the model's 2024 mean is below its upper end.
    high = anchor(tables, "mean_rack_kw", 2024)["value_max"]
    assert model_average(tables, "industry_average", 2024) <= high


def test_the_dense_tail_does_not_shrink(tables, models):
    shares = [models.dense_share(year) for year in schema.REFERENCE_YEARS]
    assert all(a <= b + 1e-12 for a, b in itertools.pairwise(shares)), shares
    pdist = tables["power_distribution"]
    ind = pdist[(pdist["profile"] == "industry_average") & (pdist["band_min_kw"] >= 30)]
    above_30 = ind.groupby("year")["share_pct"].sum().sort_index().tolist()
    assert all(a <= b for a, b in itertools.pairwise(above_30)), above_30


def test_readme_states_parameters_against_anchors():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for model in ("industry_average", "hyperscale", "ai_factory", "enterprise", "colocation"):
        assert re.search(rf"\| {model} \| \d+ \| \d+ \|", text), f"no parameters/anchors row for {model}"


def test_site_shares_are_reproduced_as_shares_of_sites(tables, models):
    # The site-modal distribution (not the rack distribution) is checked against Uptime's site shares.
    def site_cdf(x: float, year: int) -> float:
        return models.N.cdf((math.log(x) - models.site_mu(year)) / models.SIGMA_SITE)

    assert within(100 * site_cdf(5, 2021), anchor(tables, "sites_modal_below_5kw", 2021)["value"])
    assert within(
        100 * (site_cdf(10, 2021) - site_cdf(5, 2021)), anchor(tables, "sites_modal_5_to_10kw", 2021)["value"]
    )
    assert within(100 * (1 - site_cdf(10, 2025)), anchor(tables, "sites_modal_above_10kw", 2025)["value"])

    def dense_tail(x: float) -> float:
        return 1 - models.N.cdf((math.log(x) - models.MU_DENSE) / models.SIGMA_DENSE)

    q = models.DENSE_SITE_SHARE_2018
    assert within(100 * q * dense_tail(30), anchor(tables, "sites_densest_rack_ge_30kw", 2018)["value"])
    assert within(100 * q * dense_tail(50), anchor(tables, "sites_densest_rack_gt_50kw", 2018)["value"])


def test_industry_racks_have_a_tail_consistent_with_the_site_shares(tables):
    pdist = tables["power_distribution"]
    ind = pdist[pdist["profile"] == "industry_average"]
    site_share_30 = anchor(tables, "sites_densest_rack_ge_30kw", 2018)["value"]
    for year, grp in ind.groupby("year"):
        above_30 = grp.loc[grp["band_min_kw"] >= 30, "share_pct"].sum()
        above_50 = grp.loc[grp["band_min_kw"] >= 50, "share_pct"].sum()
        # Some racks above 50 kW every year, and fewer racks above 30 kW than sites with such a rack.
        assert above_50 > 0, year
        assert 0 < above_30 < site_share_30, year


def test_hyperscale_follows_jll_idc(tables, models):
    assert within(model_average(tables, "hyperscale", 2023), anchor(tables, "hyperscale_mean_rack_kw", 2023)["value"])
    assert within(models.hyperscale_mean(2027), anchor(tables, "hyperscale_mean_rack_kw", 2027)["value"])


def test_ai_factory_reproduces_the_gb200_rack(tables, models):
    typical = anchor(tables, "nvl72_rack_kw_typical", 2025)["value"]
    assert models.AI_FACTORY_MIX[2025] == ("gb200_nvl72",)
    assert within(model_average(tables, "ai_factory", 2025), typical)


def test_ai_factory_2024_is_the_racks_shipping_that_year(tables, models):
    # NVL72 racks shipped from December 2024: the 2024 segment is HGX/DGX H100/H200 and B200 racks.
    mix = models.AI_FACTORY_MIX[2024]
    assert len(mix) >= 2 and not any("nvl72" in platform for platform in mix), mix
    pdist = tables["power_distribution"]
    ai_2024 = pdist[(pdist["profile"] == "ai_factory") & (pdist["year"] == 2024) & (pdist["band_min_kw"] >= 100)]
    assert ai_2024["share_pct"].sum() == 0


def densest_shipping_rack(hardware: pd.DataFrame, year: int) -> float:
    # A cap is a published rack of a shipping system: announced and modelled systems are excluded.
    systems = hardware[
        (hardware["kind"] == "system")
        & (hardware["year"] <= year)
        & (hardware["availability"] == "shipping")
        & (hardware["status"] != "modelled")
        & ~hardware["note"].fillna("").str.contains("announced", case=False)
    ]
    return float(systems["default_rack_kw"].max())


def test_no_ai_percentile_above_the_densest_rack_shipping(tables):
    rd, hw, pdist = tables["rack_density"], tables["hardware"], tables["power_distribution"]
    for year in schema.REFERENCE_YEARS:
        cap = densest_shipping_rack(hw, year)
        ai = rd[(rd["segment"] == "ai_factory") & (rd["year"] == year)]
        assert (ai["kw_per_rack"] <= cap).all(), (year, cap, ai["kw_per_rack"].tolist())
        bands = pdist[(pdist["profile"] == "ai_factory") & (pdist["year"] == year) & (pdist["band_min_kw"] >= cap)]
        assert bands["share_pct"].sum() == 0, (year, cap)
        for segment in ("industry_average", "enterprise", "colocation"):
            high = rd[(rd["segment"] == segment) & (rd["year"] == year) & (rd["statistic"] == "high")]
            assert (high["kw_per_rack"] <= cap).all(), (segment, year)


def test_band_shares_say_whose(tables):
    assert tables["power_distribution"]["note"].str.contains("Share of racks").all()
    anchors = tables["density_anchors"]
    assert set(anchors["basis"]) <= {"sites", "racks", "respondents' racks"}
    assert (anchors.loc[anchors["unit"] == "% of sites", "basis"] == "sites").all()


# --- one copy of every figure -----------------------------------------------------------------


def test_engine_scenario_multipliers_follow_the_electricity_table(tables):
    el = tables["electricity"]
    base = growth.scenario_multipliers(el)
    assert base["base"] == 1.0 and base["conservative"] < 1 < base["aggressive"]
    changed = el.copy()
    mask = (changed["scenario"] == "lift_off") & (changed["year"] == 2030)
    changed.loc[mask, "twh"] = 2000.0
    follows = growth.scenario_multipliers(changed)
    expected = ((2000 / 415) ** (1 / 6) - 1) / ((945 / 415) ** (1 / 6) - 1)
    assert follows["aggressive"] == pytest.approx(expected)
    assert follows["aggressive"] != pytest.approx(base["aggressive"])


def test_planner_default_growth_is_the_tables_iea_base_case(tables):
    assert planner.DEFAULT_GROWTH == round(growth.iea_case_cagrs(tables["electricity"])["base"], 2)


def test_bands_years_and_profiles_have_one_copy(tables, models):
    from factorycore.charts import power_distribution
    from factorycore.userdata import aggregate

    assert models.DENSITY_BANDS is schema.DENSITY_BANDS and models.YEARS == list(schema.REFERENCE_YEARS)
    assert [b[0] for b in aggregate.DEFAULT_BANDS] == [b[0] for b in schema.DENSITY_BANDS]
    assert power_distribution.PROFILE_ORDER == schema.DENSITY_PROFILES
    assert sorted(tables["power_distribution"]["profile"].unique()) == sorted(schema.DENSITY_PROFILES)


def test_generator_follows_a_changed_anchor(models, monkeypatch):
    # Change the Uptime 2020 mean the generator reads; the fitted industry mean follows it.
    before = models.industry_dist(2020).mean_kw
    changed = [
        (y, 9.4 if src == "uptime_gdcs_2020" else kw, src, *rest) for y, kw, src, *rest in models.SURVEY_AVERAGES
    ]
    monkeypatch.setattr(models, "SURVEY_AVERAGES", changed)
    assert before == pytest.approx(8.4, abs=1e-6)
    assert models.industry_dist(2020).mean_kw == pytest.approx(9.4, abs=1e-6)
