"""Moist-air properties from the ASHRAE Handbook -- Fundamentals (2017, SI), vectorised with numpy.

Every function takes scalars or arrays (broadcast together) and returns a float array
(a 0-d array for scalars). Temperatures are deg C, pressures Pa, humidity ratio kg of
water per kg of dry air, enthalpy kJ per kg of dry air. The equations, numbered as in
chapter 1 ("Psychrometrics") of the 2017 Fundamentals:

- saturation pressure over ice (eq. 5, -100 to 0 C) and over liquid water (eq. 6, 0 to
  200 C), Hyland and Wexler's fits; ice below the triple point (0.01 C);
- standard atmospheric pressure at an altitude (eq. 3);
- humidity ratio W = 0.621945 p_w / (p - p_w) (eq. 20);
- moist-air enthalpy h = 1.006 t + W (2501 + 1.86 t) (eq. 32);
- the thermodynamic wet-bulb t* (eqs. 33 and 35, over water and over ice) solved by
  bisection between the dew point and the dry bulb, and the dew point as the inverse of
  eqs. 5/6 by Newton's method on ln p_ws (both to well below 0.001 K).

Why vectorised: the plant model evaluates 8,760 hours per weather year, and a
10,000-run spread of years; a per-hour scalar library (psychrolib) would take seconds.
``tests/test_psychrometrics.py`` checks every function against psychrolib to 0.1 K
(0.1 % for pressures, humidity ratios and enthalpies).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

KELVIN = 273.15
TRIPLE_POINT_C = 0.01
STANDARD_PRESSURE_PA = 101_325.0
MOLAR_MASS_RATIO = 0.621945  # water / dry air (eq. 20)
_BISECTION_STEPS = 30  # halves a span of at most ~150 K to ~1e-7 K
_NEWTON_STEPS = 8

Array = NDArray[np.float64]


def _arr(value: ArrayLike) -> Array:
    return np.asarray(value, dtype=np.float64)


def standard_pressure_pa(altitude_m: ArrayLike) -> Array:
    """Standard atmospheric pressure at an altitude, Pa (eq. 3): what a weather file without pressure is given."""
    return 101.325 * (1.0 - 2.25577e-5 * _arr(altitude_m)) ** 5.2559 * 1000.0


def _ln_pws(t_c: Array) -> Array:
    """ln of the saturation pressure (Pa) at t_c: over ice below the triple point, over water above."""
    t_k = t_c + KELVIN
    ice = (
        -5.6745359e03 / t_k
        + 6.3925247
        - 9.677843e-03 * t_k
        + 6.2215701e-07 * t_k**2
        + 2.0747825e-09 * t_k**3
        - 9.484024e-13 * t_k**4
        + 4.1635019 * np.log(t_k)
    )
    water = (
        -5.8002206e03 / t_k
        + 1.3914993
        - 4.8640239e-02 * t_k
        + 4.1764768e-05 * t_k**2
        - 1.4452093e-08 * t_k**3
        + 6.5459673 * np.log(t_k)
    )
    return np.where(t_c <= TRIPLE_POINT_C, ice, water)


def _d_ln_pws(t_c: Array) -> Array:
    """Derivative of :func:`_ln_pws` with respect to temperature, per K."""
    t_k = t_c + KELVIN
    ice = (
        5.6745359e03 / t_k**2
        - 9.677843e-03
        + 2 * 6.2215701e-07 * t_k
        + 3 * 2.0747825e-09 * t_k**2
        - 4 * 9.484024e-13 * t_k**3
        + 4.1635019 / t_k
    )
    water = (
        5.8002206e03 / t_k**2 - 4.8640239e-02 + 2 * 4.1764768e-05 * t_k - 3 * 1.4452093e-08 * t_k**2 + 6.5459673 / t_k
    )
    return np.where(t_c <= TRIPLE_POINT_C, ice, water)


def saturation_pressure_pa(t_c: ArrayLike) -> Array:
    """Saturation vapour pressure, Pa (eqs. 5 and 6)."""
    return np.exp(_ln_pws(_arr(t_c)))


def humidity_ratio_from_vapour_pressure(p_w_pa: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Humidity ratio, kg/kg, of air whose water vapour exerts ``p_w_pa`` (eq. 20)."""
    p_w = _arr(p_w_pa)
    return MOLAR_MASS_RATIO * p_w / (_arr(pressure_pa) - p_w)


