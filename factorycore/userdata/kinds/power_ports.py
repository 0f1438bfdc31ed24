"""Power ports: a NetBox Power Ports export (one row per power supply of a device, with its draw).

NetBox keeps a device's power on its power ports (netbox-community/netbox
``dcim/models/device_components.py``): ``allocated_draw`` ("Allocated power draw (watts)")
and ``maximum_draw`` ("Maximum power draw (watts)"); the list exports them as
"Allocated draw (W)" and "Maximum draw (W)". Operators often fill only the maximum, so a
port's draw is its allocated draw where given, else its maximum draw, and each row says
which (``draw_source``). A port with neither has no draw to store and is set aside with
that reason. The list has no Rack column: a port's rack is its device's, from a devices
dataset (the host-to-rack map); a Rack column, where an export has one, is kept.
"""

from dataclasses import replace

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT
from factorycore.userdata.kinds.devices import ALLOCATED, MAXIMUM
from factorycore.userdata.kinds.spec import Derived, Field, KindSpec

SPEC = KindSpec(
    name="power_ports",
    label="NetBox power ports",
    fields=(
        # No "name" synonym: in NetBox's list "Name" is the port (PSU0), "Device" the device.
        Field(
            "device",
            "text",
            ("device", "device_name", "hostname", "host", "gerat", "geraet", "appareil"),
            required=True,
        ),
        Field("draw_kw", "power", ("draw_kw",), required=True),
        Field(
            "port",
            "text",
            ("port", "power_port", "port_name", "name", "nom", "psu", "stromanschluss", "anschluss", "prise"),
        ),
        ALLOCATED,
        MAXIMUM,
        Field("draw_source", "text", ("draw_source",)),
        replace(RACK_ID, required=False),
        Field("port_type", "text", ("type", "typ", "port_type", "connector")),
    ),
    sample_file="power_ports_sample.csv",
    views=(),
    power_limit_kw=RACK_KW_LIMIT,
    derived=(
        Derived(
            "draw_kw",
            ("allocated_kw", "maximum_kw"),
            "COALESCE({allocated_kw}, {maximum_kw})",
            "a port's draw is its allocated draw, else its maximum draw where the allocated draw is empty",
            missing="no draw: neither allocated nor maximum draw is filled",
            any_input=True,
        ),
        Derived(
            "draw_source",
            ("allocated_kw", "maximum_kw"),
            "CASE WHEN {allocated_kw} IS NOT NULL THEN 'allocated' WHEN {maximum_kw} IS NOT NULL THEN 'maximum' END",
            "draw_source says which draw each row's draw_kw is",
            any_input=True,
        ),
    ),
)
