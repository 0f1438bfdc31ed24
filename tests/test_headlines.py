"""The overview's headline figures: computed from the data, each with its unit, source and status."""

from __future__ import annotations

import pandas as pd
import pytest

from factorycore import headlines, reference
from factorycore.headlines import Headline, HeadlineUnavailable


@pytest.fixture(scope="module")
def figures(ref_con) -> dict[str, Headline]:
    return {h.key: h for h in headlines.headlines(ref_con)}


def test_every_headline_is_sourced(ref_con, figures):
    known = set(reference.sources(ref_con)["source_id"])
    assert len(figures) >= 6
    for figure in figures.values():
        assert figure.unit and figure.label and figure.chart_id
        assert figure.status in ("reported", "derived", "modelled") and figure.panel
        cited = [s.strip() for s in figure.source_id.split(";")]
        assert cited and set(cited) <= known, figure


def test_then_and_now_pairs_each_come_from_one_panel(figures):
    # AFCOM's pair: both reported, both AFCOM; Uptime's 'now' is the Uptime-anchored model.
    start, end = figures["density_start"], figures["density_end"]
    assert start.source_id.startswith("afcom_") and end.source_id.startswith("afcom_")
    assert start.status == end.status == "reported" and start.panel == end.panel
    assert (start.year, start.value, end.year, end.value) == (2021, 7.0, 2026, 27.0)
    assert start.quote and end.quote
    uptime, model = figures["uptime_start"], figures["uptime_end"]
    assert uptime.source_id.startswith("uptime_") and uptime.status == "reported" and uptime.value == 8.4
    assert model.status == "modelled" and "Uptime" in model.panel
    # No headline pairs one panel's start with another's end.
    assert "AFCOM" in start.panel and "Uptime" in uptime.panel


def test_a_splice_across_panels_cannot_happen():
    density = pd.DataFrame(
        {
            "year": [2020, 2026],
            "segment": ["industry_average"] * 2,
            "statistic": ["average"] * 2,
            "kw_per_rack": [8.4, 27.0],
            "source_id": ["uptime_gdcs_2020", "afcom_sotdc_2026"],
            "status": ["reported"] * 2,
            "note": ["", ""],
        }
    )
    first, last = headlines.panel_pair(density, "afcom")
    assert first["kw_per_rack"] == last["kw_per_rack"] == 27.0


def test_ai_versus_traditional_rack(ref_con, figures):
    ai, traditional, ratio = figures["ai_rack"], figures["traditional_rack"], figures["ai_vs_traditional"]
    assert ai.value > 50 > traditional.value
    # One method for both sides of the comparison.
    assert ai.source_id == traditional.source_id == headlines.MODEL_SOURCE and ai.panel == traditional.panel
    assert ratio.value == pytest.approx(ai.value / traditional.value)
    assert ratio.unit == "x" and ratio.formatted().startswith("×")
    # The ratio is no better than its weakest input, and never 'reported'.
    ranks = headlines.STATUS_RANK
    assert ranks[ratio.status] >= max(ranks[ai.status], ranks[traditional.status], ranks["derived"])
    assert ai.source_id in ratio.source_id and traditional.source_id in ratio.source_id


def test_share_below_10kw_sums_the_low_bands(ref_con, figures):
    dist = reference.power_distribution(ref_con, year=2026)
    low = dist[(dist["profile"] == "industry_average") & (dist["band"].isin(["<5 kW", "5-10 kW"]))]
    figure = figures["share_below_10kw"]
    assert figure.value == pytest.approx(low["share_pct"].sum())
    assert figure.unit == "%" and figure.year == 2026
    assert figure.status == ("modelled" if (low["status"] == "modelled").any() else "derived")


def test_electricity_headlines(ref_con, figures):
    elec = reference.electricity(ref_con)
    us = figures["us_electricity"]
    hist = elec[(elec["region"] == "us") & (elec["scenario"] == "historical")]
    assert us.year == int(hist["year"].max()) and us.unit == "TWh"
    world = figures["global_electricity"]
    assert world.year == 2030 and world.value > us.value


def test_best_row_prefers_reported_then_derived():
    rows = pd.DataFrame(
        {
            "status": ["modelled", "derived", "reported", "reported"],
            "source_id": ["m", "d", "z", "a"],
            "value": [1, 2, 3, 4],
        }
    )
    assert headlines.best_row(rows)["value"] == 4
    assert headlines.best_row(rows.iloc[:2])["value"] == 2
    with pytest.raises(HeadlineUnavailable):
        headlines.best_row(rows.iloc[0:0])


def test_missing_rows_raise_a_clear_error():
    density = pd.DataFrame(
        {
            "year": [2020, 2026],
            "segment": ["industry_average"] * 2,
            "statistic": ["average"] * 2,
            "kw_per_rack": [8.0, 12.0],
            "source_id": ["s", "s"],
            "status": ["reported"] * 2,
            "note": ["", ""],
        }
    )
    with pytest.raises(HeadlineUnavailable, match="AFCOM"):
        headlines.density_headlines(density)
    afcom = density.assign(source_id=["afcom_sotdc_2021", "uptime_gdcs_2020"])
    with pytest.raises(HeadlineUnavailable, match="modelled average for industry_average"):
        headlines.density_headlines(afcom)


def test_formatting():
    def make(value: float, unit: str) -> Headline:
        return Headline("k", "label", value, unit, "s", "reported", 2026, "", "rack_density")

    assert make(27.0, "kW/rack").formatted() == "27 kW/rack"
    assert make(8.4, "kW/rack").formatted() == "8.4 kW/rack"
    assert make(71.74, "%").formatted() == "71.7%"
    assert make(945.0, "TWh").formatted() == "945 TWh"
    assert make(17.75, "x").formatted() == "×17.8"
