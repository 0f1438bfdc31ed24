"""Measured PUE against the model in the same weather (a COPUE-style ratio), from a meter's rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from factorycore import climate, cooling_plant
from factorycore import weather as wx


def _meter(factor: float) -> pd.DataFrame:
    ts = pd.date_range("2025-06-01", periods=24 * 60, freq="h")
    temp = 22 + 8 * np.sin(np.arange(ts.size) * 2 * np.pi / 24)
    w = wx.from_meter(pd.DataFrame({"ts": ts, "outdoor_temp_c": temp}))
    modelled = cooling_plant.simulate(w, "dlc-dry-cooler", 1000.0).pue
    it = np.full(ts.size, 800.0)
    return pd.DataFrame({"ts": ts, "it_kw": it, "facility_kw": it * modelled * factor, "outdoor_temp_c": temp})


@pytest.mark.parametrize("factor", [1.0, 1.07])
def test_the_ratio_is_what_the_site_spends_beyond_the_model(factor):
    table = climate.measured_against_model(_meter(factor), "dlc-dry-cooler")
    assert list(table["month"]) == [6, 7]
    assert np.allclose(table["ratio"], factor)


def test_a_meter_without_humidity_refuses_a_tower_plant():
    with pytest.raises(ValueError, match="no humidity"):
        climate.measured_against_model(_meter(1.0), "chilled-water-tower")


def test_meter_rows_without_power_are_refused():
    with pytest.raises(ValueError, match="it_kw"):
        climate.measured_against_model(_meter(1.0).drop(columns="it_kw"), "hybrid")
