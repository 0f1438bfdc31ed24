"""Fields and limits several kinds share, stated once.

Header synonyms are matched after :func:`factorycore.userdata.detect.normalise_header`:
lower case, accents dropped (``Verfügbare`` -> ``verfugbare``), words joined by ``_``, a
unit in brackets or as the last word taken off. English first, then German and French
as their spreadsheets and DCIM exports head the same columns.
"""

from factorycore.userdata.kinds.spec import Field

RACK_KW_LIMIT = 2000.0  # kW: no rack shipping or announced draws more

RACK_ID = Field(
    "rack_id",
    "text",
    (
        "rack_id",
        "rack",
        "rackid",
        "rack_name",
        "rack_no",
        "rack_number",
        "rack_label",
        "cabinet",
        "cabinet_id",
        "cab",
        "cab_id",
        "asset",
        "asset_id",
        "rack_tag",
        "position",
        "location_id",
        # German, French
        "schrank",
        "rack_nr",
        "racknummer",
        "rack_nummer",
        "schranknummer",
        "baie",
        "armoire",
        "numero_de_baie",
        "baie_id",
    ),
    required=True,
)
SITE = Field(
    "site",
    "text",
    (
        "site",
        "site_name",
        "site_id",
        "facility_name",
        "campus",
        "location",
        "data_center",
        "datacenter",
        "dc",
        "standort",
        "rechenzentrum",
        "centre_de_donnees",
        "centre_de_calcul",
    ),
)
TIMESTAMP = Field(
    "timestamp",
    "timestamp",
    (
        "timestamp",
        "time",
        "datetime",
        "date_time",
        "ts",
        "time_stamp",
        "reading_time",
        "sample_time",
        "interval_start",
        "period",
        "period_start",
        "date",
        "logged_at",
        "recorded_at",
        "measured_at",
        "time_utc",
        "timestamp_utc",
        "utc",
        # German
        "zeitstempel",
        "datum_uhrzeit",
        "datum_zeit",
        "zeitpunkt",
        "messzeitpunkt",
        "uhrzeit",
        "zeit",
        "datum",
        # French
        "horodatage",
        "date_heure",
        "date_et_heure",
        "heure",
    ),
    required=True,
    column="ts",
)
