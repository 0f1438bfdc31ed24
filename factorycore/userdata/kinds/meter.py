"""Facility meter: IT and total facility power over time (the inputs of PUE)."""

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
            required=True,
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
    ),
    sample_file="meter_sample.csv",
    views=("site_pue",),
    power_limit_kw=SITE_KW_LIMIT,
    row_checks=(
        RowCheck("facility_kw", "v_facility_kw >= v_it_kw", "facility_kw is below it_kw (PUE under 1 is impossible)"),
    ),
)
