"""Facility meter: the site's power and the reporting quantities over time (the inputs of PUE, WUE, ERF, REF).

Each row is one interval starting at ``timestamp``: power and heat as the interval's mean kW
(an energy register in kWh becomes mean kW through :mod:`factorycore.userdata.energy`), water
as the m³ drawn in the interval, temperatures as read. Only the facility's total is required:
a facility-only meter is stored, and the indicators that need IT energy say so
(:mod:`factorycore.compliance.kpis`).
"""

from factorycore.userdata.kinds.common import SITE, TIMESTAMP
from factorycore.userdata.kinds.spec import Field, KindSpec, RowCheck

SITE_KW_LIMIT = 10_000_000.0  # 10 GW: beyond any single site

SPEC = KindSpec(
    name="meter",
    label="Facility meter",
    fields=(
        TIMESTAMP,
        SITE,
        Field(
            "it_kw",
            "power",
            (
                "it_kw",
                "it",
                "it_power",
                "it_load",
                "ups_output",
                "ups_load",
                "critical_load",
                "it_demand",
                "it_power_draw",
                "pdu_power",
                "it_equipment_power",
            ),
        ),
        Field(
            "facility_kw",
            "power",
            (
                "facility_kw",
                "facility",
                "facility_power",
                "total",
                "total_power",
                "total_facility_power",
                "site_power",
                "utility",
                "utility_power",
                "grid",
                "grid_power",
                "building_power",
                "mains",
                "total_load",
                "facility_load",
                "incoming_power",
                "total_facility",
            ),
            required=True,
        ),
        # Water drawn in the interval. Only names that say m³ are matched: a bare "water"
        # column might be litres or gallons, and the mapping form asks instead.
        Field("water_m3", "volume", ("water_m3", "water_input_m3", "total_water_m3", "water_consumption_m3")),
        Field("fresh_water_m3", "volume", ("fresh_water_m3", "potable_water_m3", "drinking_water_m3")),
        Field(
            "heat_reused_kw",
            "power",
            ("heat_reused_kw", "heat_reused", "heat_reuse", "reused_heat", "waste_heat_reused"),
        ),
        Field(
            "heat_reused_temp_c",
            "temperature",
            (
                "heat_reused_temp_c",
                "heat_reused_temp",
                "heat_reuse_temp",
                "reused_heat_temp",
                "waste_heat_temp",
                "heat_export_temp",
            ),
        ),
        Field("renewable_kw", "power", ("renewable_kw", "renewable", "renewable_power", "green_power")),
        Field(
            "renewable_go_kw",
            "power",
            ("renewable_go_kw", "renewable_go", "guarantee_of_origin", "go", "go_backed"),
        ),
        Field(
            "onsite_generation_kw",
            "power",
            ("onsite_generation_kw", "onsite_generation", "on_site_generation", "onsite", "pv"),
        ),
        Field(
            "outdoor_temp_c",
            "temperature",
            ("outdoor_temp_c", "outdoor_temp", "outside_temp", "ambient_temp", "outdoor_air_temp", "oat", "dry_bulb"),
        ),
    ),
    sample_file="meter_sample.csv",
    views=("site_pue",),
    power_limit_kw=SITE_KW_LIMIT,
    row_checks=(
        RowCheck(
            "facility_kw",
            "v_it_kw IS NULL OR v_facility_kw >= v_it_kw",
            "facility_kw is below it_kw (PUE under 1 is impossible)",
        ),
    ),
)
