"""Hourly outdoor weather in: EPW, TMY3, TMY2, a plain CSV, a meter's outdoor temperature, or a bundled station.

Every reader returns a :class:`Weather`: hourly dry bulb, humidity ratio and pressure,
with the wet bulb and dew point computed once (:mod:`factorycore.psychrometrics`), and
the station's name and provenance. A weather with no humidity (a meter that logs only
temperature) says so (``humidity_known`` False); the plant model then refuses the
architectures that need a wet bulb instead of guessing one.

Formats, as their publishers define them:

- EPW (EnergyPlus weather): 8 header lines (the first is ``LOCATION,city,state,country,
  source,WMO,lat,lon,tz,elevation``), then one row per hour: year, month, day, hour 1-24,
  minute, flags, dry bulb C, dew point C, RH %, pressure Pa, ...
- TMY3 (NREL, Wilcox and Marion 2008): a metadata line (USAF, name, state, tz, lat, lon,
  elevation), a header line, then hourly rows with ``Dry-bulb (C)``, ``Dew-point (C)``,
  ``RHum (%)`` and ``Pressure (mbar)``.
- TMY2 (NREL, Marion and Urban 1995): fixed-width, dry bulb and dew point in tenths of C,
  RH %, pressure mbar, at the columns of the TMY2 user's manual.
- CSV: a header with a timestamp column and a dry-bulb column in C, and optionally
  relative humidity % or dew point C, and pressure Pa (names in :data:`CSV_COLUMNS`).

Files may be gzipped (``.gz``). Timestamps of a typical year mix source years; they are
kept as month/day/hour and the weather counts as one year.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from factorycore import psychrometrics as ps

if TYPE_CHECKING:
    import pandas as pd

WEATHER_DIR = Path(__file__).resolve().parent.parent / "data" / "weather"
STATIONS_FILE = WEATHER_DIR / "stations.csv"

# Physically possible outdoor values; a file outside them is refused, never clipped.
DRY_BULB_RANGE_C = (-70.0, 60.0)
MIN_HOURS = 24
# Accepted CSV column names (lower case) for each quantity.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "ts": ("ts", "timestamp", "time", "datetime", "date_time", "date"),
    "dry_bulb_c": ("dry_bulb_c", "drybulb_c", "temp_c", "temperature_c", "outdoor_temp_c", "t_c", "dry_bulb"),
    "rh_pct": ("rh_pct", "rh", "relative_humidity", "relative_humidity_pct", "humidity_pct"),
    "dew_point_c": ("dew_point_c", "dewpoint_c", "dew_point", "td_c"),
    "pressure_pa": ("pressure_pa", "pressure", "p_pa", "station_pressure_pa"),
}


class WeatherError(ValueError):
    """A weather file or frame the model cannot read with certainty; the message names the fix."""


@dataclass(frozen=True)
class Weather:
    """One station's hourly weather and where it came from."""

    station: str
    name: str
    source_id: str
    month: np.ndarray  # 1-12 per hour
    hour: np.ndarray  # 0-23 per hour
    year: np.ndarray  # calendar year per hour (a typical year counts as one)
    dry_bulb_c: np.ndarray
    humidity_ratio: np.ndarray  # kg/kg; NaN where unknown
    pressure_pa: np.ndarray
    humidity_known: bool = True
    latitude: float | None = None
    longitude: float | None = None
    elevation_m: float | None = None
    note: str = ""
    typical_year: bool = False  # a typical year (TMY, EPW) mixes source years and stands for any year
    wet_bulb_c: np.ndarray = field(init=False, repr=False, compare=False)
    dew_point_c: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.humidity_known:
            wet = ps.wet_bulb_c(self.dry_bulb_c, self.humidity_ratio, self.pressure_pa)
            dew = ps.dew_point_c(self.dry_bulb_c, self.humidity_ratio, self.pressure_pa)
        else:
            wet = dew = np.full_like(self.dry_bulb_c, np.nan)
        object.__setattr__(self, "wet_bulb_c", wet)
        object.__setattr__(self, "dew_point_c", dew)

    @property
    def fingerprint(self) -> str:
        """A short hash of the hours' values: two weathers with the same fingerprint plan alike (cache keys)."""
        import hashlib

        digest = hashlib.sha1(usedforsecurity=False)
        for part in (self.month, self.hour, self.year, self.dry_bulb_c, self.humidity_ratio, self.pressure_pa):
            digest.update(np.ascontiguousarray(part).tobytes())
        return f"{self.station}:{digest.hexdigest()[:16]}"

    @property
    def hours(self) -> int:
        """How many hours the weather holds."""
        return int(self.dry_bulb_c.size)

    @property
    def years(self) -> tuple[int, ...]:
        """The distinct calendar years, in order (one for a typical year)."""
        return tuple(int(y) for y in np.unique(self.year))

    def for_year(self, year: int) -> Weather:
        """The hours of one calendar year only."""
        mask = self.year == year
        if not mask.any():
            raise WeatherError(f"{self.name} has no hours in {year}; its years are {', '.join(map(str, self.years))}")
        return _subset(self, mask)

    def shifted(self, delta_k: float = 0.0, humidity_factor: float = 1.0) -> Weather:
        """The same hours, delta_k warmer and with the humidity ratio scaled (for tests and what-ifs).

        The humidity ratio is capped at saturation at the new dry bulb.
        """
        dry = self.dry_bulb_c + delta_k
        w = np.minimum(self.humidity_ratio * humidity_factor, ps.saturation_humidity_ratio(dry, self.pressure_pa))
        return Weather(
            self.station,
            self.name,
            self.source_id,
            self.month,
            self.hour,
            self.year,
            dry,
            w,
            self.pressure_pa,
            self.humidity_known,
            self.latitude,
            self.longitude,
            self.elevation_m,
            self.note,
            self.typical_year,
        )


