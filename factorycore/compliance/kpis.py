"""A calendar year of meter data into the reporting quantities and KPIs (PUE, WUE, ERF, REF).

Energies are summed over the year first and divided after (ISO/IEC 30134-2: PUE is a ratio of
energies, never an average of interval ratios). Each stored row is one interval starting at
its timestamp, of the dataset's logging interval (the median spacing of its readings); a row's
energy is its mean kW times that interval. Missing intervals are counted, never filled.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from factorycore import store
from factorycore.userdata.catalog import DatasetInfo

ENERGY_FIELDS = ("facility_kw", "it_kw", "heat_reused_kw", "renewable_kw", "renewable_go_kw", "onsite_generation_kw")
VOLUME_FIELDS = ("water_m3", "fresh_water_m3")
TEMP_FIELDS = ("heat_reused_temp_c", "outdoor_temp_c")
GAP_FACTOR = 1.5
LITRES_PER_M3 = 1000.0


class ComplianceError(ValueError):
    """The data cannot give the year's figures without guessing; the message names the fix."""


@dataclass
class YearKpis:
    """The year's totals, KPIs and where each came from."""

    year: int
    site: str | None
    interval_s: float
    energy_kwh: dict[str, float | None]
    water_m3: float | None
    fresh_water_m3: float | None
    heat_reused_temp_c: float | None
    pue: float | None
    wue_l_per_kwh: float | None
    wue_fresh_l_per_kwh: float | None
    erf: float | None
    ref: float | None
    coverage_pct: float
    coverage_by_field: dict[str, float]
    missing_intervals: int
    gaps: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    messages: list[str] = field(default_factory=list)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January, next 1 January): the reporting period."""
    return datetime(year, 1, 1), datetime(year + 1, 1, 1)


def _read(con: duckdb.DuckDBPyConnection, info: DatasetInfo, year: int, site: str | None) -> pd.DataFrame:
    """The dataset's rows of the year (for one site when given), the stored columns the meter kind has."""
    if info.kind != "meter":
        raise ComplianceError(f"dataset {info.name!r} is a {info.kind} dataset; the figures come from meter datasets")
    wanted = [f.stored_column for f in info.spec.fields if f.stored_column not in ("ts", "site")]
    fac = store.facility(con)
    cur = fac.cursor()
    start, end = year_bounds(year)
    cols = ", ".join(f'"{c}"' for c in wanted)
    try:
        frame = cur.execute(
            f"SELECT ts, site, {cols} FROM {info.table} WHERE ts >= ? AND ts < ? "
            "AND (?::VARCHAR IS NULL OR site = ?) ORDER BY ts",
            [start, end, site, site],
        ).df()
    finally:
        cur.close()
    return frame


def _sites(frame: pd.DataFrame) -> list[str]:
    return sorted({str(s) for s in frame["site"].dropna().unique()})


def _interval_s(frame: pd.DataFrame, name: str) -> float:
    stamps = frame["ts"].drop_duplicates().sort_values()
    spacing = stamps.diff().dt.total_seconds().dropna()
    spacing = spacing[spacing > 0]
    if spacing.empty:
        raise ComplianceError(f"dataset {name!r} has fewer than two readings in the year: no interval can be formed")
    return float(spacing.median())


def _gaps(stamps: pd.Series, step_s: float, year: int) -> tuple[int, list[dict[str, Any]]]:
    """Missing intervals of the year (before the first reading, between readings, after the last)."""
    start, end = year_bounds(year)
    points = [pd.Timestamp(start) - pd.Timedelta(seconds=step_s), *sorted(stamps), pd.Timestamp(end)]
    missing, gaps = 0, []
    for a, b in zip(points, points[1:]):
        span = (b - a).total_seconds()
        if span >= GAP_FACTOR * step_s:
            n = int(round(span / step_s)) - 1
            missing += n
            gaps.append(
                {
                    "start": (a + pd.Timedelta(seconds=step_s)).isoformat(sep=" "),
                    "end": b.isoformat(sep=" "),
                    "missing_intervals": n,
                }
            )
    return missing, gaps


def _register_findings(datasets: list[DatasetInfo], year: int) -> list[str]:
    """What converting each dataset's energy registers found in the year: counter resets and bridged stretches."""
    found = []
    for info in datasets:
        for reg in (info.details.get("conversion") or {}).get("registers", []):
            resets = [r["at"] for r in reg.get("resets", []) if str(r["at"]).startswith(str(year))]
            bridged = [b for b in reg.get("bridged", []) if str(b["start"]).startswith(str(year))]
            where = f"{info.name}, {reg.get('channel')} register ({reg.get('column')})"
            if resets:
                found.append(
                    f"{where}: {len(resets)} counter reset(s) in {year} (first at {resets[0]}); "
                    "the interval across each is left out"
                )
            if bridged:
                found.append(
                    f"{where}: {len(bridged)} stretch(es) without readings bridged by the counter "
                    "(energy exact, spread evenly over the stretch)"
                )
    return found


