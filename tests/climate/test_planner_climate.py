"""The planner at a site: the hourly plant replaces the typed PUE, the electrical plant is sized on the design hour."""

from __future__ import annotations

import json

import pytest

from factorycore import climate, hardware, planner
from factorycore import weather as wx
from factorycore.cli import main


@pytest.fixture(scope="module")
def catalog(ref_con):
    return hardware.load_catalog(ref_con)


def _cli(capsys, argv: list[str]) -> dict:
    capsys.readouterr()
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("site", ["greensboro_nc", "miami_fl"])
def test_a_site_replaces_the_derived_pue_and_sizes_the_feed_on_the_design_hour(catalog, site):
    derived = planner.plan(planner.PlanInputs(), catalog)
    at_site = planner.plan(planner.PlanInputs(site=site), catalog)
    c = at_site.climate
    assert c is not None and c.architecture == "hybrid" and c.station == site
    assert at_site.pue == pytest.approx(c.annual_pue) and at_site.pue != derived.pue
    assert at_site.power.facility_kw == pytest.approx(at_site.fleet.it_kw * c.annual_pue)
    # the utility feed and the generators carry the design hour, not the annual average
    assert at_site.electrical.facility_kw == pytest.approx(at_site.fleet.it_kw * c.design_pue)
    assert at_site.electrical.facility_kw > at_site.power.facility_kw
    assert "hourly plant model" in at_site.pue_basis


def test_a_typed_pue_still_wins_and_says_so(catalog):
    result = planner.plan(planner.PlanInputs(site="miami_fl", pue=1.3), catalog)
    assert result.climate is None and result.pue == 1.3 and result.pue_basis == "entered by the user"


def test_tower_water_reaches_the_plans_water(catalog):
    result = planner.plan(planner.PlanInputs(site="miami_fl", architecture="chilled-water-tower"), catalog)
    assert result.wue_l_per_kwh == pytest.approx(result.climate.wue_l_per_kwh) and result.wue_l_per_kwh > 1.0
    assert result.power.annual_water_m3 == pytest.approx(result.power.annual_it_mwh * result.wue_l_per_kwh)


def test_cli_prints_exactly_the_site_plans_numbers(catalog, capsys):
    result = planner.plan(planner.PlanInputs(site="greensboro_nc", architecture="chilled-water-tower"), catalog)
    printed = {cmd[0]: _cli(capsys, cmd) for cmd in result.cli_commands()}
    assert printed["power"] == result.power.as_dict()
    assert printed["electrical"] == result.electrical.as_dict()
    assert printed["runway"] == result.runway.as_dict()


def test_site_and_architecture_travel_in_links_and_bad_ones_fall_back(catalog):
    inputs = planner.PlanInputs(site="miami_fl", architecture="dlc-trim-chiller")
    assert planner.from_query_params(planner.to_query_params(inputs), catalog) == (inputs, [])
    back, messages = planner.from_query_params({"site": "/etc/passwd", "arch": "magic"}, catalog)
    assert back.site is None and back.architecture is None and len(messages) == 2


def test_an_uploaded_weather_plans_like_a_station(catalog):
    weather = wx.load_station("sand_point_ak")
    result = planner.plan(planner.PlanInputs(), catalog, weather=weather)
    assert result.climate.station == "sand_point_ak"
    assert result.pue == pytest.approx(climate.evaluate(weather, "hybrid", result.fleet.it_kw, "W32", 0.8).annual_pue)
    assert any(label == "Site" for label, _ in planner.plant_table(result))


def test_a_dry_cooler_that_cannot_hold_its_class_is_a_warning(catalog):
    hot = planner.plan(planner.PlanInputs(site="miami_fl", architecture="dlc-dry-cooler"), catalog)
    assert hot.climate.exceedance_hours > 0 and any("cannot hold W32" in w for w in hot.warnings)
    warm = planner.plan(
        planner.PlanInputs(site="miami_fl", architecture="dlc-dry-cooler", facility_class="W45"), catalog
    )
    assert warm.climate.exceedance_hours == 0 and not any("cannot hold" in w for w in warm.warnings)


def test_a_partial_year_of_weather_is_a_warning(catalog):
    import pandas as pd

    ts = pd.date_range("2025-07-01", periods=24 * 20, freq="h")
    summer = wx.from_frame(pd.DataFrame({"ts": ts, "temp_c": 28.0, "rh": 60.0}))
    result = planner.plan(planner.PlanInputs(), catalog, weather=summer)
    assert any("covers 480 h in 1 month(s)" in w for w in result.warnings)
    whole = planner.plan(planner.PlanInputs(site="miami_fl"), catalog)
    assert not any("not a whole year" in w for w in whole.warnings)


def test_the_comparison_runs_the_hybrid_at_the_platforms_share_whatever_the_plans_plant(catalog):
    from factorycore.views.climate import comparison_view

    result = planner.plan(planner.PlanInputs(site="miami_fl", architecture="chilled-water-tower"), catalog)
    rows = comparison_view(result.climate).rows.set_index("architecture")
    hybrid = climate.evaluate(wx.load_station("miami_fl"), "hybrid", result.climate.it_kw, "W32", 0.8)
    assert rows.loc["hybrid", "annual_pue"] == pytest.approx(hybrid.annual_pue)
    assert rows.loc["hybrid", "annual_pue"] < rows.loc["air-cooled-chiller", "annual_pue"]
