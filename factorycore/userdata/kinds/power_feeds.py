"""Power feeds: a NetBox power-feed export (the circuits from a panel to racks).

NetBox's power feed table (netbox-community/netbox ``dcim/tables/power.py``, ``PowerFeedTable``)
exports Name, Power panel, Rack, Status, Type, Supply, Voltage, Amperage, Phase, Max
utilization and "Available power (VA)". Its "All data" export carries them all; its default
"Current view" stops at Phase (no Max utilization, no Available power). NetBox computes
available power as ``|voltage| x amperage x max_utilization / 100``, x 1.732 for three-phase,
rounded to whole VA (``dcim/models/power.py``, ``PowerFeed.save``), with max utilization
defaulting to 80 % (``POWERFEED_DEFAULT_MAX_UTILIZATION``). Where the file has no available
power, it is computed the same way here, and the dataset's notes say so. VA is read as W,
i.e. at unity power factor. A rack fed A+B has one primary and one redundant feed; its
allocation is one feed's power, not the sum.
"""

from dataclasses import replace

from factorycore.userdata.kinds.common import RACK_ID, SITE
from factorycore.userdata.kinds.spec import ROLE_FEED_CAPACITY, Derived, Field, KindSpec

FEED_KW_LIMIT = 10_000.0  # kW: a 415 V, 4,000 A busway is about 2.9 MW; no single feed is larger
DEFAULT_MAX_UTILIZATION_PCT = 80  # NetBox's POWERFEED_DEFAULT_MAX_UTILIZATION
THREE_PHASE_FACTOR = 1.732  # NetBox's own rounding of sqrt(3)

# Three-phase as NetBox's choice labels write it in English, German ("Dreiphasig") and French ("Triphasé").
_THREE_PHASE = ("%three%", "3%", "%drei%", "%dreh%", "%tri%")
_PHASE_FACTOR = (
    "CASE WHEN "
    + " OR ".join(f"lower({{phase}}) LIKE '{pattern}'" for pattern in _THREE_PHASE)
    + f" THEN {THREE_PHASE_FACTOR} ELSE 1 END"
)

SPEC = KindSpec(
    name="power_feeds",
    label="NetBox power feeds",
    fields=(
        Field(
            "feed",
            "text",
            (
                "feed",
                "power_feed",
                "feed_name",
                "name",
                "circuit",
                "stromkreis",
                "abgang",
                "nom",
                "stromzufuhr",
                "alimentation",
            ),
            required=True,
        ),
        Field(
            "available_kw",
            "power",
            (
                "available_kw",
                "available_power",
                "available",
                "verfugbare_leistung",
                "puissance_disponible",
            ),
            required=True,
            unit="W",
        ),
        replace(RACK_ID, required=False),
        Field(
            "power_panel",
            "text",
            ("power_panel", "panel", "stromverteiler", "verteiler", "panneau_d_alimentation", "tableau"),
        ),
        Field("feed_type", "text", ("feed_type", "type", "typ")),
        Field("supply", "text", ("supply", "versorgung", "approvisionnement")),
        Field("phase", "text", ("phase", "phasen")),
        Field("voltage_v", "count", ("voltage_v", "voltage", "volts", "spannung", "tension")),
        Field("amperage_a", "count", ("amperage_a", "amperage", "amps", "current_rating", "stromstarke", "intensite")),
        Field(
            "max_utilization_pct",
            "count",
            (
                "max_utilization_pct",
                "max_utilization",
                "max_utilisation",
                "maximum_utilization",
                "max_auslastung",
                "utilisation_maximale",
            ),
            unit="%",
        ),
        SITE,
    ),
    sample_file="power_feeds_sample.csv",
    views=("site_power_chain",),
    power_limit_kw=FEED_KW_LIMIT,
    derived=(
        Derived(
            "available_kw",
            ("voltage_v", "amperage_a"),
            f"round(abs({{voltage_v}}) * {{amperage_a}} * COALESCE({{max_utilization_pct}}, "
            f"{DEFAULT_MAX_UTILIZATION_PCT}) / 100.0 * {_PHASE_FACTOR}) / 1000.0",
            "available power = voltage x amperage x max utilisation (NetBox's default "
            f"{DEFAULT_MAX_UTILIZATION_PCT} % where not given) x {THREE_PHASE_FACTOR} for three-phase, "
            "as NetBox computes it, where the file gives no available power",
            missing="no available power, and no voltage and amperage to compute it from",
            assumed=(
                (
                    "max_utilization_pct",
                    f"no Max utilization column: NetBox's default {DEFAULT_MAX_UTILIZATION_PCT} % used",
                ),
                ("phase", "no Phase column: single phase assumed (NetBox's default)"),
            ),
        ),
    ),
    roles=(ROLE_FEED_CAPACITY,),
)
