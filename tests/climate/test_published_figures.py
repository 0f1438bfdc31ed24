"""The model against published figures (data/weather/published_figures.csv), each within its stated tolerance."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from factorycore import climate, cooling_plant
from factorycore import weather as wx

FIGURES = list(csv.DictReader((wx.WEATHER_DIR / "published_figures.csv").open(encoding="utf-8")))
SOURCES = pd.read_csv(wx.WEATHER_DIR.parent / "sources.csv").set_index("source_id")


@pytest.mark.parametrize("row", FIGURES, ids=[r["figure"] for r in FIGURES])
def test_each_published_figure_is_reproduced_within_its_tolerance(row):
    value = climate.model_figure(row["model_output"], row["station"], row["architecture"], row["case"])
    assert abs(value - float(row["published"])) <= float(row["tolerance"]), (row["figure"], value)


@pytest.mark.parametrize("row", FIGURES, ids=[r["figure"] for r in FIGURES])
def test_each_figure_is_a_quoted_row_of_a_known_source(row):
    assert row["status"] == "reported" and row["quote"].strip()
    assert row["source_id"] in SOURCES.index
    assert row["published"] in row["quote"] or row["published"].rstrip("0").rstrip(".") in row["quote"]


def test_stations_and_the_plant_cite_known_sources():
    for station in wx.stations().values():
        assert station.source_id in SOURCES.index
    assert SOURCES.loc["model_climate_plant", "status"] == "model"


def test_the_chiller_sits_at_or_above_the_published_minimum():
    eer = cooling_plant.rated_cop("air-cooled") / cooling_plant.W_PER_BTU_H
    minimum = next(float(r["published"]) for r in FIGURES if r["figure"] == "air_cooled_chiller_minimum_eer")
    assert minimum <= eer <= minimum * 1.15