def _subset(weather: Weather, mask: np.ndarray) -> Weather:
    return Weather(
        weather.station,
        weather.name,
        weather.source_id,
        weather.month[mask],
        weather.hour[mask],
        weather.year[mask],
        weather.dry_bulb_c[mask],
        weather.humidity_ratio[mask],
        weather.pressure_pa[mask],
        weather.humidity_known,
        weather.latitude,
        weather.longitude,
        weather.elevation_m,
        weather.note,
        weather.typical_year,
    )


def _check_dry_bulb(values: np.ndarray, where: str) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    if values.size < MIN_HOURS:
        raise WeatherError(f"{where} holds {values.size} hours; at least {MIN_HOURS} are needed")
    bad = ~np.isfinite(values) | (values < DRY_BULB_RANGE_C[0]) | (values > DRY_BULB_RANGE_C[1])
    if bad.any():
        first = int(np.argmax(bad))
        raise WeatherError(
            f"{where}: {int(bad.sum())} dry-bulb values are missing or outside {DRY_BULB_RANGE_C[0]:g} to "
            f"{DRY_BULB_RANGE_C[1]:g} C (first at row {first + 1}: {values[first]!r}); fix or remove those rows"
        )
    return values


def _humidity(
    dry: np.ndarray, pressure: np.ndarray, rh_pct: np.ndarray | None, dew_c: np.ndarray | None, where: str
) -> tuple[np.ndarray, bool]:
    """Humidity ratio from RH (preferred, as a file's RH is what was measured) or dew point."""
    if rh_pct is not None:
        rh = np.asarray(rh_pct, dtype=np.float64)
        bad = ~np.isfinite(rh) | (rh < 0) | (rh > 100)
        if bad.any():
            raise WeatherError(f"{where}: {int(bad.sum())} relative-humidity values are missing or outside 0-100 %")
        return ps.humidity_ratio_from_rh(dry, rh, pressure), True
    if dew_c is not None:
        dew = np.asarray(dew_c, dtype=np.float64)
        bad = ~np.isfinite(dew) | (dew > dry + 0.5) | (dew < -90)
        if bad.any():
            raise WeatherError(f"{where}: {int(bad.sum())} dew points are missing or above the dry bulb")
        return ps.humidity_ratio_from_dew_point(np.minimum(dew, dry), pressure), True
    return np.full_like(dry, np.nan), False


def _pressure(values: np.ndarray | None, n: int, elevation_m: float | None, where: str) -> np.ndarray:
    if values is None:
        return np.full(n, float(ps.standard_pressure_pa(elevation_m or 0.0)))
    p = np.asarray(values, dtype=np.float64)
    bad = ~np.isfinite(p) | (p < 30_000) | (p > 110_000)
    if bad.any():
        raise WeatherError(f"{where}: {int(bad.sum())} pressures are missing or outside 30,000-110,000 Pa")
    return p


