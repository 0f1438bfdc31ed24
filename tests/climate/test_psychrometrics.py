"""The vectorised psychrometrics against psychrolib (ASHRAE 2017 Fundamentals, SI) to 0.1 K."""

from __future__ import annotations

import numpy as np
import pytest

from factorycore import psychrometrics as ps

psychrolib = pytest.importorskip("psychrolib")
psychrolib.SetUnitSystem(psychrolib.SI)

# A grid from a cold, dry winter to a hot, saturated tropical hour, at sea level and at altitude.
T_C = np.array([-30.0, -10.0, -0.5, 0.0, 0.5, 5.0, 15.0, 22.0, 30.0, 35.0, 45.0])
RH_PCT = np.array([5.0, 20.0, 50.0, 80.0, 100.0])
PRESSURES_PA = np.array([101_325.0, 84_000.0])


def _grid():
    t, rh, p = np.meshgrid(T_C, RH_PCT, PRESSURES_PA, indexing="ij")
    return t.ravel(), rh.ravel(), p.ravel()


def test_saturation_pressure_matches_psychrolib():
    for t in T_C:
        assert ps.saturation_pressure_pa(t) == pytest.approx(psychrolib.GetSatVapPres(float(t)), rel=1e-9)


def test_standard_pressure_matches_psychrolib():
    for z in (0.0, 273.0, 1500.0):
        assert ps.standard_pressure_pa(z) == pytest.approx(psychrolib.GetStandardAtmPressure(z), rel=1e-9)


def test_humidity_ratio_enthalpy_dew_point_and_wet_bulb_within_0_1_k():
    t, rh, p = _grid()
    w = ps.humidity_ratio_from_rh(t, rh, p)
    wet = ps.wet_bulb_c(t, w, p)
    dew = ps.dew_point_c(t, w, p)
    h = ps.enthalpy_kj_per_kg(t, w)
    for i in range(t.size):
        ti, rhi, pi = float(t[i]), float(rh[i]) / 100.0, float(p[i])
        w_ref = psychrolib.GetHumRatioFromRelHum(ti, rhi, pi)
        assert w[i] == pytest.approx(w_ref, rel=1e-3, abs=1e-7)
        assert wet[i] == pytest.approx(psychrolib.GetTWetBulbFromRelHum(ti, rhi, pi), abs=0.1)
        assert dew[i] == pytest.approx(psychrolib.GetTDewPointFromRelHum(ti, rhi), abs=0.1)
        assert h[i] == pytest.approx(psychrolib.GetMoistAirEnthalpy(ti, w_ref) / 1000.0, rel=1e-3, abs=0.01)


def test_dew_point_round_trip():
    t, rh, p = _grid()
    w = ps.humidity_ratio_from_rh(t, rh, p)
    dew = ps.dew_point_c(t, w, p)
    assert np.allclose(ps.humidity_ratio_from_dew_point(dew, p), w, rtol=1e-6, atol=1e-9)


def test_wet_bulb_between_dew_point_and_dry_bulb_and_equal_when_saturated():
    t, rh, p = _grid()
    w = ps.humidity_ratio_from_rh(t, rh, p)
    wet, dew = ps.wet_bulb_c(t, w, p), ps.dew_point_c(t, w, p)
    assert np.all(wet <= t + 1e-9) and np.all(wet >= dew - 1e-9)
    saturated = rh == 100.0
    assert np.allclose(wet[saturated], t[saturated], atol=1e-3)
