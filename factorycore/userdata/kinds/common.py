"""Fields and limits several kinds share, stated once."""

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
    ),
    required=True,
)
SITE = Field(
    "site",
    "text",
    ("site", "site_name", "site_id", "facility_name", "campus", "location", "data_center", "datacenter", "dc"),
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
        "zeitstempel",
        "horodatage",
        "logged_at",
        "recorded_at",
        "measured_at",
        "time_utc",
        "timestamp_utc",
        "utc",
    ),
    required=True,
    column="ts",
)