def _open_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", errors="replace")


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_epw(path: str | Path, *, station: str | None = None, source_id: str = "user_file") -> Weather:
    """An EnergyPlus weather file (EPW)."""
    path = Path(path)
    text = _open_text(path)
    lines = text.splitlines()
    if not lines or not lines[0].upper().startswith("LOCATION"):
        raise WeatherError(f"{path.name} is not an EPW file: its first line does not start with LOCATION")
    loc = lines[0].split(",")
    rows = list(csv.reader(lines[8:]))
    rows = [r for r in rows if len(r) >= 10]
    try:
        year = np.array([int(r[0]) for r in rows])
        month = np.array([int(r[1]) for r in rows])
        hour = np.array([int(r[3]) - 1 for r in rows])  # EPW hour 1-24 ends the interval
        dry = np.array([float(r[6]) for r in rows])
        dew = np.array([float(r[7]) for r in rows])
        rh = np.array([float(r[8]) for r in rows])
        p = np.array([float(r[9]) for r in rows])
    except ValueError as exc:
        raise WeatherError(f"{path.name}: an hourly row is not numeric ({exc})") from None
    where = path.name
    dry = _check_dry_bulb(np.where(dry >= 99.9, np.nan, dry), where)
    elevation = _float(loc[9]) if len(loc) > 9 else None
    p = np.where(p >= 999_999, np.nan, p)
    pressure = _pressure(p if np.isfinite(p).all() else None, dry.size, elevation, where)
    rh_ok = np.isfinite(rh).all() and (rh <= 100).all()
    w, known = _humidity(dry, pressure, rh if rh_ok else None, None if rh_ok else dew, where)
    name = ", ".join(x for x in (loc[1], loc[2], loc[3]) if x and x not in ("-", "unknown")) or path.stem
    typical = len(set(year.tolist())) > 1 and len(year) <= 8784  # one year's hours from several source years
    return Weather(
        station or path.stem,
        name,
        source_id,
        month,
        hour,
        np.full_like(year, year[0]) if typical else year,
        dry,
        w,
        pressure,
        known,
        _float(loc[6]) if len(loc) > 6 else None,
        _float(loc[7]) if len(loc) > 7 else None,
        elevation,
        typical_year=typical,
    )


def read_tmy3(path: str | Path, *, station: str | None = None, source_id: str = "user_file") -> Weather:
    """An NREL TMY3 file (metadata line, header line, hourly rows)."""
    path = Path(path)
    lines = _open_text(path).splitlines()
    meta = next(csv.reader([lines[0]])) if lines else []
    header = next(csv.reader([lines[1]])) if len(lines) > 1 else []
    needed = ("Date (MM/DD/YYYY)", "Time (HH:MM)", "Dry-bulb (C)", "Dew-point (C)", "RHum (%)", "Pressure (mbar)")
    missing = [c for c in needed if c not in header]
    if len(meta) < 7 or missing:
        raise WeatherError(f"{path.name} is not a TMY3 file (missing {', '.join(missing) or 'the metadata line'})")
    idx = {c: header.index(c) for c in needed}
    rows = [r for r in csv.reader(lines[2:]) if len(r) > idx["Pressure (mbar)"]]
    month = np.array([int(r[idx["Date (MM/DD/YYYY)"]][:2]) for r in rows])
    hour = np.array([int(r[idx["Time (HH:MM)"]][:2]) - 1 for r in rows])  # hour ending 01:00-24:00
    dry = _check_dry_bulb(np.array([float(r[idx["Dry-bulb (C)"]]) for r in rows]), path.name)
    rh = np.array([float(r[idx["RHum (%)"]]) for r in rows])
    pressure = _pressure(np.array([float(r[idx["Pressure (mbar)"]]) for r in rows]) * 100.0, dry.size, None, path.name)
    w, known = _humidity(dry, pressure, rh, None, path.name)
    year = int(lines[2].split(",")[0][-4:]) if len(lines) > 2 else 0
    return Weather(
        station or str(meta[0]),
        f"{meta[1].strip().title()}, {meta[2]}",
        source_id,
        month,
        hour,
        np.full(month.size, year),
        dry,
        w,
        pressure,
        known,
        _float(meta[4]),
        _float(meta[5]),
        _float(meta[6]),
        typical_year=True,
    )


# TMY2 field widths (user's manual for TMY2s, Marion and Urban 1995), from the start of the
# row after one blank column: year, month, day, hour, then the radiation and weather fields.
_TMY2_WIDTHS = [2, 2, 2, 2, 4, 4, 4, 1, 1, 4, 1, 1, 4, 1, 1, 4, 1, 1, 4, 1, 1, 4, 1, 1, 4, 1, 1]
_TMY2_WIDTHS += [2, 1, 1, 2, 1, 1, 4, 1, 1, 4, 1, 1, 3, 1, 1, 4, 1, 1]
_TMY2_FIELDS = {"month": 1, "hour": 3, "dry_bulb": 33, "dew_point": 36, "rh": 39, "pressure": 42}


