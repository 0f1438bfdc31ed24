"""Growth: compound load, exhaustion year (strictly greater), density fits and scenarios."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorycore import growth


def test_worked_example():
    # 10 MW at 20 %: 10, 12, 14.4, 17.28, 20.736 -> 2030 is the first year above 20 MW.
    result = growth.load_growth(10, 20, 0.2, 2026, 2035)
    loads = [p.load_mw for p in result.trajectory]
    assert [p.year for p in result.trajectory] == list(range(2026, 2036))
    assert loads[:5] == pytest.approx([10, 12, 14.4, 17.28, 20.736], rel=1e-12)
    assert result.capacity_exhausted_year == 2030


def test_reaching_capacity_exactly_is_not_exhausting_it():
    # 10 -> 20 -> 40 MW: 2027 equals the 20 MW capacity, 2028 exceeds it.
    assert growth.load_growth(10, 20, 1.0).capacity_exhausted_year == 2028


def test_never_within_horizon_is_none():
    result = growth.load_growth(10, 20, 0.05, 2026, 2030)
    assert result.capacity_exhausted_year is None
    assert result.as_dict()["capacity_exhausted_year"] is None


def test_already_over_capacity_is_the_start_year():
    assert growth.load_growth(30, 20, -0.1).capacity_exhausted_year == 2026


def test_single_year_horizon_and_keys():
    data = growth.load_growth(5, 10, 0.3, 2030, 2030).as_dict()
    assert list(data) == ["trajectory", "capacity_exhausted_year"]
    assert data["trajectory"] == [{"year": 2030, "load_mw": 5.0}]


@pytest.mark.parametrize(
    "args, fragment",
    [
        ((-1, 10, 0.1), "negative"),
        ((1, 0, 0.1), "capacity"),
        ((1, 10, -1.0), "above -1"),
        ((1, 10, math.nan), "growth"),
        ((1, 10, 0.1, 2030, 2029), "before start year"),
        ((10, 20, 1e300), "overflows"),  # (1 + g) ** n raises OverflowError
        ((1e308, 1e308, 1.0), "overflows"),  # load x factor is inf
    ],
)
def test_bad_inputs(args, fragment):
    with pytest.raises(ValueError, match=fragment):
        growth.load_growth(*args)


@given(
    load=st.floats(0, 1e4),
    capacity=st.floats(1e-3, 1e4),
    rate=st.floats(0, 2),
    start=st.integers(2000, 2050),
    span=st.integers(0, 30),
)
def test_exhaustion_year_is_the_first_year_above_capacity(load, capacity, rate, start, span):
    result = growth.load_growth(load, capacity, rate, start, start + span)
    loads = [p.load_mw for p in result.trajectory]
    assert all(b >= a for a, b in zip(loads, loads[1:]))  # non-negative growth never shrinks load
    year = result.capacity_exhausted_year
    if year is None:
        assert all(x <= capacity for x in loads)
    else:
        i = year - start
        assert loads[i] > capacity and all(x <= capacity for x in loads[:i])


def density_frame(cagr: float = 0.2, start_kw: float = 10.0) -> pd.DataFrame:
    rows = []
    for year in range(2020, 2027):
        exact = start_kw * (1 + cagr) ** (year - 2020)
        # Two sources per year, symmetric around the exact value: their mean is exact.
        rows += [(year, "seg", "average", exact * 0.9, "a"), (year, "seg", "average", exact * 1.1, "b")]
        rows.append((year, "seg", "high", exact * 3, "a"))
        rows.append((year, "flat", "average", 5.0, "a"))
    rows.append((2019, "seg", "average", 1000.0, "old"))  # outside 2020-2026: ignored
    return pd.DataFrame(rows, columns=["year", "segment", "statistic", "kw_per_rack", "source_id"])


def test_fit_recovers_exact_exponential():
    trend = growth.fit_density_trend(density_frame(0.2, 10.0), "seg")
    assert trend.cagr == pytest.approx(0.2, rel=1e-9)
    assert trend.value(2020) == pytest.approx(10.0, rel=1e-9)
    assert trend.value(2026) == pytest.approx(10.0 * 1.2**6, rel=1e-9)
    assert trend.fitted["observed_kw"].to_numpy() == pytest.approx(trend.fitted["fitted_kw"].to_numpy(), rel=1e-9)
    assert len(trend.fitted) == 7


def test_fit_flat_segment_has_zero_cagr():
    assert growth.fit_density_trend(density_frame(), "flat").cagr == pytest.approx(0.0, abs=1e-12)


def test_fit_needs_two_years():
    with pytest.raises(ValueError, match="a trend needs 2"):
        growth.fit_density_trend(density_frame(), "missing")


def test_density_trends_table():
    table = growth.density_trends(density_frame(0.1, 8.0)).set_index("segment")
    assert table.loc["seg", "cagr"] == pytest.approx(0.1, rel=1e-9)
    assert table.loc["seg", "fitted_last_kw"] == pytest.approx(8.0 * 1.1**6, rel=1e-9)


def iea_frame(start: float, headwinds: float, base: float, lift_off: float) -> pd.DataFrame:
    rows = [
        (2024, "historical", start, "iea_energy_ai_2025"),
        (2030, "base", base, "iea_energy_ai_2025"),
        (2030, "headwinds", headwinds, "iea_energy_ai_2025_cases"),
        (2030, "lift_off", lift_off, "iea_energy_ai_2025_cases"),
        (2030, "base_2026_update", 950.0, "iea_key_questions_2026"),
    ]
    return pd.DataFrame(
        [{"year": y, "region": "global", "scenario": s, "twh": v, "source_id": src} for y, s, v, src in rows]
    )


def test_scenario_multipliers_derived_from_iea():
    # Hand-computed: 415 TWh (2024) -> 669 / 945 / 1264 TWh (2030).
    frame = iea_frame(415, 669, 945, 1264)
    cagr = growth.iea_case_cagrs(frame)
    assert cagr["base"] == pytest.approx((945 / 415) ** (1 / 6) - 1)
    assert cagr["base"] == pytest.approx(0.1470, abs=1e-4)
    multipliers = growth.scenario_multipliers(frame)
    assert multipliers["base"] == 1.0
    assert multipliers["conservative"] == pytest.approx(0.563, abs=1e-3)
    assert multipliers["aggressive"] == pytest.approx(1.387, abs=1e-3)


def test_scenario_multipliers_need_the_iea_rows():
    frame = iea_frame(415, 669, 945, 1264)
    with pytest.raises(ValueError, match="lift_off"):
        growth.scenario_multipliers(frame[frame["scenario"] != "lift_off"])


def test_density_scenarios():
    multipliers = growth.scenario_multipliers(iea_frame(415, 669, 945, 1264))
    frame = growth.density_scenarios(density_frame(0.2, 10.0), multipliers)
    seg = frame[frame["segment"] == "seg"]
    assert sorted(seg["scenario"].unique()) == ["aggressive", "base", "conservative"]
    assert sorted(seg["year"].unique()) == list(range(2026, 2031))
    start = 10.0 * 1.2**6
    base = seg[seg["scenario"] == "base"].set_index("year")["kw_per_rack"]
    assert base[2026] == pytest.approx(start, rel=1e-9)
    assert base[2030] == pytest.approx(start * 1.2**4, rel=1e-9)
    by_2030 = seg[seg["year"] == 2030].set_index("scenario")["kw_per_rack"]
    assert by_2030["conservative"] < by_2030["base"] < by_2030["aggressive"]


def test_real_reference_density(ref_con):
    from factorycore import reference

    table = growth.density_trends(reference.rack_density(ref_con)).set_index("segment")
    assert {"ai_factory", "enterprise", "hyperscale"} <= set(table.index)
    assert (table["cagr"] > 0).all()  # every segment's density rose 2020-2026
    assert table.loc["ai_factory", "cagr"] > table.loc["enterprise", "cagr"]
