"""Energy registers into the meter kind: interval or cumulative kWh to mean kW per interval.

A logger's export (a Schneider Com'X-style CSV with gateway rows above the header, or any CSV
whose header row sits below a few lines of metadata) holds one register per column: energy in
Wh, kWh or MWh, either per interval or as a counter that only grows. This module reads such a
file, turns each register into intervals, and writes one meter-shaped CSV that
:func:`factorycore.userdata.ingest.ingest` then validates and stores like any other file.

Nothing is filled in silently. A counter that falls is a *reset*: the interval across it is
left out and reported. A stretch with no reading in interval data is a *gap*: reported with the
number of intervals missing, never interpolated. A cumulative counter read across a longer
stretch still knows the energy of that stretch: it is spread evenly over the stretch's intervals
and reported as *bridged* (the year's energy stays exact; only its timing within the stretch is
approximate).
"""

from __future__ import annotations

import csv
import io
import statistics
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from factorycore.userdata.detect import normalise_header

# The meter field each channel fills, and whether its register is energy (kWh -> mean kW) or volume (m³ as is).
CHANNELS: dict[str, str] = {
    "facility": "facility_kw",
    "it": "it_kw",
    "heat_reused": "heat_reused_kw",
    "renewable": "renewable_kw",
    "renewable_go": "renewable_go_kw",
    "onsite_generation": "onsite_generation_kw",
    "water": "water_m3",
    "fresh_water": "fresh_water_m3",
}
VOLUME_CHANNELS = frozenset({"water", "fresh_water"})
ENERGY_TO_KWH = {"wh": 0.001, "kwh": 1.0, "mwh": 1000.0}
VOLUME_TO_M3 = {"m3": 1.0, "m³": 1.0, "l": 0.001, "litre": 0.001, "liter": 0.001, "litres": 0.001}
GAP_FACTOR = 1.5  # a spacing this many nominal intervals or more is a gap
_TIME_HEADERS = ("local_time_stamp", "timestamp", "time", "datetime", "date_time", "zeitstempel", "date", "utc")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
MAX_BYTES = 200 * 1024**2


class EnergyFileError(ValueError):
    """The export cannot be read as an energy register; the message says what was expected."""


@dataclass
class Register:
    """One column of an export: readings at times (UTC where the file gives an offset)."""

    header: str
    unit: str
    times: list[datetime]
    values: list[float | None]
    source_file: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Intervals:
    """A register as intervals: start -> amount (kWh or m³), and what was found on the way."""

    channel: str
    interval_s: float
    amounts: dict[datetime, float]
    cumulative: bool
    gaps: list[dict[str, Any]] = field(default_factory=list)
    resets: list[dict[str, Any]] = field(default_factory=list)
    bridged: list[dict[str, Any]] = field(default_factory=list)
    bad_values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missing_intervals(self) -> int:
        """Intervals with no amount: gaps plus the intervals across each counter reset."""
        return sum(g["missing_intervals"] for g in self.gaps) + sum(r["missing_intervals"] for r in self.resets)

    def summary(self, source: Register) -> dict[str, Any]:
        """What the conversion found, for the dataset's details and the CLI."""
        return {
            "channel": self.channel,
            "field": CHANNELS[self.channel],
            "file": source.source_file,
            "column": source.header,
            "unit": source.unit,
            "register": "cumulative" if self.cumulative else "interval",
            "interval_s": self.interval_s,
            "intervals": len(self.amounts),
            "missing_intervals": self.missing_intervals,
            "gaps": self.gaps[:20],
            "resets": self.resets[:20],
            "bridged": self.bridged[:20],
            "bad_values": self.bad_values[:20],
        }


def _parse_time(text: str) -> datetime | None:
    text = text.strip().strip('"')
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        stamp = None
        for fmt in _TIME_FORMATS:
            try:
                stamp = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if stamp is not None and stamp.tzinfo is not None:
        stamp = (stamp - stamp.utcoffset()).replace(tzinfo=None)
    return stamp


def _parse_number(text: str) -> float | None:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if not t:
        return None
    if "," in t and "." not in t:
        t = t.replace(",", ".")
    elif "," in t and "." in t:  # thousands separators: the last mark is the decimal one
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def _unit_of(header: str) -> str | None:
    """'kwh' from 'Real Energy (kWh)', 'm3' from 'Water [m³]'; None when the header names no unit we read."""
    low = header.lower().replace("³", "3")
    for token in ("mwh", "kwh", "wh", "m3", "litres", "liter", "litre"):
        if f"({token})" in low or f"[{token}]" in low or low.endswith(f"_{token}") or low.endswith(f" {token}"):
            return token
    if "(l)" in low or "[l]" in low:
        return "l"
    return None


