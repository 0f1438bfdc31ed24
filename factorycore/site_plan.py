"""Planner inputs measured at the operator's own site, each with where it came from.

The planner (:mod:`factorycore.planner`) asks for an IT load, a PUE, a utilisation and
a site capacity. An operator with a meter export, power telemetry or a rack inventory
has measured those; :func:`site_inputs` reads them from stored datasets, in DuckDB:

- **IT load today** (``target_it_mw``): the 95th percentile of the meter's ``it_kw``, or
  of the telemetry's site total per bucket (each rack the sum of its sources, each source's
  mean in the bucket, racks summed: :mod:`factorycore.userdata.rack_power`). p95, not the peak:
  one spike should not size a plan.
- **PUE**: the meter's energy-weighted PUE, sum(facility_kw) / sum(it_kw) over the period.
- **Utilisation**: the planner's utilisation is the average share of *its* IT load drawn
  over the year, and its IT load here is today's p95; so utilisation = mean / p95 of the
  same series, which makes the planner's annual energy the site's measured mean load x
  8,760 h. With an inventory beside telemetry, the telemetry's mean over the racks'
  nameplate (design kW) is reported too (``nameplate_utilisation``), for reading only.
- **Capacity** (``capacity_mw``, facility MW as the runway compares it): the inventory's
  allocated design kW x the PUE used (the measured one, else the planner's current one).

Every value is a :class:`MeasuredInput` naming its dataset, the period and the method,
so the page can say which inputs came from the site.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import duckdb

from factorycore import store
from factorycore.planner import KW_PER_MW, LIMITS, PlanInputs, PlanResult
from factorycore.userdata import rack_power
from factorycore.userdata.catalog import DatasetError, DatasetInfo


@dataclass(frozen=True)
class MeasuredInput:
    """One planner input measured at the site: its value (in the planner's unit) and provenance."""

    field: str  # PlanInputs field, or 'nameplate_utilisation' (shown, not applied)
    label: str
    value: float
    dataset: str
    period_start: dt.datetime | None
    period_end: dt.datetime | None
    method: str

    def describe(self) -> str:
        """'PUE 1.31 from meter "m1", 2026-01-01 to 2026-01-31: energy-weighted ...' for the page."""
        period = (
            f", {self.period_start:%Y-%m-%d %H:%M} to {self.period_end:%Y-%m-%d %H:%M} UTC"
            if self.period_start is not None and self.period_end is not None
            else ""
        )
        return f"{self.label} from {self.dataset!r}{period}: {self.method}"


@dataclass(frozen=True)
class SiteInputs:
    """The measured inputs found, and those that could not be measured (with the reason)."""

    measured: tuple[MeasuredInput, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...] = ()  # what the page must say about the datasets together (no rack in common)

    def value(self, name: str) -> float | None:
        """The measured value of one input (None when not measured)."""
        return next((m.value for m in self.measured if m.field == name), None)

    def apply(self, inputs: PlanInputs) -> PlanInputs:
        """``inputs`` with every measured planner field replaced, clamped to the planner's limits."""
        changes: dict[str, Any] = {}
        for m in self.measured:
            if m.field in LIMITS:
                limit = LIMITS[m.field]
                changes[m.field] = min(max(m.value, limit.low), limit.high)
        return replace(inputs, **changes)


def _one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> tuple:
    cur = store.facility(con).cursor()
    try:
        return cur.execute(sql, params or []).fetchone()
    finally:
        cur.close()


def _load(
    info: DatasetInfo, start: dt.datetime, end: dt.datetime, p95: float, mean: float, series: str
) -> list[MeasuredInput]:
    """Today's IT load (the series' p95) and the utilisation of it (mean over p95), one rule for every source."""
    return [
        MeasuredInput(
            "target_it_mw",
            "IT load today",
            p95 / KW_PER_MW,
            info.name,
            start,
            end,
            f"95th percentile of {series}, {p95:,.1f} kW",
        ),
        MeasuredInput(
            "utilization",
            "Utilisation",
            mean / p95,
            info.name,
            start,
            end,
            f"mean of {series}, {mean:,.1f} kW, over its p95 {p95:,.1f} kW",
        ),
    ]


def _meter(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> list[MeasuredInput]:
    p95, mean, pue, start, end = _one(
        con,
        "SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY it_kw), avg(it_kw), "
        f"sum(facility_kw) / NULLIF(sum(it_kw), 0), min(ts), max(ts) FROM {info.table}",
    )
    if not p95:
        return []
    found = _load(info, start, end, p95, mean, "the meter's IT power")
    if pue:
        found.append(
            MeasuredInput(
                "pue", "PUE", pue, info.name, start, end, "energy-weighted: sum of facility power over sum of IT power"
            )
        )
    return found


def _telemetry(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    inventory: DatasetInfo | None,
    host_map: DatasetInfo | None = None,
) -> list[MeasuredInput]:
    b = rack_power.basis(con, info, host_map=host_map)
    site = rack_power.site_figures(con, b)
    p95, mean = site["site_p95_kw"], site["site_mean_kw"]
    start, end = rack_power.period(con, info)
    if not p95:
        return []
    found = _load(
        info,
        start,
        end,
        p95,
        mean,
        f"the site's total power ({b.bucket_label} buckets; each {b.level} the sum of its sources, {b.level}s summed)",
    )
    if inventory is not None and b.level == rack_power.LEVEL_RACK:
        sql, params = rack_power.rack_buckets_sql(con, b)
        drawn, nameplate = _one(
            con,
            f"SELECT sum(t.kw), sum(i.design_kw) FROM (SELECT rack_id, avg(kw) AS kw FROM ({sql}) rb "
            f"GROUP BY rack_id) t JOIN {inventory.table} i ON i.rack_id = t.rack_id",
            params,
        )
        if nameplate:
            found.append(
                MeasuredInput(
                    "nameplate_utilisation",
                    "Utilisation of nameplate",
                    drawn / nameplate,
                    info.name,
                    start,
                    end,
                    f"racks' mean draw {drawn:,.1f} kW over their design kW {nameplate:,.1f} in {inventory.name!r} "
                    "(shown for reading; the planner's utilisation is of today's load)",
                )
            )
    return found


def _shared_racks(con: duckdb.DuckDBPyConnection, telemetry: DatasetInfo, inventory: DatasetInfo) -> tuple[int, int]:
    """(racks of the telemetry that the inventory lists, racks the telemetry has)."""
    shared, total = _one(
        con,
        f"SELECT count(i.rack_id), count(*) FROM (SELECT DISTINCT rack_id FROM {telemetry.table}) t "
        f"LEFT JOIN (SELECT DISTINCT rack_id FROM {inventory.table}) i USING (rack_id)",
    )
    return int(shared or 0), int(total or 0)


def _overlap_note(con: duckdb.DuckDBPyConnection, telemetry: DatasetInfo, inventory: DatasetInfo) -> str | None:
    """What to say when a telemetry and an inventory do not describe the same racks."""
    if rack_power.level_of(telemetry) != rack_power.LEVEL_RACK:
        return (
            f"{telemetry.name!r} names nodes, not racks, so its readings cannot be matched with the racks of "
            f"{inventory.name!r}: the utilisation of nameplate is not measured."
        )
    shared, total = _shared_racks(con, telemetry, inventory)
    if shared == total:
        return None
    if shared == 0:
        return (
            f"{telemetry.name!r} and {inventory.name!r} share no rack (none of the telemetry's {total:,} rack ids "
            "is in the inventory): they may describe different sites, so the load and the capacity taken from "
            "them do not describe one site, and the utilisation of nameplate is not measured."
        )
    return (
        f"{telemetry.name!r} and {inventory.name!r} share {shared:,} of the telemetry's {total:,} racks: the "
        "utilisation of nameplate is of those racks only."
    )


def site_inputs(
    con: duckdb.DuckDBPyConnection,
    *,
    meter: DatasetInfo | None = None,
    telemetry: DatasetInfo | None = None,
    inventory: DatasetInfo | None = None,
    current_pue: float | None = None,
) -> SiteInputs:
    """What the given datasets measure of the planner's inputs (the meter wins over telemetry for the load).

    ``current_pue`` converts the inventory's allocated IT kW to facility MW when no meter
    gives a PUE. Raises :class:`DatasetError` if a dataset is of the wrong kind.
    """
    for info, kind in ((meter, "meter"), (telemetry, "telemetry"), (inventory, "racks")):
        if info is not None and info.kind != kind:
            raise DatasetError(f"{info.name!r} is a {info.kind} dataset, not {kind}")
    measured: list[MeasuredInput] = _meter(con, meter) if meter is not None else []
    if telemetry is not None:
        have = {m.field for m in measured}
        measured += [m for m in _telemetry(con, telemetry, inventory) if m.field not in have]
    if inventory is not None:
        allocated = _one(con, f"SELECT sum(design_kw) FROM {inventory.table}")[0]
        pue = next((m.value for m in measured if m.field == "pue"), current_pue)
        if allocated and pue:
            basis = "the measured PUE" if any(m.field == "pue" for m in measured) else "the planner's PUE"
            measured.append(
                MeasuredInput(
                    "capacity_mw",
                    "Site capacity",
                    allocated * pue / KW_PER_MW,
                    inventory.name,
                    None,
                    None,
                    f"allocated design {allocated:,.1f} kW x {pue:.2f} ({basis})",
                )
            )
    notes = []
    if telemetry is not None and inventory is not None:
        note = _overlap_note(con, telemetry, inventory)
        if note:
            notes.append(note)
    found = {m.field for m in measured}
    wanted = {
        "target_it_mw": "IT load (needs a meter or telemetry)",
        "pue": "PUE (needs a meter)",
        "utilization": "utilisation (needs a meter or telemetry)",
        "capacity_mw": "capacity (needs a rack inventory)",
    }
    return SiteInputs(tuple(measured), tuple(text for f, text in wanted.items() if f not in found), tuple(notes))


@dataclass(frozen=True)
class PlanVsSite:
    """How a plan relates to what was measured at the site: each figure, the ratios, and the sentences.

    The planner sizes *new* hardware; started from a site, a reader must still see what
    was measured beside what is planned, so a plan 60 times the site's load, or larger
    than its capacity, is never read as the site.
    """

    measured_load_kw: float | None
    measured_capacity_mw: float | None
    plan_it_kw: float
    plan_facility_mw: float
    one_platform_kw: float
    platform: str
    statements: tuple[str, ...]

    @property
    def load_ratio(self) -> float | None:
        """The plan's IT load over the measured IT load."""
        return self.plan_it_kw / self.measured_load_kw if self.measured_load_kw else None

    @property
    def capacity_ratio(self) -> float | None:
        """The plan's facility power over the measured site capacity (facility MW)."""
        return self.plan_facility_mw / self.measured_capacity_mw if self.measured_capacity_mw else None

    @property
    def over_capacity(self) -> bool:
        """Whether the plan needs more facility power than the site's measured capacity."""
        return self.measured_capacity_mw is not None and self.plan_facility_mw > self.measured_capacity_mw * (1 + 1e-9)

    @property
    def below_one_platform(self) -> bool:
        """Whether the measured load is smaller than one platform of the chosen hardware."""
        return self.measured_load_kw is not None and self.measured_load_kw < self.one_platform_kw

    @property
    def capacity_text(self) -> str:
        """One sentence on the plan against the measured capacity ('' when no capacity was measured)."""
        if self.measured_capacity_mw is None:
            return ""
        ratio = self.capacity_ratio or 0.0
        if self.over_capacity:
            return (
                f"this plan needs {self.plan_facility_mw:,.2f} MW of facility power, {_times(ratio)} the site's "
                f"measured capacity of {self.measured_capacity_mw:,.2f} MW: it does not fit the site as measured "
                f"({self.plan_facility_mw - self.measured_capacity_mw:,.2f} MW more)"
            )
        return (
            f"this plan needs {self.plan_facility_mw:,.2f} MW of facility power, {_times(ratio)} the site's "
            f"measured capacity of {self.measured_capacity_mw:,.2f} MW"
        )


def _times(ratio: float) -> str:
    """'60x', '1.3x', '0.25x': a ratio as a reader says it."""
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def plan_vs_site(found: SiteInputs, result: PlanResult) -> PlanVsSite:
    """What ``result`` is beside the site ``found`` measured: measured load and capacity, plan size, ratios.

    A measured load smaller than one platform is said as such: the planner counts whole
    platforms, so such a plan is one platform, larger than the site, not the site.
    """
    load_mw = found.value("target_it_mw")
    capacity_mw = found.value("capacity_mw")
    fleet = result.fleet
    one_kw = fleet.it_kw / fleet.systems if fleet.systems else fleet.it_kw
    comparison = PlanVsSite(
        measured_load_kw=None if load_mw is None else load_mw * KW_PER_MW,
        measured_capacity_mw=capacity_mw,
        plan_it_kw=fleet.it_kw,
        plan_facility_mw=result.power.facility_kw / KW_PER_MW,
        one_platform_kw=one_kw,
        platform=result.platform.name,
        statements=(),
    )
    statements: list[str] = []
    if comparison.measured_load_kw is not None:
        load_kw = comparison.measured_load_kw
        statements.append(
            f"Measured IT load {load_kw:,.1f} kW (p95); this plan's IT load {fleet.it_kw:,.1f} kW, "
            f"{_times(comparison.load_ratio or 0.0)} the measured load."
        )
        if comparison.below_one_platform:
            statements.append(
                f"The measured load is smaller than one {result.platform.name} ({one_kw:,.1f} kW): the planner "
                f"counts whole platforms, so this plan is {fleet.systems:,} {result.platform.name}, new hardware "
                "larger than what the site draws today, not a plan of the site."
            )
    if capacity_mw is not None:
        text = comparison.capacity_text
        statements.append(text[0].upper() + text[1:] + ".")
    statements += list(found.notes)
    return replace(comparison, statements=tuple(statements))


__all__ = ["MeasuredInput", "PlanVsSite", "SiteInputs", "plan_vs_site", "site_inputs"]
