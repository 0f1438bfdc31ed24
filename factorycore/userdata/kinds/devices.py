"""Devices with their power draw and rack: a NetBox device / power-port export, or any DCIM's.

NetBox keeps power on a device's power ports: ``maximum_draw`` and ``allocated_draw``,
both in watts (netbox-community/netbox ``dcim/models/device_components.py``: "Maximum
power draw (watts)", "Allocated power draw (watts)"); its table export heads them
"Maximum draw" and "Allocated draw", and a device's rack "Rack". A header without a
unit is therefore read as W here. A devices dataset also maps hosts to racks for DCGM
GPU telemetry (device name = the exporter's ``Hostname``).
"""

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT, SITE
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP, Field, KindSpec

SPEC = KindSpec(
    name="devices",
    label="NetBox devices",
    fields=(
        Field(
            "device",
            "text",
            ("device", "name", "device_name", "hostname", "host", "node", "node_name", "server", "server_name"),
            required=True,
        ),
        Field(
            "allocated_kw",
            "power",
            ("allocated_kw", "allocated_draw", "allocated", "allocated_power_draw"),
            required=True,
            unit="W",
        ),
        Field("maximum_kw", "power", ("maximum_kw", "maximum_draw", "max_draw", "maximum_power_draw"), unit="W"),
        RACK_ID,
        SITE,
        Field("hall", "text", ("hall", "location", "data_hall", "room", "location_name")),
        Field("device_type", "text", ("device_type", "type", "model")),
    ),
    sample_file="devices_sample.csv",
    views=(),
    power_limit_kw=RACK_KW_LIMIT,
    roles=(ROLE_HOST_RACK_MAP,),
)