def _read_text(path: Path) -> str:
    if path.stat().st_size > MAX_BYTES:
        raise EnergyFileError(f"{path.name} is larger than {MAX_BYTES // 1024**2} MB")
    raw = path.read_bytes()
    for codec in ("utf-8-sig", "utf-16", "latin-1"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise EnergyFileError(f"{path.name} is not a text file")


def _delimiter(lines: Sequence[str]) -> str:
    sample = "\n".join(lines[:50])
    return max((";", "\t", ","), key=sample.count)


def _header_index(rows: list[list[str]]) -> int:
    """The header row: the first row naming a time column that is followed by a row with a time in it."""
    for i, row in enumerate(rows[:200]):
        names = [normalise_header(c)[0] for c in row]
        col = next((j for j, n in enumerate(names) if n in _TIME_HEADERS), None)
        if col is None:
            continue
        following = next((r for r in rows[i + 1 :] if any(c.strip() for c in r)), None)
        if following is not None and col < len(following) and _parse_time(following[col]) is not None:
            return i
    raise EnergyFileError(
        "no header row naming a time column (Timestamp, Local Time Stamp, Date...) followed by dated readings "
        "was found in the first 200 rows; expected an energy logger export (e.g. a Com'X CSV) or a CSV of "
        "timestamps and kWh"
    )


def read_export(path: str | Path) -> list[Register]:
    """Every energy or water column of an export, as registers (metadata rows above the header kept as metadata)."""
    path = Path(path)
    if not path.is_file():
        raise EnergyFileError(f"file {path.name} not found")
    lines = _read_text(path).splitlines()
    rows = list(csv.reader(lines, delimiter=_delimiter([ln for ln in lines if ln.strip()])))
    head = _header_index(rows)
    header = [c.strip() for c in rows[head]]
    names = [normalise_header(c)[0] for c in header]
    metadata: dict[str, str] = {}
    if head >= 2 and rows[0] and rows[1]:  # Com'X: a row of gateway headings, then its values
        metadata = {k.strip(): v.strip() for k, v in zip(rows[0], rows[1]) if k.strip()}
    time_col = next(j for j, n in enumerate(names) if n in _TIME_HEADERS)
    offset_col = next((j for j, n in enumerate(names) if n.startswith("utc_offset")), None)
    error_col = next((j for j, n in enumerate(names) if n == "error"), None)
    value_cols = [j for j, h in enumerate(header) if j not in (time_col, offset_col, error_col) and _unit_of(h)]
    if not value_cols:
        raise EnergyFileError(
            f"{path.name}: no column carries an energy or water unit (Wh, kWh, MWh, m3, L) in its header "
            f"(found {', '.join(repr(h[:30]) for h in header[:10])})"
        )
    times: list[datetime] = []
    values: dict[int, list[float | None]] = {j: [] for j in value_cols}
    flagged: list[bool] = []
    for row in rows[head + 1 :]:
        if not any(c.strip() for c in row) or time_col >= len(row):
            continue
        stamp = _parse_time(row[time_col])
        if stamp is None:
            continue
        if offset_col is not None and offset_col < len(row):
            minutes = _parse_number(row[offset_col])
            if minutes is not None:  # local time = UTC + offset, so UTC = local - offset
                stamp = stamp - timedelta(minutes=minutes)
        times.append(stamp)
        bad = error_col is not None and error_col < len(row) and (_parse_number(row[error_col]) or 0) != 0
        flagged.append(bad)
        for j in value_cols:
            values[j].append(None if bad or j >= len(row) else _parse_number(row[j]))
    if not times:
        raise EnergyFileError(f"{path.name}: the header row is followed by no dated readings")
    registers = []
    for j in value_cols:
        registers.append(
            Register(header[j], _unit_of(header[j]) or "", times, values[j], path.name, {**metadata, "row": str(head)})
        )
    return registers


def looks_cumulative(values: Sequence[float | None]) -> bool:
    """Whether a register is a counter: it almost never falls and its level dwarfs its steps."""
    seen = [v for v in values if v is not None]
    if len(seen) < 3:
        return False
    steps = [b - a for a, b in zip(seen, seen[1:])]
    rising = sum(1 for s in steps if s >= 0) / len(steps)
    positive = sorted(abs(s) for s in steps if s != 0)
    if not positive:
        return False
    return rising >= 0.9 and statistics.median(seen) > 20 * statistics.median(positive)


def nominal_interval_s(times: Sequence[datetime]) -> float:
    """The logging interval: the median spacing of consecutive readings."""
    spacing = [(b - a).total_seconds() for a, b in zip(times, times[1:]) if b > a]
    if not spacing:
        raise EnergyFileError("fewer than two distinct timestamps: no interval can be formed")
    return float(statistics.median(spacing))


def to_intervals(register: Register, channel: str, *, cumulative: bool | None = None, stamp: str = "end") -> Intervals:
    """The register as amounts per interval start (kWh for energy channels, m³ for water).

    ``stamp``: whether an interval register's timestamp marks the interval's 'end' (a logger's
    usual reading time) or its 'start'. A counter's readings bound the intervals between them.
    """
    if channel not in CHANNELS:
        raise EnergyFileError(f"unknown channel {channel!r}; expected {', '.join(CHANNELS)}")
    volume = channel in VOLUME_CHANNELS
    factors = VOLUME_TO_M3 if volume else ENERGY_TO_KWH
    if register.unit not in factors:
        kind = "a volume (m3 or L)" if volume else "an energy (Wh, kWh or MWh)"
        raise EnergyFileError(f"column {register.header!r} is in {register.unit or 'no unit'}; {channel} needs {kind}")
    factor = factors[register.unit]
    pairs = sorted((t, v) for t, v in zip(register.times, register.values))
    times = [t for t, _ in pairs]
    step_s = nominal_interval_s(times)
    step = timedelta(seconds=step_s)
    counter = looks_cumulative([v for _, v in pairs]) if cumulative is None else cumulative
    out = Intervals(channel, step_s, {}, counter)
    if counter:
        _counter_intervals(pairs, step, factor, out)
    else:
        _interval_amounts(pairs, step, factor, stamp, out)
    return out


def _counter_intervals(pairs: list[tuple[datetime, float | None]], step: timedelta, factor: float, out: Intervals):
    prev_t, prev_v = None, None
    for t, v in pairs:
        if v is None:
            continue
        if prev_t is not None and t > prev_t:
            n = max(1, round((t - prev_t) / step))
            delta = v - prev_v
            if delta < 0:
                out.resets.append({"at": t.isoformat(sep=" "), "before": prev_v, "after": v, "missing_intervals": n})
            else:
                amount = delta * factor / n
                for k in range(n):
                    out.amounts[prev_t + k * step] = amount
                if n > 1:
                    out.bridged.append(
                        {"start": prev_t.isoformat(sep=" "), "end": t.isoformat(sep=" "), "intervals": n}
                    )
        prev_t, prev_v = t, v


def _interval_amounts(
    pairs: list[tuple[datetime, float | None]], step: timedelta, factor: float, stamp: str, out: Intervals
) -> None:
    for t, v in pairs:
        start = t - step if stamp == "end" else t
        if v is None:
            out.bad_values.append({"at": t.isoformat(sep=" "), "problem": "no reading"})
            continue
        if v < 0:
            out.bad_values.append({"at": t.isoformat(sep=" "), "problem": f"negative amount {v:g}"})
            continue
        out.amounts[start] = v * factor
    starts = sorted(out.amounts)
    for a, b in zip(starts, starts[1:]):
        if (b - a) >= step * GAP_FACTOR:
            missing = round((b - a) / step) - 1
            out.gaps.append(
                {"start": (a + step).isoformat(sep=" "), "end": b.isoformat(sep=" "), "missing_intervals": missing}
            )


def write_meter_csv(channels: Iterable[Intervals], out: Path, site: str | None = None) -> int:
    """One meter CSV: a row per interval start, mean kW per energy channel, m³ per water channel; rows written."""
    channels = list(channels)
    steps = {round(c.interval_s) for c in channels}
    if len(steps) > 1:
        raise EnergyFileError(
            f"the registers log at different intervals ({', '.join(f'{s:g} s' for s in sorted(steps))}); "
            "export them at one interval"
        )
    hours = channels[0].interval_s / 3600.0
    fields = [CHANNELS[c.channel] for c in channels]
    if len(set(fields)) != len(fields):
        raise EnergyFileError("two registers were given for the same channel")
    starts = sorted(set().union(*(c.amounts for c in channels)))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["timestamp", "site", *fields])
    for start in starts:
        cells = []
        for c in channels:
            amount = c.amounts.get(start)
            if amount is None:
                cells.append("")
            elif c.channel in VOLUME_CHANNELS:
                cells.append(repr(amount))
            else:
                cells.append(repr(amount / hours))
        writer.writerow([start.isoformat(sep=" "), site or "", *cells])
    out.write_text(buf.getvalue(), encoding="utf-8")
    return len(starts)


