"""Devices and their racks: the host-to-rack map (a NetBox Devices export, or any DCIM's).

NetBox's Devices list heads a device's name "Name" and its rack "Rack"; its default
columns carry no power. A device's rack is what DCGM GPU telemetry and other per-host
readings are rolled up by (device name = the exporter's ``Hostname``). Where a DCIM
export also carries draws per device, ``allocated_kw`` and ``maximum_kw`` keep them:
NetBox keeps power on power ports, ``maximum_draw`` and ``allocated_draw`` in watts
(netbox-community/netbox ``dcim/models/device_components.py``: "Maximum power draw
(watts)", "Allocated power draw (watts)"), so a header without a unit is read as W.
"""

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT, SITE
from factorycore.userdata.kinds.spec import ROLE_HOST_RACK_MAP, Field, KindSpec

DEVICE = Field(
    "device",
    "text",
    (
        "device",
        "name",
        "device_name",
        "hostname",
        "host",
        "node",
        "node_name",
        "server",
        "server_name",
        "gerat",
        "geraet",
        "geratename",
        "rechner",
        "appareil",
        "equipement",
        "nom",
    ),
    required=True,
)
ALLOCATED = Field(
    "allocated_kw",
    "power",
    (
        "allocated_kw",
        "allocated_draw",
        "allocated",
        "allocated_power_draw",
        # NetBox's German and French labels (netbox/translations)
        "zugewiesener_stromverbrauch",
        "zugewiesene_leistungsaufnahme",
        "zugewiesene_leistung",
        "tirage_alloue",
        "tirage_au_sort_attribue",
    ),
    unit="W",
)
MAXIMUM = Field(
    "maximum_kw",
    "power",
    (
        "maximum_kw",
        "maximum_draw",
        "max_draw",
        "maximum_power_draw",
        "maximaler_stromverbrauch",
        "maximale_leistung",
        "tirage_maximal",
        "tirage_maximum",
    ),
    unit="W",
)

SPEC = KindSpec(
    name="devices",
    label="Devices and their racks",
    fields=(
        DEVICE,
        RACK_ID,
        ALLOCATED,
        MAXIMUM,
        SITE,
        Field(
            "hall",
            "text",
            ("hall", "location", "data_hall", "room", "location_name", "lokation", "raum", "emplacement", "salle"),
        ),
        Field("device_type", "text", ("device_type", "type", "typ", "model", "geratetyp", "modele")),
    ),
    sample_file="devices_sample.csv",
    views=(),
    power_limit_kw=RACK_KW_LIMIT,
    roles=(ROLE_HOST_RACK_MAP,),
)
