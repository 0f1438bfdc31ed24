"""Power feeds: a NetBox power-feed export (the circuits from a panel to racks).

NetBox's power feed table (netbox-community/netbox ``dcim/tables/power.py``, ``PowerFeedTable``)
exports Name, Power panel, Rack, Status, Type, Supply, Voltage, Amperage, Phase, Max
utilization and "Available power (VA)", the feed's usable power (voltage x amperage x
max utilisation, x sqrt(3) for three-phase, as NetBox computes it). VA is read as W,
i.e. at unity power factor. A rack fed A+B has one primary and one redundant feed;
its allocation is one feed's power, not the sum.
"""

from dataclasses import replace

from factorycore.userdata.kinds.common import RACK_ID, SITE
from factorycore.userdata.kinds.spec import ROLE_FEED_CAPACITY, Field, KindSpec

FEED_KW_LIMIT = 10_000.0  # kW: a 415 V, 4,000 A busway is about 2.9 MW; no single feed is larger

SPEC = KindSpec(
    name="power_feeds",
    label="NetBox power feeds",
    fields=(
        Field("feed", "text", ("feed", "power_feed", "feed_name", "name", "circuit"), required=True),
        Field("available_kw", "power", ("available_kw", "available_power", "available"), required=True, unit="W"),
        replace(RACK_ID, required=False),
        Field("power_panel", "text", ("power_panel", "panel")),
        Field("feed_type", "text", ("feed_type", "type")),
        Field("supply", "text", ("supply",)),
        Field("phase", "text", ("phase",)),
        Field("voltage_v", "count", ("voltage_v", "voltage", "volts")),
        Field("amperage_a", "count", ("amperage_a", "amperage", "amps", "current_rating")),
        SITE,
    ),
    sample_file="power_feeds_sample.csv",
    views=("site_power_chain",),
    power_limit_kw=FEED_KW_LIMIT,
    roles=(ROLE_FEED_CAPACITY,),
)
