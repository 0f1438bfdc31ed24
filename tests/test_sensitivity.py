"""Sensitivity: the vectorised evaluator equals the scalar one; tornado swings by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factorycore import power, sensitivity


def test_evaluate_many_equals_scalar_elementwise():
    rng = np.random.default_rng(7)
    n = 10_000
    inputs = {
        "it_kw": rng.uniform(0, 1e5, n),
        "pue": rng.uniform(1, 2.5, n),
        "utilization": rng.uniform(0.01, 1, n),
        "price_usd_per_kwh": rng.uniform(0, 0.4, n),
        "grid_kg_co2e_per_kwh": rng.uniform(0, 1, n),
        "wue_l_per_kwh": rng.uniform(0, 3, n),
    }
    many = sensitivity.evaluate_many(**inputs)
    assert set(many) == set(sensitivity.METRICS)
    assert all(values.shape == (n,) for values in many.values())
    for i in rng.choice(n, 200, replace=False):
        scalar = power.power_projection(*(inputs[name][i] for name in sensitivity.INPUTS)).as_dict()
        for key, value in scalar.items():
            assert many[key][i] == pytest.approx(value, rel=1e-12, abs=1e-12)


@settings(max_examples=50)
@given(it_kw=st.floats(0, 1e6), pue=st.floats(1, 4), utilization=st.floats(1e-3, 1))
def test_evaluate_many_scalar_inputs_broadcast(it_kw, pue, utilization):
    many = sensitivity.evaluate_many(np.array([it_kw, it_kw]), pue, utilization)
    scalar = power.power_projection(it_kw, pue, utilization)
    assert many["facility_kw"][1] == pytest.approx(scalar.facility_kw, rel=1e-12)
    assert many["annual_cost_usd"][0] == pytest.approx(scalar.annual_cost_usd, rel=1e-12)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"it_kw": [1, -1]}, "negative"),
        ({"it_kw": [1, 2], "pue": [1.2, 0.9]}, "PUE"),
        ({"it_kw": [1], "utilization": [0.0]}, "utilization"),
        ({"it_kw": [1, np.nan]}, "finite"),
    ],
)
def test_evaluate_many_rejects_impossible_values(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        sensitivity.evaluate_many(**{k: np.asarray(v, dtype=float) for k, v in kwargs.items()})


def test_tornado_annual_cost_by_hand():
    # Base: 1000 kW, PUE 1.4, utilization 1, 0.10 USD/kWh -> 1,226,400 USD a year.
    # +-20 % on IT, PUE or price moves cost +-20 %: swing 0.4 x 1,226,400 = 490,560.
    # Utilization 0.8 .. 1.0 (clipped): swing 245,280. Grid and WUE do not move cost.
    table = sensitivity.tornado({"it_kw": 1000})
    assert list(table.columns) == ["input", "low_value", "high_value", "metric_low", "metric_high", "swing"]
    assert set(table["input"][:3]) == {"it_kw", "pue", "price_usd_per_kwh"}
    assert table["swing"][:3].to_numpy() == pytest.approx([490_560.0] * 3, rel=1e-12)
    util = table.set_index("input").loc["utilization"]
    assert (util["low_value"], util["high_value"]) == (pytest.approx(0.8), 1.0)
    assert util["swing"] == pytest.approx(245_280.0, rel=1e-12)
    assert table["input"][3] == "utilization"
    assert set(table["input"][4:]) == {"grid_kg_co2e_per_kwh", "wue_l_per_kwh"}
    assert (table["swing"][4:] == 0).all()
    assert table["swing"].is_monotonic_decreasing


def test_tornado_facility_kw_and_clipping():
    table = sensitivity.tornado({"it_kw": 500, "pue": 1.1}, metric="facility_kw").set_index("input")
    assert table.loc["pue", "low_value"] == 1.0  # 1.1 x 0.8 = 0.88 is clipped to 1
    assert table.loc["pue", "high_value"] == pytest.approx(1.32)
    assert table.loc["pue", "swing"] == pytest.approx(500 * 0.32)
    assert table.loc["it_kw", "swing"] == pytest.approx((600 - 400) * 1.1)
    assert table.loc["price_usd_per_kwh", "swing"] == 0
    assert table.loc["utilization", "swing"] == 0  # facility kW does not depend on utilization


def test_tornado_explicit_ranges():
    table = sensitivity.tornado({"it_kw": 1000}, ranges={"pue": (1.1, 2.0)}).set_index("input")
    assert table.loc["pue", "swing"] == pytest.approx(1000 * 8760 * 0.10 * 0.9)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"base": {"pue": 1.4}}, "it_kw"),
        ({"base": {"it_kw": 1, "voltage": 400}}, "unknown input"),
        ({"base": {"it_kw": 1}, "metric": "noise_db"}, "unknown metric"),
        ({"base": {"it_kw": 1}, "spread": 1.5}, "spread"),
    ],
)
def test_tornado_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        sensitivity.tornado(**kwargs)
