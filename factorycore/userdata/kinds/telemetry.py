"""Power telemetry: readings over time per rack (from PDUs, a BMS or a DCIM export)."""

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT, TIMESTAMP
from factorycore.userdata.kinds.spec import DensityBasis, Field, KindSpec

SPEC = KindSpec(
    name="telemetry",
    label="Power telemetry",
    fields=(
        TIMESTAMP,
        RACK_ID,
        Field("power_kw", "power", ("power_kw", "power", "kw", "load", "demand", "active_power", "real_power",
                                    "power_draw", "draw", "rack_power", "it_power", "measured_power", "value",
                                    "reading", "w", "watts", "mw"), required=True),
        Field("inlet_temp_c", "temperature", ("inlet_temp_c", "inlet", "inlet_temp", "inlet_temperature",
                                              "supply_temp", "supply_air_temp", "supply_temperature", "intake_temp",
                                              "temp_in", "cold_aisle_temp", "temperature", "temp", "air_inlet_temp",
                                              "inlet_air_temp")),
        Field("outlet_temp_c", "temperature", ("outlet_temp_c", "outlet", "outlet_temp", "outlet_temperature",
                                               "exhaust_temp", "exhaust_temperature", "return_temp", "temp_out",
                                               "hot_aisle_temp", "air_outlet_temp", "outlet_air_temp", "exhaust")),
    ),
    sample_file="telemetry_sample.csv",
    views=("site_density", "site_power_over_time", "site_hottest_racks"),
    power_limit_kw=RACK_KW_LIMIT,
    density_bases={"mean": DensityBasis("avg(power_kw)", "Each rack's mean power over the telemetry period")},
)
