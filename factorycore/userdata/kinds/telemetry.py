"""Power telemetry: readings over time of a rack's sources (PDUs, feeds, outlets, nodes, GPUs).

A row is one reading of one source. ``source`` names it (a node, PDU, feed, outlet or GPU);
without it each rack is one source. A rack's power at an instant is the sum over its sources
in a time bucket, after averaging a source's repeated readings within the bucket
(:mod:`factorycore.userdata.aggregate` holds that one rule).
"""

from dataclasses import replace

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT, TIMESTAMP
from factorycore.userdata.kinds.spec import ROLE_POWER_READINGS, DensityBasis, Field, KindSpec

# Readings per node (IPMI, Redfish) often have no rack column: the node's name then stands in the
# rack_id column, and a rack_id read from a host-like header makes a node dataset (rolled up to racks
# by a host-to-rack map, never ranked as racks: factorycore.userdata.rack_power). A rack column, when
# there is one, is always taken first (its synonyms come first).
NODE_AS_RACK = ("host", "hostname", "host_name", "node", "node_name", "server", "server_name")

SOURCE = Field(
    "source",
    "text",
    (
        "source",
        "source_id",
        "host",
        "hostname",
        "host_name",
        "node",
        "node_name",
        "node_id",
        "server",
        "server_name",
        "instance",
        "outlet_name",
        "outlet_id",
        "feed",
        "feed_name",
        "pdu",
        "pdu_name",
        "pdu_id",
        "gpu",
        "gpu_id",
        "gpu_uuid",
        "uuid",
        "device",
        "device_name",
        "meter",
        "meter_id",
        "sensor",
        "circuit",
        "breaker",
        "rechner",
        "knoten",
        "noeud",
        "serveur",
        "prise",
    ),
)

SPEC = KindSpec(
    name="telemetry",
    label="Power telemetry",
    fields=(
        TIMESTAMP,
        replace(RACK_ID, synonyms=RACK_ID.synonyms + NODE_AS_RACK),
        Field(
            "power_kw",
            "power",
            (
                "power_kw",
                "power",
                "kw",
                "load",
                "demand",
                "active_power",
                "real_power",
                "power_draw",
                "draw",
                "rack_power",
                "it_power",
                "measured_power",
                "value",
                "reading",
                "w",
                "watts",
                "mw",
                "sys_power",
                "system_power",
                "node_power",
                "server_power",
                "host_power",
                "input_power",
                "power_consumption",
                "power_usage",
                "pwr_consumption",
                "instantaneous_power",
                "present_power",
                "leistung",
                "wirkleistung",
                "puissance",
                "puissance_active",
            ),
            required=True,
        ),
        Field(
            "inlet_temp_c",
            "temperature",
            (
                "inlet_temp_c",
                "inlet",
                "inlet_temp",
                "inlet_temperature",
                "supply_temp",
                "supply_air_temp",
                "supply_temperature",
                "intake_temp",
                "temp_in",
                "cold_aisle_temp",
                "temperature",
                "temp",
                "air_inlet_temp",
                "inlet_air_temp",
            ),
        ),
        Field(
            "outlet_temp_c",
            "temperature",
            (
                "outlet_temp_c",
                "outlet",
                "outlet_temp",
                "outlet_temperature",
                "exhaust_temp",
                "exhaust_temperature",
                "return_temp",
                "temp_out",
                "hot_aisle_temp",
                "air_outlet_temp",
                "outlet_air_temp",
                "exhaust",
            ),
        ),
        SOURCE,
    ),
    sample_file="telemetry_sample.csv",
    views=("site_summary", "site_density", "site_power_over_time", "site_hottest_racks"),
    power_limit_kw=RACK_KW_LIMIT,
    density_bases={
        "mean": DensityBasis("avg(kw)", "Each rack's mean power over the telemetry period (its sources summed)")
    },
    roles=(ROLE_POWER_READINGS,),
)
