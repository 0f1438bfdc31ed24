"""The runway Monte Carlo: zero spread is ``growth``, a seed fixes the answer, P10 <= P50 <= P90."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorycore.growth import load_growth
from factorycore.runway import percentile_year, runway
from tests.test_cli_engine import run_error, run_json


@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(0.1, 50),
    capacity=st.floats(0.5, 200),
    growth=st.floats(-0.3, 0.8),
    start=st.integers(2020, 2030),
    span=st.integers(0, 20),
)
def test_zero_spread_reproduces_growth_exactly(load, capacity, growth, start, span):
    expected = load_growth(load, capacity, growth, start, start + span)
    result = runway(load, capacity, growth, 0.0, runs=7, seed=3, start_year=start, end_year=start + span)
    year = expected.capacity_exhausted_year
    assert (result.p10_year, result.p50_year, result.p90_year) == (year, year, year)
    assert result.constraints[0].p50_year == year
    assert list(result.fan_mw["p50_mw"]) == [p.load_mw for p in expected.trajectory]  # to the last digit


def test_hand_computed_case():
    # 2.5 MW at 15 %/yr against 5 MW: 2.5 x 1.15^5 = 5.03 > 5 in 2031 (4.37 in 2030).
    result = runway(2.5, 5.0, 0.15, 0.0, runs=10)
    assert result.p50_year == 2031 and result.binding == "utility"


def test_it_constraints_carry_the_it_load():
    # Facility 2.8 MW at PUE 1.4 is 2.0 MW of IT; a 2.1 MW UPS runs out when IT > 2.1: 2 x 1.1^1 = 2.2 in 2027.
    result = runway(2.8, 100.0, 0.10, constraints={"ups": 2.1}, pue=1.4, runs=5)
    ups = result.constraints[1]
    assert ups.name == "ups" and ups.p50_year == 2027
    assert result.binding == "ups" and result.p50_year == 2027 and ups.binding_share == 1.0


def test_floor_capacity_grows_with_rack_density():
    # IT 1 MW growing 10 %; floor of 1.05 MW: fixed density runs out in 2027 (1.1 MW),
    # at +10 %/yr density the floor grows as fast as the load and never runs out.
    fixed = runway(1.4, 100, 0.10, constraints={"floor": 1.05}, pue=1.4, runs=3)
    denser = runway(1.4, 100, 0.10, constraints={"floor": 1.05}, pue=1.4, density_growth=0.10, runs=3)
    assert fixed.constraints[1].p50_year == 2027
    assert denser.constraints[1].p50_year is None and denser.binding is None


def test_same_seed_same_answer_and_other_seed_other_draws():
    kwargs = dict(
        growth_sd=0.08,
        pue_sd=0.05,
        utilization=0.8,
        utilization_sd=0.1,
        constraints={"ups": 4.0, "floor": 4.5},
        density_growth=0.03,
        density_sd=0.02,
        runs=2000,
    )
    first = runway(3.0, 8.0, 0.15, seed=42, **kwargs)
    assert runway(3.0, 8.0, 0.15, seed=42, **kwargs) == first
    assert runway(3.0, 8.0, 0.15, seed=43, **kwargs).fan_mw != first.fan_mw


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), sd=st.floats(0.0, 0.3), growth=st.floats(0.0, 0.5))
def test_percentiles_are_ordered(seed, sd, growth):
    result = runway(
        2.0,
        6.0,
        growth,
        sd,
        constraints={"ups": 3.5, "floor": 4.0},
        pue_sd=0.1,
        density_growth=0.02,
        density_sd=0.05,
        runs=500,
        seed=seed,
        end_year=2040,
    )
    for item in (result, *result.constraints):
        years = [y if y is not None else math.inf for y in (item.p10_year, item.p50_year, item.p90_year)]
        assert years == sorted(years)
    fan = result.fan_mw
    assert all(a <= b <= c for a, b, c in zip(fan["p10_mw"], fan["p50_mw"], fan["p90_mw"]))
    # the site runs out no later than any one constraint
    for q in ("p10_year", "p50_year", "p90_year"):
        site = getattr(result, q)
        for item in result.constraints:
            if getattr(item, q) is not None:
                assert site is not None and site <= getattr(item, q)


def test_percentile_year_definition():
    years = np.array([2027, 2028, 2029, 2030, np.inf, np.inf, np.inf, np.inf, np.inf, np.inf])
    assert percentile_year(years, 0.10) == 2027  # 1 run in 10 has run out by 2027
    assert percentile_year(years, 0.40) == 2030
    assert percentile_year(years, 0.50) is None  # half the runs never run out within the horizon


def test_spread_widens_the_years():
    result = runway(2.5, 5.0, 0.15, 0.10, runs=10_000, seed=7, end_year=2045)
    assert result.p10_year < 2031 < result.p90_year


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"constraints": {"power": 3}}, "unknown constraint"),
        ({"constraints": {"utility": 3}}, "unknown constraint"),
        ({"growth_sd": -0.1}, "growth spread"),
        ({"runs": 0}, "runs"),
        ({"utilization": 0}, "utilisation"),
    ],
)
def test_bad_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        runway(1.0, 2.0, 0.1, **kwargs)


def test_runway_command(capsys):
    data = run_json(
        capsys,
        "runway",
        "--load-mw",
        "2.8",
        "--capacity-mw",
        "100",
        "--growth",
        "0.10",
        "--constraint",
        "ups=2.1",
        "--pue",
        "1.4",
        "--runs",
        "50",
        "--seed",
        "1",
    )
    assert list(data)[:5] == ["p10_year", "p50_year", "p90_year", "binding", "constraints"]
    assert data["binding"] == "ups" and data["p50_year"] == 2027
    assert [list(c)[:5] for c in data["constraints"]] == [
        ["name", "capacity_mw", "p10_year", "p50_year", "p90_year"]
    ] * 2
    assert data["constraints"][0]["p50_year"] is None  # 100 MW of utility outlasts the horizon


def test_runway_command_matches_growth(capsys):
    growth = run_json(capsys, "growth", "--load-mw", "12", "--capacity-mw", "30", "--growth", "0.25")
    data = run_json(capsys, "runway", "--load-mw", "12", "--capacity-mw", "30", "--growth", "0.25")
    assert data["p10_year"] == data["p90_year"] == growth["capacity_exhausted_year"] == 2031
    assert [f["p50_mw"] for f in data["fan"]] == [p["load_mw"] for p in growth["trajectory"]]


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["runway", "--load-mw", "1", "--capacity-mw", "2", "--growth", "0.1", "--constraint", "ups"], "NAME=MW"),
        (
            ["runway", "--load-mw", "1", "--capacity-mw", "2", "--growth", "0.1", "--constraint", "ups=-1"],
            "greater than 0",
        ),
        (
            ["runway", "--load-mw", "1", "--capacity-mw", "2", "--growth", "0.1", "--constraint", "moon=1"],
            "unknown constraint",
        ),
        (
            [
                "runway",
                "--load-mw",
                "1",
                "--capacity-mw",
                "2",
                "--growth",
                "0.1",
                "--constraint",
                "ups=1",
                "--constraint",
                "ups=2",
            ],
            "twice",
        ),
        (["runway", "--load-mw", "1", "--capacity-mw", "2", "--growth", "0.1", "--runs", "0"], "at least 1"),
    ],
)
def test_runway_command_errors(capsys, argv, fragment):
    assert fragment in run_error(capsys, *argv)