def pick(registers: list[Register], column: str | None, channel: str) -> Register:
    """The register named ``column`` (header text, any case), or the only fitting one ('Real/Active Energy' first)."""
    if column:
        for r in registers:
            if r.header.lower() == column.lower():
                return r
        raise EnergyFileError(f"no column {column!r}; the file has {', '.join(repr(r.header) for r in registers)}")
    wanted = VOLUME_TO_M3 if channel in VOLUME_CHANNELS else ENERGY_TO_KWH
    fitting = [r for r in registers if r.unit in wanted]
    preferred = [r for r in fitting if any(w in r.header.lower() for w in ("real energy", "active energy"))]
    chosen = preferred or fitting
    if len(chosen) == 1:
        return chosen[0]
    if not chosen:
        raise EnergyFileError(f"no column of the file suits {channel}")
    raise EnergyFileError(
        f"several columns suit {channel} ({', '.join(repr(r.header) for r in chosen)}); name one with FILE:COLUMN"
    )


def convert(
    sources: Sequence[tuple[str, str | Path, str | None]],
    *,
    site: str | None = None,
    register: str = "auto",
    stamp: str = "end",
    workdir: Path | None = None,
) -> tuple[Path, list[dict[str, Any]]]:
    """(meter CSV, what each register showed) from (channel, file, column-or-None) triples."""
    if register not in ("auto", "cumulative", "interval"):
        raise EnergyFileError(f"register must be auto, cumulative or interval, not {register!r}")
    if stamp not in ("end", "start"):
        raise EnergyFileError(f"stamp must be end or start, not {stamp!r}")
    if not any(ch == "facility" for ch, _, _ in sources):
        raise EnergyFileError("the facility register is required (the meter kind stores facility power)")
    cumulative = None if register == "auto" else register == "cumulative"
    converted, summaries = [], []
    for channel, path, column in sources:
        reg = pick(read_export(path), column, channel)
        # A Com'X logs its energy topics as counters (its manual's sample rows grow steadily).
        counter = cumulative if cumulative is not None else (True if "Gateway Name" in reg.metadata else None)
        iv = to_intervals(reg, channel, cumulative=counter, stamp=stamp)
        converted.append(iv)
        summaries.append(iv.summary(reg))
    folder = workdir or Path(tempfile.mkdtemp(prefix="factory-energy-"))
    out = folder / "meter_from_energy.csv"
    write_meter_csv(converted, out, site)
    return out, summaries