def _tmy2_slices() -> dict[str, slice]:
    starts = np.concatenate([[1], 1 + np.cumsum(_TMY2_WIDTHS)])
    return {name: slice(int(starts[i]), int(starts[i] + _TMY2_WIDTHS[i])) for name, i in _TMY2_FIELDS.items()}


def read_tmy2(path: str | Path, *, station: str | None = None, source_id: str = "user_file") -> Weather:
    """An NREL TMY2 file (fixed-width)."""
    path = Path(path)
    lines = _open_text(path).splitlines()
    if len(lines) < MIN_HOURS + 1:
        raise WeatherError(f"{path.name} is too short for a TMY2 file")
    head = lines[0].split()
    cut = _tmy2_slices()
    try:
        rows = lines[1:]
        month = np.array([int(r[cut["month"]]) for r in rows])
        hour = np.array([int(r[cut["hour"]]) - 1 for r in rows])
        dry = np.array([int(r[cut["dry_bulb"]]) / 10.0 for r in rows])
        rh = np.array([float(r[cut["rh"]]) for r in rows])
        pressure = np.array([float(r[cut["pressure"]]) * 100.0 for r in rows])
        lat = (float(head[-6]) + float(head[-5]) / 60) * (1 if head[-7] == "N" else -1)
        lon = (float(head[-3]) + float(head[-2]) / 60) * (1 if head[-4] == "E" else -1)
        elevation = float(head[-1])
    except (ValueError, IndexError):
        raise WeatherError(f"{path.name} is not a TMY2 file (fixed-width fields did not read as numbers)") from None
    dry = _check_dry_bulb(dry, path.name)
    pressure = _pressure(pressure, dry.size, elevation, path.name)
    w, known = _humidity(dry, pressure, rh, None, path.name)
    name = " ".join(h for h in head[1:-10]).title() + (f", {head[-10]}" if len(head) > 10 else "")
    return Weather(
        station or head[0],
        name,
        source_id,
        month,
        hour,
        np.full(month.size, 1900 + int(lines[1][1:3])),
        dry,
        w,
        pressure,
        known,
        lat,
        lon,
        elevation,
        typical_year=True,
    )