def vapour_pressure_from_humidity_ratio(w: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Partial pressure of water vapour, Pa, at humidity ratio ``w`` (eq. 20 inverted)."""
    w = np.maximum(_arr(w), 1e-7)
    return _arr(pressure_pa) * w / (MOLAR_MASS_RATIO + w)


def saturation_humidity_ratio(t_c: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Humidity ratio of saturated air at t_c, kg/kg (eq. 23)."""
    return humidity_ratio_from_vapour_pressure(saturation_pressure_pa(t_c), pressure_pa)


def humidity_ratio_from_rh(t_c: ArrayLike, rh_pct: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Humidity ratio from dry bulb and relative humidity in percent (RH = p_w / p_ws, eq. 12)."""
    rh = np.clip(_arr(rh_pct), 0.0, 100.0) / 100.0
    return humidity_ratio_from_vapour_pressure(rh * saturation_pressure_pa(t_c), pressure_pa)


def humidity_ratio_from_dew_point(t_dp_c: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Humidity ratio from the dew point: p_w is the saturation pressure at the dew point (eq. 38)."""
    return humidity_ratio_from_vapour_pressure(saturation_pressure_pa(t_dp_c), pressure_pa)


def relative_humidity_pct(t_c: ArrayLike, w: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Relative humidity in percent of air at t_c with humidity ratio ``w``."""
    return 100.0 * vapour_pressure_from_humidity_ratio(w, pressure_pa) / saturation_pressure_pa(t_c)


def dew_point_from_vapour_pressure(t_c: ArrayLike, p_w_pa: ArrayLike) -> Array:
    """Dew point, deg C: the temperature whose saturation pressure is ``p_w_pa`` (never above the dry bulb)."""
    t = _arr(t_c)
    target = np.log(np.maximum(_arr(p_w_pa), 1e-3))
    t, target = np.broadcast_arrays(t, target)
    guess = t.copy()
    for _ in range(_NEWTON_STEPS):
        guess = guess - (_ln_pws(guess) - target) / _d_ln_pws(guess)
        guess = np.clip(guess, -100.0, 200.0)
    return np.minimum(guess, t)


def dew_point_c(t_c: ArrayLike, w: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Dew point, deg C, of air at t_c with humidity ratio ``w``."""
    return dew_point_from_vapour_pressure(t_c, vapour_pressure_from_humidity_ratio(w, pressure_pa))


def enthalpy_kj_per_kg(t_c: ArrayLike, w: ArrayLike) -> Array:
    """Moist-air specific enthalpy, kJ per kg of dry air (eq. 32)."""
    t = _arr(t_c)
    w = np.maximum(_arr(w), 1e-7)
    return 1.006 * t + w * (2501.0 + 1.86 * t)


def _w_at_wet_bulb(t_c: Array, t_wb_c: Array, pressure_pa: Array) -> Array:
    """The humidity ratio that has wet bulb ``t_wb_c`` at dry bulb ``t_c`` (eq. 33 over water, eq. 35 over ice)."""
    ws = saturation_humidity_ratio(t_wb_c, pressure_pa)
    water = ((2501.0 - 2.326 * t_wb_c) * ws - 1.006 * (t_c - t_wb_c)) / (2501.0 + 1.86 * t_c - 4.186 * t_wb_c)
    ice = ((2830.0 - 0.24 * t_wb_c) * ws - 1.006 * (t_c - t_wb_c)) / (2830.0 + 1.86 * t_c - 2.1 * t_wb_c)
    return np.where(t_wb_c <= TRIPLE_POINT_C, ice, water)


def wet_bulb_c(t_c: ArrayLike, w: ArrayLike, pressure_pa: ArrayLike = STANDARD_PRESSURE_PA) -> Array:
    """Thermodynamic wet-bulb temperature, deg C, by bisection between dew point and dry bulb.

    The humidity ratio implied by a trial wet bulb rises with it, so the root is bracketed:
    the dew point gives at most ``w`` and the dry bulb at least ``w``.
    """
    t, w, p = np.broadcast_arrays(_arr(t_c), np.maximum(_arr(w), 1e-7), _arr(pressure_pa))
    low = dew_point_c(t, w, p)
    high = t.copy()
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (low + high)
        above = _w_at_wet_bulb(t, mid, p) > w
        high = np.where(above, mid, high)
        low = np.where(above, low, mid)
    return 0.5 * (low + high)
