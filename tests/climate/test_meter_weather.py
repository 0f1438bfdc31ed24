"""A stored meter's outdoor temperature as weather, through the real ingest and the real store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from factorycore import climate, meter_weather
from factorycore.userdata import catalog
from factorycore.userdata.ingest import ingest


def _meter_csv(path: Path, *, with_temp: bool = True) -> Path:
    ts = pd.date_range("2025-07-01", periods=24 * 4 * 14, freq="15min")
    temp = 24 + 7 * np.sin(np.arange(ts.size) * 2 * np.pi / 96)
    frame = pd.DataFrame({"timestamp": ts.strftime("%Y-%m-%dT%H:%M:%S"), "it_kw": 800.0, "facility_kw": 1000.0})
    if with_temp:
        frame["outdoor_temp_c"] = temp.round(2)
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def meter(ref_con, tmp_path):
    name = f"climate_meter_{tmp_path.name}"[:60]
    ingest(ref_con, _meter_csv(tmp_path / "meter.csv"), kind="meter", name=name)
    info = catalog.get_dataset(ref_con, name=name)
    yield info
    catalog.delete_dataset(ref_con, info.dataset_id, [info.workspace])


def test_a_stored_meter_becomes_hourly_weather(ref_con, meter):
    w = meter_weather.meter_weather(ref_con, meter)
    assert w.hours == 24 * 14 and not w.humidity_known
    assert 16.0 < w.dry_bulb_c.min() < w.dry_bulb_c.max() < 32.0
    result = climate.evaluate(w, "dlc-trim-chiller", 800.0)
    assert result.hours == 24 * 14 and result.monthly_pue[6] is not None


def test_measured_against_model_on_the_meters_weather(ref_con, meter):
    table = meter_weather.meter_against_model(ref_con, meter)
    assert list(table["month"]) == [7]
    assert table["measured_pue"].iloc[0] == pytest.approx(1.25)
    assert table["ratio"].iloc[0] == pytest.approx(1.25 / table["modelled_pue"].iloc[0])


def test_a_meter_without_outdoor_temperature_says_what_to_map(ref_con, tmp_path):
    name = f"no_temp_meter_{tmp_path.name}"[:60]
    ingest(ref_con, _meter_csv(tmp_path / "m.csv", with_temp=False), kind="meter", name=name)
    info = catalog.get_dataset(ref_con, name=name)
    try:
        with pytest.raises(ValueError, match="outdoor_temp_c"):
            meter_weather.meter_weather(ref_con, info)
    finally:
        catalog.delete_dataset(ref_con, info.dataset_id, [info.workspace])


def test_cli_climate_on_a_meter(ref_con, meter, capsys):
    import json

    from factorycore.cli import main

    capsys.readouterr()
    assert main(["climate", "--meter", meter.name, "--architecture", "hybrid", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["station"] == "meter" and out["hours"] == 24 * 14
    assert main(["climate", "--meter", meter.name, "--measured", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["architecture"] == "air-cooled-chiller" and out["months"][0]["measured_pue"] == pytest.approx(1.25)
    assert main(["climate", "--meter", meter.name, "--architecture", "chilled-water-tower", "--format", "json"]) == 2
    assert "no humidity" in capsys.readouterr().err
