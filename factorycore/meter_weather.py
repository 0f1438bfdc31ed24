"""A facility meter's outdoor temperature as weather, and its measured PUE against the model in that weather.

The meter kind stores ``outdoor_temp_c`` beside ``it_kw`` and ``facility_kw``; these read its
hourly means from the store (DuckDB or PostgreSQL, the same SQL) and hand them to
:func:`factorycore.weather.from_meter` and :func:`factorycore.climate.measured_against_model`.
A meter logs no humidity, so the plants that need a wet bulb are refused on its weather, and
the measured-against-model ratio defaults to the air-cooled chiller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factorycore import store

if TYPE_CHECKING:
    import pandas as pd

    from factorycore.userdata.catalog import DatasetInfo
    from factorycore.weather import Weather

METER_BENCHMARK = "air-cooled-chiller"  # needs no humidity, which a meter does not log
COLUMNS = ("ts", "it_kw", "facility_kw", "outdoor_temp_c")


def meter_hours(con: Any, info: DatasetInfo) -> pd.DataFrame:
    """Hourly means of the meter's IT power, facility power and outdoor temperature (hours with a temperature)."""
    import pandas as pd

    if info.kind != "meter":
        raise ValueError(f"{info.name!r} is a {info.kind} dataset, not a facility meter")
    hour = "date_trunc('hour', ts)"
    cur = store.facility(con).cursor()
    try:
        rows = cur.execute(
            f"SELECT {hour} AS hour_ts, avg(it_kw), avg(facility_kw), avg(outdoor_temp_c) FROM {info.table} "
            f"WHERE outdoor_temp_c IS NOT NULL GROUP BY {hour} ORDER BY hour_ts"
        ).fetchall()
    finally:
        cur.close()
    if not rows:
        raise ValueError(
            f"meter {info.name!r} has no outdoor temperature; map a column to outdoor_temp_c when ingesting it"
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["ts"] = pd.to_datetime(frame["ts"])
    return frame


def meter_weather(con: Any, info: DatasetInfo) -> Weather:
    """The meter's outdoor temperature as weather (no humidity: dry plants only)."""
    from factorycore.weather import from_meter

    hours = meter_hours(con, info)
    return from_meter(hours[["ts", "outdoor_temp_c"]], name=f"{info.name} (meter)")


def meter_against_model(con: Any, info: DatasetInfo, architecture: str = METER_BENCHMARK, **options: Any) -> Any:
    """Measured PUE over the model's in the meter's own weather, by month (``climate.measured_against_model``)."""
    from factorycore.climate import measured_against_model

    hours = meter_hours(con, info).dropna(subset=["it_kw", "facility_kw"])
    if hours.empty:
        raise ValueError(f"meter {info.name!r} has no hour with both IT and facility power beside a temperature")
    return measured_against_model(hours, architecture, **options)