def _pick(columns: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def from_frame(
    frame: pd.DataFrame,
    *,
    station: str = "uploaded",
    name: str = "uploaded weather",
    source_id: str = "user_file",
    elevation_m: float | None = None,
) -> Weather:
    """Weather from a DataFrame of (ts, dry_bulb_c[, rh_pct | dew_point_c][, pressure_pa]).

    This is how a plain CSV and a meter dataset with an outdoor temperature become
    weather: one call. Readings more often than hourly are averaged to hours; hours with
    no reading are left out (the annual figures then cover the hours given, and say how many).
    """
    import pandas as pd

    columns = [str(c) for c in frame.columns]
    picked = {key: _pick(columns, names) for key, names in CSV_COLUMNS.items()}
    if picked["ts"] is None or picked["dry_bulb_c"] is None:
        raise WeatherError(
            f"{name}: needs a timestamp column ({', '.join(CSV_COLUMNS['ts'][:3])}) and a dry-bulb column in C "
            f"({', '.join(CSV_COLUMNS['dry_bulb_c'][:3])}); found {', '.join(columns) or 'no columns'}"
        )
    ts = pd.to_datetime(frame[picked["ts"]], errors="coerce", utc=False, format="ISO8601")
    if ts.isna().any():
        raise WeatherError(f"{name}: {int(ts.isna().sum())} timestamps could not be read; use ISO 8601")
    if getattr(ts.dt, "tz", None) is not None:
        ts = ts.dt.tz_localize(None)
    data = pd.DataFrame({"ts": ts.dt.floor("h")})
    for key in ("dry_bulb_c", "rh_pct", "dew_point_c", "pressure_pa"):
        if picked[key] is not None:
            data[key] = pd.to_numeric(frame[picked[key]], errors="coerce")
    _check_dry_bulb(data["dry_bulb_c"].to_numpy(), name)
    hourly = data.groupby("ts", sort=True).mean()
    dry = _check_dry_bulb(hourly["dry_bulb_c"].to_numpy(), name)
    pressure = _pressure(
        hourly["pressure_pa"].to_numpy() if "pressure_pa" in hourly else None, dry.size, elevation_m, name
    )
    w, known = _humidity(
        dry,
        pressure,
        hourly["rh_pct"].to_numpy() if "rh_pct" in hourly else None,
        hourly["dew_point_c"].to_numpy() if "dew_point_c" in hourly else None,
        name,
    )
    index = hourly.index
    return Weather(
        station,
        name,
        source_id,
        index.month.to_numpy(),
        index.hour.to_numpy(),
        index.year.to_numpy(),
        dry,
        w,
        pressure,
        known,
        elevation_m=elevation_m,
        note="" if known else "no humidity column: wet-bulb architectures are refused",
    )


def from_meter(frame: pd.DataFrame, *, name: str = "meter", elevation_m: float | None = None) -> Weather:
    """A meter dataset's outdoor readings as weather: a frame of (ts, outdoor_temp_c or dry_bulb_c[, rh_pct]).

    What My facility calls with its meter rows; a meter without humidity gives a weather that
    says so, and the plants that need a wet bulb are refused on it.
    """
    return from_frame(frame, station="meter", name=name, source_id="user_meter", elevation_m=elevation_m)


def read_csv(path: str | Path, *, station: str | None = None, source_id: str = "user_file") -> Weather:
    """A plain CSV: timestamp, dry bulb C, and optionally RH % or dew point C, and pressure Pa."""
    import pandas as pd

    path = Path(path)
    try:
        frame = pd.read_csv(io.StringIO(_open_text(path)))
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise WeatherError(f"{path.name} is not a readable CSV ({exc})") from None
    return from_frame(frame, station=station or path.stem, name=path.stem, source_id=source_id)


def detect_format(path: str | Path) -> str:
    """'epw', 'tmy3', 'tmy2' or 'csv', from the file's first lines."""
    path = Path(path)
    raw = path.read_bytes()[:4096]
    if raw[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as handle:
            raw = handle.read(4096)
    text = raw.decode("utf-8", errors="replace")
    first, _, rest = text.partition("\n")
    if first.upper().startswith("LOCATION,"):
        return "epw"
    if "Dry-bulb (C)" in rest.partition("\n")[0]:
        return "tmy3"
    second = rest.partition("\n")[0]
    if len(second) > 100 and second[1:9].isdigit() and "," not in second:
        return "tmy2"
    return "csv"


READERS = {"epw": read_epw, "tmy3": read_tmy3, "tmy2": read_tmy2, "csv": read_csv}


def read_weather(path: str | Path, *, station: str | None = None, source_id: str = "user_file") -> Weather:
    """Any supported weather file, its format detected from its first lines."""
    path = Path(path)
    if not path.is_file():
        raise WeatherError(f"no weather file at {path}; give a file path or one of the stations ({station_ids()})")
    return READERS[detect_format(path)](path, station=station, source_id=source_id)


@dataclass(frozen=True)
class Station:
    """A bundled typical year: its id, file, format, and the row that says where it came from."""

    station: str
    name: str
    file: str
    format: str
    climate: str
    source_id: str
    status: str
    note: str
    sha256_uncompressed: str = ""


def stations() -> dict[str, Station]:
    """The bundled stations (data/weather/stations.csv), keyed by id."""
    with STATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["station"]: Station(**row) for row in csv.DictReader(handle)}


def station_ids() -> str:
    """The bundled station ids, comma-separated (for messages)."""
    return ", ".join(stations())


_CACHE: dict[str, Weather] = {}


def load_station(station: str) -> Weather:
    """A bundled station's typical year (read once per process)."""
    known = stations()
    if station not in known:
        raise WeatherError(f"unknown station {station!r}; choose one of {', '.join(known)}")
    if station not in _CACHE:
        s = known[station]
        weather = READERS[s.format](WEATHER_DIR / s.file, station=s.station, source_id=s.source_id)
        _CACHE[station] = Weather(
            weather.station,
            s.name,
            s.source_id,
            weather.month,
            weather.hour,
            weather.year,
            weather.dry_bulb_c,
            weather.humidity_ratio,
            weather.pressure_pa,
            weather.humidity_known,
            weather.latitude,
            weather.longitude,
            weather.elevation_m,
            s.note,
            weather.typical_year,
        )
    return _CACHE[station]


def resolve(spec: str | Path) -> Weather:
    """A station id or a weather file path (what ``--weather`` and the planner's site take)."""
    text = str(spec)
    if text in stations():
        return load_station(text)
    return read_weather(text)
