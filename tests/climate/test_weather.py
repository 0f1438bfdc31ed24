"""Weather readers: the bundled typical years, EPW, CSV and a meter frame, and the refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from factorycore import weather as wx
from factorycore.climate import design_conditions


def test_bundled_stations_read_whole_years_with_their_provenance():
    for station_id, station in wx.stations().items():
        w = wx.load_station(station_id)
        assert w.hours == 8760
        assert w.humidity_known and np.isfinite(w.wet_bulb_c).all()
        assert station.source_id and station.status == "reported"
        assert (WEATHER := wx.WEATHER_DIR / station.file).is_file(), WEATHER
        assert sorted(set(w.month.tolist())) == list(range(1, 13))
        assert set(w.hour.tolist()) == set(range(24))


def test_tmy3_values_match_the_file():
    w = wx.load_station("greensboro_nc")
    # First row of 723170TYA.CSV: 01/01/1988 01:00, dry bulb 10.0 C, dew point 6.1 C, RH 77 %, 993 mbar.
    assert w.dry_bulb_c[0] == pytest.approx(10.0)
    assert w.pressure_pa[0] == pytest.approx(99_300.0)
    assert w.dew_point_c[0] == pytest.approx(6.1, abs=0.2)  # computed from the RH, agrees with the file's own
    assert w.latitude == pytest.approx(36.1) and w.elevation_m == pytest.approx(273.0)


def test_tmy2_reads_miami():
    w = wx.load_station("miami_fl")
    # First row of 12839.tm2: dry bulb 200 and dew point 150 (tenths of C), RH 73 %, 1017 mbar.
    assert w.dry_bulb_c[0] == pytest.approx(20.0)
    assert w.dew_point_c[0] == pytest.approx(15.0, abs=0.2)
    assert w.pressure_pa[0] == pytest.approx(101_700.0)
    assert w.latitude == pytest.approx(25.8) and w.longitude == pytest.approx(-80.2667, abs=1e-3)
    assert 30.0 < design_conditions(w).dry_bulb_c < 34.0


def _as_epw(w: wx.Weather, path: Path) -> Path:
    """The Greensboro year written as an EnergyPlus weather file (the format's 8 header lines, then hours)."""
    header = [
        "LOCATION,Greensboro,NC,USA,TMY3,723170,36.10,-79.95,-5.0,273.0",
        "DESIGN CONDITIONS,0",
        "TYPICAL/EXTREME PERIODS,0",
        "GROUND TEMPERATURES,0",
        "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
        "COMMENTS 1,written by the test from the TMY3 file",
        "COMMENTS 2,",
        "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31",
    ]
    rh = wx.ps.relative_humidity_pct(w.dry_bulb_c, w.humidity_ratio, w.pressure_pa)
    rows = [
        f"1988,{m},1,{h + 1},60,?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9?9?9,{t:.1f},{d:.1f},{r:.0f},{p:.0f},0,0"
        for m, h, t, d, r, p in zip(w.month, w.hour, w.dry_bulb_c, w.dew_point_c, rh, w.pressure_pa, strict=True)
    ]
    path.write_text("\n".join(header + rows) + "\n", encoding="utf-8")
    return path


def test_epw_reads_the_same_year_as_the_tmy3_it_was_written_from(tmp_path: Path):
    tmy3 = wx.load_station("greensboro_nc")
    epw = wx.read_weather(_as_epw(tmy3, tmp_path / "gso.epw"))
    assert wx.detect_format(tmp_path / "gso.epw") == "epw"
    assert epw.hours == 8760 and epw.name == "Greensboro, NC, USA"
    assert np.allclose(epw.dry_bulb_c, tmy3.dry_bulb_c, atol=0.051)
    assert np.abs(epw.wet_bulb_c - tmy3.wet_bulb_c).max() < 0.3
    assert epw.elevation_m == pytest.approx(273.0)


def test_plain_csv_with_dew_point_and_sub_hourly_readings(tmp_path: Path):
    ts = pd.date_range("2025-01-01", periods=96 * 4, freq="15min")
    frame = pd.DataFrame({"timestamp": ts, "temp_c": 10.0, "dew_point_c": 5.0})
    path = tmp_path / "site.csv"
    frame.to_csv(path, index=False)
    w = wx.read_weather(path)
    assert w.hours == 96  # 15-minute readings averaged to hours
    assert np.allclose(w.dew_point_c, 5.0, atol=0.01)
    assert w.years == (2025,)


def test_a_meter_frame_without_humidity_is_weather_that_says_so():
    ts = pd.date_range("2024-06-01", periods=48, freq="h")
    w = wx.from_frame(pd.DataFrame({"ts": ts, "outdoor_temp_c": np.linspace(15, 30, 48)}), name="meter")
    assert not w.humidity_known and np.isnan(w.wet_bulb_c).all()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"when": ["2025-01-01"] * 30, "t": [1.0] * 30}), "timestamp column"),
        (pd.DataFrame({"ts": pd.date_range("2025-01-01", periods=30, freq="h"), "temp_c": [80.0] * 30}), "outside"),
        (pd.DataFrame({"ts": ["not a date"] * 30, "temp_c": [1.0] * 30}), "timestamps"),
        (pd.DataFrame({"ts": pd.date_range("2025", periods=5, freq="h"), "temp_c": [1.0] * 5}), "at least 24"),
        (
            pd.DataFrame({"ts": pd.date_range("2025", periods=30, freq="h"), "temp_c": 1.0, "rh": 140.0}),
            "relative-humidity",
        ),
    ],
)
def test_weather_that_cannot_be_read_with_certainty_is_refused(frame: pd.DataFrame, message: str):
    with pytest.raises(wx.WeatherError, match=message):
        wx.from_frame(frame)


def test_unknown_station_names_the_choices():
    with pytest.raises(wx.WeatherError, match="greensboro_nc"):
        wx.resolve("atlantis")


def test_multi_year_weather_keeps_its_years():
    ts = pd.date_range("2023-01-01", "2024-12-31 23:00", freq="h")
    w = wx.from_frame(pd.DataFrame({"ts": ts, "temp_c": 10.0, "rh": 50.0}))
    assert w.years == (2023, 2024)
    assert w.for_year(2024).hours == 8784


def test_bundled_files_are_the_publishers_bytes():
    """Each station file, gunzipped, is byte for byte the file pvlib ships (its SHA-256 in stations.csv)."""
    import gzip
    import hashlib

    for station in wx.stations().values():
        raw = gzip.decompress((wx.WEATHER_DIR / station.file).read_bytes())
        assert hashlib.sha256(raw).hexdigest() == station.sha256_uncompressed, station.station
