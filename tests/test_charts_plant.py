"""Plant chart builders: valid figures that draw exactly the rows given."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from factorycore import hardware as hw
from factorycore.charts import plant
from factorycore.electrical import electrical_plant
from factorycore.liquid_loop import FACILITY_CLASSES, MIN_APPROACH_K
from factorycore.runway import runway
from factorycore.throughput import ranking, systems_without_submission
from tests.test_throughput import DATA


def _valid(fig: go.Figure) -> go.Figure:
    return go.Figure(fig.to_dict())  # full validation of every property


def test_electrical_capacity_draws_critical_and_installed():
    rows = pd.DataFrame(electrical_plant(2000).capacity_rows())
    fig = _valid(plant.electrical_capacity(rows))
    assert [t.name for t in fig.data] == ["Critical load", "Installed"]
    assert list(fig.data[1].x) == [4000, 7500] and list(fig.data[0].x) == [2000, 2800]
    assert "kW bought per kW carried" in fig.layout.title.text


def test_liquid_loop_classes_marks_feasible_classes():
    classes = pd.DataFrame(
        {"facility_class": list(FACILITY_CLASSES), "facility_supply_c": list(FACILITY_CLASSES.values())}
    )
    fig = _valid(
        plant.liquid_loop_classes(
            classes, tcs_supply_c=40, min_approach_k=MIN_APPROACH_K, chosen="W32", technology="direct-liquid"
        )
    )
    colours = fig.data[0].marker.color
    assert colours[:3] == (plant.FEASIBLE_COLOUR,) * 3 and colours[3] == plant.INFEASIBLE_COLOUR
    empty = _valid(
        plant.liquid_loop_classes(classes, tcs_supply_c=None, min_approach_k=3, chosen="W32", technology="air")
    )
    assert not empty.data and "No liquid loop" in empty.layout.annotations[0].text


def test_runway_fan_has_band_median_and_a_line_per_constraint():
    result = runway(2.5, 5.0, 0.15, 0.05, {"ups": 3.0}, runs=500, seed=1)
    fan = pd.DataFrame(result.fan_rows())
    constraints = pd.DataFrame(
        [
            {"label": "Utility <b>5 MW</b>", "facility_mw": 5.0, "p50_year": result.constraints[0].p50_year},
            {"label": "UPS", "facility_mw": 4.2, "p50_year": None},
        ]
    )
    fig = _valid(plant.runway_fan(fan, constraints, runs=500))
    assert len(fig.data) == 5 and fig.data[1].fill == "tonexty"
    assert "&lt;b&gt;" in fig.data[3].name and "not within the horizon" in fig.data[4].name


@pytest.mark.parametrize("benchmark", ["llama3.1-405b", "llama2-70b-99.9"])
def test_output_ranking_best_on_top(benchmark):
    rows = pd.read_csv(DATA / "reference" / "throughput.csv")
    catalog = hw.catalog_from_frame(pd.read_csv(DATA / "reference" / "hardware.csv"))
    ranked = ranking(rows, catalog, benchmark, "offline", 1.3)
    missing = systems_without_submission(rows, catalog, benchmark)
    fig = _valid(
        plant.output_ranking(ranked, benchmark=benchmark, scenario="offline", highlight="dgx_b200", missing=missing)
    )
    assert list(fig.data[0].x) == sorted(ranked["tokens_per_s_per_mw"])  # plotly draws the first at the bottom
    assert "not estimated" in fig.layout.annotations[0].text


def test_output_ranking_empty():
    fig = _valid(plant.output_ranking(pd.DataFrame(columns=["system"]), benchmark="x", scenario="offline"))
    assert not fig.data