def compute(
    con: duckdb.DuckDBPyConnection, datasets: list[DatasetInfo], year: int, site: str | None = None
) -> YearKpis:
    """The year's figures from one or more meter datasets (each quantity from exactly one of them)."""
    if not datasets:
        raise ComplianceError("name at least one meter dataset")
    frames = {info.name: _read(con, info, year, site) for info in datasets}
    if site is None:
        seen = sorted({s for f in frames.values() for s in _sites(f)})
        if len(seen) > 1:
            raise ComplianceError(f"the datasets hold several sites ({', '.join(seen)}); choose one with --site")
        site = seen[0] if seen else None
    owner: dict[str, str] = {}
    steps: dict[str, float] = {}
    sources: list[dict[str, Any]] = []
    merged: pd.DataFrame | None = None
    for info in datasets:
        frame = frames[info.name]
        if frame.empty:
            continue
        repeated = int(frame["ts"].duplicated().sum())
        if repeated:
            raise ComplianceError(
                f"dataset {info.name!r} has {repeated} repeated timestamps in {year}"
                + (f" for site {site}" if site else "")
                + "; their energy would count twice (choose one site with --site, or remove the repeats)"
            )
        steps[info.name] = _interval_s(frame, info.name)
        present = [c for c in frame.columns if c not in ("ts", "site") and frame[c].notna().any()]
        for column in present:
            if column in owner:
                raise ComplianceError(
                    f"{column} is in both {owner[column]!r} and {info.name!r} for {year}; "
                    "name only one dataset per quantity"
                )
            owner[column] = info.name
            rows = frame[frame[column].notna()]
            sources.append(
                {
                    "quantity": column,
                    "dataset": info.name,
                    "dataset_id": info.dataset_id,
                    "rows": int(len(rows)),
                    "first_ts": rows["ts"].min().isoformat(sep=" "),
                    "last_ts": rows["ts"].max().isoformat(sep=" "),
                }
            )
        part = frame.set_index("ts")[present]
        merged = part if merged is None else merged.join(part, how="outer")
    if merged is None or "facility_kw" not in owner:
        raise ComplianceError(
            f"no facility energy in {year}" + (f" for site {site}" if site else "") + ": the datasets hold no meter "
            "readings of that year (check the year and the datasets' time range)"
        )
    if len({round(s) for s in steps.values()}) > 1:
        shown = ", ".join(f"{n}: {s:g} s" for n, s in steps.items())
        raise ComplianceError(f"the datasets log at different intervals ({shown}); export them at one interval")
    step_s = next(iter(steps.values()))
    hours = step_s / 3600.0
    year_s = (366 if calendar.isleap(year) else 365) * 86400.0
    energy = {
        c.removesuffix("_kw") + "_kwh": (float(merged[c].sum() * hours) if c in owner else None) for c in ENERGY_FIELDS
    }
    volumes = {c: (float(merged[c].sum()) if c in owner else None) for c in VOLUME_FIELDS}
    coverage = {c: round(100.0 * merged[c].notna().sum() * step_s / year_s, 3) for c in owner}
    messages: list[str] = []
    e_fac, e_it = energy["facility_kwh"], energy["it_kwh"]
    pue = None
    if e_it is None:
        messages.append(
            "PUE needs IT energy: the meter data has facility energy only (add an it_kw column or an IT register)"
        )
    else:
        paired = merged[["facility_kw", "it_kw"]].dropna()
        if paired["it_kw"].sum() > 0:
            pue = float(paired["facility_kw"].sum() / paired["it_kw"].sum())
        if len(paired) < merged["facility_kw"].notna().sum():
            messages.append(
                f"PUE uses the {len(paired)} intervals with both facility and IT readings "
                f"({merged['facility_kw'].notna().sum()} have facility readings)"
            )
    wue = None
    if volumes["water_m3"] is not None:
        if e_it:
            wue = volumes["water_m3"] * LITRES_PER_M3 / e_it
        else:
            messages.append("WUE needs IT energy: water input is measured but IT energy is not")
    else:
        messages.append("WUE needs water input (water_m3): none in the meter data")
    fresh = volumes["fresh_water_m3"]
    wue_fresh = fresh * LITRES_PER_M3 / e_it if fresh is not None and e_it else None
    erf = energy["heat_reused_kwh"] / e_fac if energy["heat_reused_kwh"] is not None and e_fac else None
    ref = energy["renewable_kwh"] / e_fac if energy["renewable_kwh"] is not None and e_fac else None
    temp = None
    if "heat_reused_temp_c" in owner:
        rows = merged[[c for c in ("heat_reused_temp_c", "heat_reused_kw") if c in owner]].dropna()
        if "heat_reused_kw" in rows and rows["heat_reused_kw"].sum() > 0:  # weighted by the heat reused
            temp = float((rows["heat_reused_temp_c"] * rows["heat_reused_kw"]).sum() / rows["heat_reused_kw"].sum())
        else:
            temp = float(merged["heat_reused_temp_c"].mean())
    messages += _register_findings(datasets, year)
    missing, gaps = _gaps(merged.index[merged["facility_kw"].notna()].to_series(), step_s, year)
    basis = "facility_kw" if pue is None else "it_kw"
    cov = coverage["facility_kw"] if pue is None else min(coverage["facility_kw"], coverage[basis])
    if missing:
        messages.append(
            f"{missing} of {int(round(year_s / step_s))} intervals of {year} have no facility reading "
            f"({missing * hours:g} h); the totals cover the measured intervals only, nothing is filled in"
        )
    return YearKpis(
        year=year,
        site=site,
        interval_s=step_s,
        energy_kwh=energy,
        water_m3=volumes["water_m3"],
        fresh_water_m3=volumes["fresh_water_m3"],
        heat_reused_temp_c=temp,
        pue=pue,
        wue_l_per_kwh=wue,
        wue_fresh_l_per_kwh=wue_fresh,
        erf=erf,
        ref=ref,
        coverage_pct=cov,
        coverage_by_field=coverage,
        missing_intervals=missing,
        gaps=gaps[:50],
        sources=sources,
        messages=messages,
    )
