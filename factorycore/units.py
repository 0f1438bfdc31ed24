"""Physical constants and unit conversions, each with its unit in its name.

One place for every number the engine multiplies by, so a reviewer can check a
constant once and a test can pin it. Sources are given beside each value; the
project's own assumptions among them are also listed in ``data/README.md`` ("Engine
assumptions").
"""

from __future__ import annotations

# Time and scale.
HOURS_PER_YEAR = 8760.0  # 365 x 24; annual energy is at 8,760 h (docs/command-line.md)
SECONDS_PER_MINUTE = 60.0
SECONDS_PER_HOUR = 3600.0
KWH_PER_MWH = 1000.0
KG_PER_TONNE = 1000.0
LITRES_PER_M3 = 1000.0

# Refrigeration: 1 ton = 12,000 BTU/h = 3.51685 kW (ANSI/IIR standard definition).
KW_PER_TON_REFRIGERATION = 3.51685
BTU_PER_HOUR_PER_KW = 3412.14

# Air volume: 1 ft3/min = 0.0283168 m3/min = 1.699011 m3/h, so CFM = m3/h / 1.699011.
M3H_PER_CFM = 1.699011

# Air at roughly 20-25 C and sea level, as docs/command-line.md's definitions state.
AIR_DENSITY_KG_PER_M3 = 1.2
AIR_SPECIFIC_HEAT_KJ_PER_KG_K = 1.005

# Water: density at 25 C from standard tables (997.05 kg/m3) and specific heat over
# 15-30 C (4.18 kJ/kg K, Engineering ToolBox).
WATER_DENSITY_KG_PER_M3 = 997.05
WATER_SPECIFIC_HEAT_KJ_PER_KG_K = 4.18

# Propylene glycol 25 % by mass in water ("PG25"), the usual freeze-protected
# secondary coolant in cold-plate loops, at about 20-30 C. Rounded representative
# values from public property tables: Dow's "Engineering and Operating Guide for
# DOWFROST and DOWFROST HD" (density and specific-heat tables by concentration and
# temperature) and ASHRAE Handbook - Fundamentals, chapter "Physical properties of
# secondary coolants"; cross-checked against the Modelica Standard Library medium
# Glycol20_20degC (20 % glycol, 20 C: 1028 kg/m3, 3.91 kJ/kg K) and NREL's
# SecondaryCoolantProps (20 % PG, 20 C: 1014.8 kg/m3, 3.98 kJ/kg K). Going from 20 %
# to 25 % raises density slightly and lowers specific heat slightly, hence:
PG25_DENSITY_KG_PER_M3 = 1025.0
PG25_SPECIFIC_HEAT_KJ_PER_KG_K = 3.90