def ingest_registers(
    con: Any,
    files: Sequence[tuple[str, str, bytes, str | None]],
    *,
    name: str,
    workspace: str | None = None,
    site: str | None = None,
    register: str = "auto",
    stamp: str = "end",
    owner: str | None = None,
) -> tuple[Any, list[dict[str, Any]]]:
    """Store exports given as (channel, file name, bytes, column-or-None) as one meter dataset.

    The page's path (uploads arrive as bytes) and the CLI's share it: the registers become one
    meter CSV, and ingest validates and stores it with what the conversion found in its details.
    Raises :class:`EnergyFileError` for an export it cannot read; nothing is stored then.
    """
    from factorycore.userdata import catalog, formats, ingest  # noqa: PLC0415 - ingest loads DuckDB

    with tempfile.TemporaryDirectory(prefix="factory-energy-") as work:
        folder = Path(work)
        sources = []
        for i, (channel, filename, data, column) in enumerate(files):
            path = folder / f"{i}-{Path(filename).name or 'export.csv'}"
            path.write_bytes(data)
            sources.append((channel, path, column))
        csv_path, summaries = convert(sources, site=site, register=register, stamp=stamp, workdir=folder)
        conversion = formats.Conversion(csv_path, "energy registers", details={"registers": summaries}, kind="meter")
        result = ingest.ingest(
            con,
            csv_path,
            kind="meter",
            name=name,
            workspace=workspace or catalog.SHARED,
            source_file=Path(files[0][1]).name,
            conversion=conversion,
            owner=owner,
        )
    return result, summaries
