"""Physics of the hourly plant: bounds, monotonicity in weather, water, and the W-class ladder."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorycore import climate, cooling_plant
from factorycore import weather as wx

STATIONS = ("greensboro_nc", "miami_fl", "sand_point_ak")
ARCHITECTURES = tuple(cooling_plant.ARCHITECTURES)


@pytest.mark.parametrize("station", STATIONS)
@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_pue_at_least_one_and_design_at_least_annual(station: str, architecture: str):
    r = climate.evaluate(wx.load_station(station), architecture, 2000.0, by_class=False)
    assert (r.plant.pue >= 1.0).all()
    assert 1.0 < r.annual_pue <= r.design_pue + 1e-12 <= r.worst_hour_pue + 2e-12
    assert r.design_facility_kw >= r.it_kw * r.annual_pue * (1 - 1e-12)
    assert all(v is not None and v >= 1.0 for v in r.monthly_pue)
    # energy-weighted annual PUE: total facility energy over total IT energy
    assert r.annual_pue == pytest.approx(r.plant.facility_kw.sum() / (2000.0 * 8760))


@pytest.mark.parametrize("station", STATIONS)
@pytest.mark.parametrize("architecture", ["air-cooled-chiller", "dlc-trim-chiller", "dlc-dry-cooler", "hybrid"])
def test_dry_plants_evaporate_no_water(station: str, architecture: str):
    r = climate.evaluate(wx.load_station(station), architecture, by_class=False)
    assert r.wue_l_per_kwh == 0.0 and r.plant.water_l.sum() == 0.0


def test_tower_water_follows_cycles_of_concentration():
    w = wx.load_station("greensboro_nc")
    cycles = cooling_plant.with_overrides
    low = climate.evaluate(w, "chilled-water-tower", assumptions=cycles(cycles_of_concentration=3))
    high = climate.evaluate(w, "chilled-water-tower", assumptions=cycles(cycles_of_concentration=8))
    evaporation = low.plant.evaporation_l.sum()
    assert evaporation == pytest.approx(high.plant.evaporation_l.sum())
    # blowdown = E / (C - 1): 3 cycles lose E/2, 8 cycles E/7, on top of a little drift
    assert low.plant.water_l.sum() - high.plant.water_l.sum() == pytest.approx(evaporation * (1 / 2 - 1 / 7))
    assert 1.0 < high.wue_l_per_kwh < low.wue_l_per_kwh < 3.0


@pytest.mark.parametrize("station", STATIONS)
def test_chiller_free_hours_rise_with_the_w_class(station: str):
    hours = climate.class_free_hours(wx.load_station(station))
    ladder = [hours[c] for c in ("W17", "W27", "W32", "W40", "W45")]
    assert ladder == sorted(ladder)
    assert ladder[-1] <= 8760


def test_the_w_class_hours_the_feature_was_asked_for():
    """A W32 loop: ~6,500 chiller-free hours in Greensboro, ~2,000 in Miami; W40/W45 near the whole year."""
    gso = climate.class_free_hours(wx.load_station("greensboro_nc"))
    mia = climate.class_free_hours(wx.load_station("miami_fl"))
    assert 6000 <= gso["W32"] <= 7000 and 1500 <= mia["W32"] <= 2500
    assert min(gso["W40"], gso["W45"], mia["W40"], mia["W45"]) >= 8000


def test_a_weather_without_humidity_refuses_wet_bulb_plants_but_runs_dry_ones():
    import pandas as pd

    ts = pd.date_range("2024-01-01", periods=8760, freq="h")
    w = wx.from_frame(pd.DataFrame({"ts": ts, "outdoor_temp_c": 20 + 10 * np.sin(np.arange(8760) / 1400)}))
    with pytest.raises(ValueError, match="no humidity"):
        cooling_plant.simulate(w, "chilled-water-tower")
    assert climate.evaluate(w, "dlc-dry-cooler").annual_pue > 1.0


@settings(max_examples=40, deadline=None)
@given(
    station=st.sampled_from(STATIONS),
    architecture=st.sampled_from(ARCHITECTURES),
    w_class=st.sampled_from(("W27", "W32", "W40")),
    warmer_k=st.floats(0.0, 8.0),
    wetter=st.floats(1.0, 1.5),
)
def test_a_hotter_or_more_humid_year_never_lowers_the_pue(station, architecture, w_class, warmer_k, wetter):
    base = wx.load_station(station)
    hot = base.shifted(warmer_k, wetter)
    a = cooling_plant.simulate(base, architecture, 1000.0, w_class)
    b = cooling_plant.simulate(hot, architecture, 1000.0, w_class)
    assert (b.facility_kw >= a.facility_kw - 1e-9).all()
    if architecture != "air-economiser":  # a humid hour shuts the outdoor air, and its evaporative stage with it
        assert b.water_l.sum() >= a.water_l.sum() - 1e-6


@settings(max_examples=30, deadline=None)
@given(
    t=st.floats(-30.0, 45.0),
    rh=st.floats(5.0, 100.0),
    dt=st.floats(0.0, 10.0),
    architecture=st.sampled_from(ARCHITECTURES),
)
def test_hour_by_hour_monotonic_in_dry_bulb(t, rh, dt, architecture):
    import pandas as pd

    ts = pd.date_range("2024-07-01", periods=24, freq="h")
    cool = wx.from_frame(pd.DataFrame({"ts": ts, "temp_c": t, "rh": rh}))
    warm = cool.shifted(dt)
    a = cooling_plant.simulate(cool, architecture).facility_kw
    b = cooling_plant.simulate(warm, architecture).facility_kw
    assert (b >= a - 1e-9).all()


def test_an_assumption_outside_its_range_is_refused():
    with pytest.raises(ValueError, match="ups_efficiency"):
        cooling_plant.with_overrides(ups_efficiency=1.2)
    with pytest.raises(ValueError, match="unknown plant assumption"):
        cooling_plant.with_overrides(magic=1.0)


def test_every_assumption_has_a_range_and_a_basis():
    fields = set(cooling_plant.PlantAssumptions().as_dict())
    assert fields == set(cooling_plant.ASSUMPTIONS)
    for name, spec in cooling_plant.ASSUMPTIONS.items():
        default = getattr(cooling_plant.PlantAssumptions(), name)
        assert spec.low <= default <= spec.high and spec.basis, name


def test_design_conditions_follow_the_ashrae_definitions():
    w = wx.load_station("greensboro_nc")
    d = climate.design_conditions(w)
    assert (w.dry_bulb_c > d.dry_bulb_c).sum() <= 0.004 * 8760 + 1
    assert d.coincident_wet_bulb_c < d.wet_bulb_c < d.dry_bulb_c
