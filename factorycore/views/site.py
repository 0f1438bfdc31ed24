"""The operator's own data as views: one function per My facility comparison.

Which views a dataset gets is its kind's ``views`` (see
:mod:`factorycore.userdata.kinds`); :data:`SITE_VIEWS` maps those ids to the
functions here. The page, the report and the deck all draw them through
:func:`site_view`, so the density comparison (reference distribution -> bands ->
percentile) is computed in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from factorycore import provenance, reference, schema, store
from factorycore.charts import facility as charts
from factorycore.charts import theme
from factorycore.userdata import aggregate, rack_power, stranded, summary
from factorycore.userdata.catalog import DatasetError, DatasetInfo
from factorycore.userdata.kinds.spec import ROLE_POWER_READINGS
from factorycore.views.base import Metric, NothingToDraw, View, degrade


def _site_caption(info: DatasetInfo) -> str:
    return provenance.site_caption(
        info.source_file, info.created, info.rows_accepted, info.rows_rejected, info.details.get("mapping", {})
    )


def density_profiles(distribution: pd.DataFrame) -> list[str]:
    """Industry profiles of a year's reference distribution the density view can compare with, in house order.

    Takes the frame, not the database, so a page can pass its cached reference read.
    """
    present = set(distribution["profile"])
    return [p for p in schema.DENSITY_PROFILES if p in present] or ["industry_average"]


def density_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    profile: str = "industry_average",
    basis: str | None = None,
    year: int = schema.LATEST_YEAR,
    host_map_id: int | None = None,
    host_map_workspace: str | None = None,
) -> View:
    """The site's racks per density band beside an industry profile, and where its average sits.

    Power readings per node without a host-to-rack map draw nothing here (a node is not a rack)."""
    bases = info.spec.density_bases
    basis = basis if basis in bases else next(iter(bases), None)
    try:
        racks = aggregate.rack_kw(con, info, basis, host_map=_chosen(con, host_map_id, host_map_workspace))
    except DatasetError as exc:  # power per node: never ranked against rack densities
        raise NothingToDraw(str(exc)) from None
    if racks.empty:
        raise NothingToDraw(f"No {bases[basis].label if basis else 'kW'} values in this dataset.")
    dist = reference.power_distribution(con, year=year)
    industry = dist[dist["profile"] == profile]
    if industry.empty:
        profile, industry = "industry_average", dist[dist["profile"] == "industry_average"]
    site = aggregate.site_bands(racks, aggregate.bands_from_reference(industry))
    average_kw = float(racks["kw"].mean())
    percentile = aggregate.percentile_label(aggregate.percentile_in_distribution(average_kw, industry))
    fig = charts.density_comparison(
        site, industry, profile=profile, year=year, percentile_text=percentile, average_kw=average_kw
    )
    rows = pd.concat(
        [
            industry[["band", "band_order", "share_pct", "profile", "source_id", "status"]],
            site.assign(profile="your site")[["band", "band_order", "share_pct", "profile", "racks"]],
        ],
        ignore_index=True,
    )
    caption = provenance.caption(industry, reference.sources(con)) + " " + _site_caption(info)
    return View(
        fig,
        rows,
        f"Rack density against the industry ({year})",
        caption,
        note=f"Your site's bars are your data; the industry bars are the {year} reference distribution.",
        quotes_user_text=True,
        metrics=(
            Metric("Racks", f"{len(racks):,}"),
            Metric("Average kW per rack", f"{average_kw:.1f}"),
            Metric(
                f"Percentile among {theme.segment_label(profile).lower()} racks",
                percentile,
                "Share of the profile's racks at or below your average density; shares are spread "
                "evenly inside each band.",
            ),
        ),
    )


def measured_vs_design_view(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> View:
    """Each rack's measured kW against its design kW, and the share of design drawn."""
    frame = aggregate.measured_vs_design(con, info)
    if frame.empty:
        raise NothingToDraw("No rack has both a design and a measured kW value.")
    summary = aggregate.rack_summary(con, info)
    design_kw = summary["total_design_kw"]
    measured_kw = summary["total_measured_kw"] or 0
    used = measured_kw / design_kw * 100 if design_kw else None
    fig = charts.measured_vs_design(frame)
    return View(
        fig,
        frame,
        "Measured against design",
        _site_caption(info),
        note="Your data only. Points below the dashed line draw less than their design power.",
        quotes_user_text=True,
        metrics=(
            Metric("Design kW (all racks)", f"{design_kw:,.0f}"),
            Metric("Measured kW", f"{measured_kw:,.0f}"),
            Metric(
                "Measured share of design",
                "-" if used is None else f"{used:.0f}%",
                "Over racks with a measured value; stranded capacity is the rest.",
            ),
        ),
    )


def _chosen(con: duckdb.DuckDBPyConnection, dataset_id: int | None, workspace: str | None) -> DatasetInfo | None:
    """A dataset picked beside the one drawn (a host-to-rack map, telemetry), or None."""
    return stranded.dataset_for(con, dataset_id, [workspace] if workspace else None)


def power_over_time_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    host_map_id: int | None = None,
    host_map_workspace: str | None = None,
) -> View:
    """Site power per time bucket (racks summed, each rack the sum of its sources); a single instant draws
    each rack's (or node's) power as bars instead of a one-point line."""
    host_map = _chosen(con, host_map_id, host_map_workspace)
    series = aggregate.telemetry_power_over_time(con, info, host_map=host_map)
    if series.empty:
        raise NothingToDraw("No power readings in this dataset.")
    level = str(series["level"].iloc[0])
    how = (
        f"Each {level}'s power per {series['bucket_size'].iloc[0]} bucket is the sum of its sources (each "
        f"source's mean in the bucket); the site is its {level}s summed."
    )
    if "resolution" in series:  # read from the rollup kept at ingest
        how += f" Resolution: {series['resolution'].iloc[0]}."
    if len(series) == 1:
        at = aggregate.rack_power_at_last(con, info, host_map=host_map)
        return View(
            charts.rack_power_bars(at, level, f"Power per {level} at {series['bucket'].iloc[0]:%Y-%m-%d %H:%M} UTC"),
            at,
            f"Power per {level} (one instant)",
            _site_caption(info),
            note="Your data only. The file holds a single instant, so there is no line over time. " + how,
            quotes_user_text=True,
            metrics=(Metric("Site kW at this instant", f"{float(series['site_kw'].iloc[0]):,.2f}"),),
        )
    return View(
        charts.telemetry_power(series),
        series,
        "Power over time",
        _site_caption(info),
        note="Your data only, aggregated in the database into time buckets. " + how,
        quotes_user_text=True,
    )


def hottest_racks_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    host_map_id: int | None = None,
    host_map_workspace: str | None = None,
) -> View:
    """The racks with the highest inlet temperatures (or power, without temperatures)."""
    hot = aggregate.hottest_racks(con, info, host_map=_chosen(con, host_map_id, host_map_workspace))
    level = str(hot["level"].iloc[0]) if not hot.empty else rack_power.LEVEL_RACK
    return View(
        charts.hottest_racks(hot),
        hot,
        "Hottest racks" if level == rack_power.LEVEL_RACK else "Hottest nodes (no host-to-rack map)",
        _site_caption(info),
        note=f"Your data only. A {level}'s power is the sum of its sources per bucket.",
        quotes_user_text=True,
    )


def summary_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    host_map_id: int | None = None,
    host_map_workspace: str | None = None,
) -> View:
    """Each rack's (or node's) p95 and peak kW, the site's p95 and peak, and how they were computed: the
    figures of ``summary`` (:mod:`factorycore.userdata.summary`)."""
    s = summary.summarise(con, info, host_map=_chosen(con, host_map_id, host_map_workspace))
    level = s["level"]
    items = s["racks"] if level == rack_power.LEVEL_RACK else [{"rack_id": n.pop("node"), **n} for n in s["nodes"]]
    if not items:
        raise NothingToDraw("No power readings in this dataset.")
    frame = pd.DataFrame(items).sort_values(["p95_kw", "rack_id"], ascending=[False, True], ignore_index=True)
    shown = frame.head(MAX_BARS)
    title = f"Power per {level}: p95 and peak" + (f" (busiest {MAX_BARS})" if len(frame) > MAX_BARS else "")
    per = s["sources_per_rack"] if level == rack_power.LEVEL_RACK else s.get("sources_per_node")
    if s.get("buckets") == 1:  # one instant: p95 and peak are that instant's power, drawn once
        shown, title = shown[["rack_id", "p95_kw"]].rename(columns={"p95_kw": "kw"}), f"Power per {level} (one instant)"
    return View(
        charts.rack_power_bars(shown, level, title),
        frame.rename(columns={"rack_id": level}) if level != rack_power.LEVEL_RACK else frame,
        f"Power per {level}",
        _site_caption(info),
        note="Your data only. " + " ".join(n[0].upper() + n[1:] + "." for n in s["notes"][:5]),
        quotes_user_text=True,
        metrics=(
            Metric("Site p95 kW", _kw(s["site_p95_kw"]), "The 95th percentile of the per-bucket site sums."),
            Metric("Site peak kW", _kw(s["site_peak_kw"])),
            Metric(f"Sources per {level}", "-" if per is None else f"{per:g}", f"Median sources summed per {level}."),
            Metric("Level", level, "rack, or node when the readings name nodes and no host-to-rack map is given"),
            Metric("Bucket", str(s["bucket"])),
            Metric("Energy kWh", "-" if s["energy_kwh"] is None else f"{s['energy_kwh']:,.1f}"),
        ),
    )


MAX_BARS = 40


def _kw(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def power_chain_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    telemetry_id: int | None = None,
    telemetry_workspace: str | None = None,
) -> View:
    """The power chain per rack: its feeds' capacity (A+B counted once) beside its measured p95."""
    telemetry = _chosen(con, telemetry_id, telemetry_workspace)
    if telemetry is not None:
        result = stranded.stranded(con, info, telemetry)
        frame = result.racks.rename(columns={"allocated_kw": "feed_capacity_kw"})
    else:
        s = summary.summarise(con, info)
        frame = pd.DataFrame(s["racks"])[["rack_id", "feed_capacity_kw"]]
    if frame.empty:
        raise NothingToDraw("No feed in this dataset names a rack.")
    frame = frame.sort_values("rack_id", ignore_index=True)
    fig = charts.power_chain(frame)
    total = float(frame["feed_capacity_kw"].sum())
    measured = frame["measured_p95_kw"].dropna() if "measured_p95_kw" in frame else pd.Series(dtype=float)
    return View(
        fig,
        frame,
        "Power chain per rack",
        _site_caption(info) + (" Measured by " + _site_caption(telemetry) if telemetry else ""),
        note=(
            "Your data only. A rack's feed capacity is the sum of its primary feeds' available power; its "
            "redundant (B) feed is not added, as it carries the same load when A fails."
            + (" Measured p95: each rack's sources summed per bucket." if telemetry else "")
        ),
        quotes_user_text=True,
        metrics=(
            Metric("Racks fed", f"{len(frame):,}"),
            Metric("Feed capacity kW", f"{total:,.1f}", "Redundancy counted once per rack."),
            Metric("Measured p95 kW", "-" if measured.empty else f"{float(measured.sum()):,.1f}"),
        ),
    )


def pue_view(con: duckdb.DuckDBPyConnection, info: DatasetInfo) -> View:
    """Energy-weighted PUE per time bucket, with the PUE over the whole period."""
    summary = aggregate.meter_summary(con, info)
    if summary["avg_it_kw"] is None:  # a facility-only meter: stored, but PUE has no denominator
        raise NothingToDraw("PUE needs IT energy: this meter dataset has facility readings only (add an it_kw column)")
    series = aggregate.pue_over_time(con, info)
    return View(
        charts.pue_over_time(series),
        series,
        "PUE over time",
        _site_caption(info),
        note="Your data only. PUE per bucket = facility energy / IT energy.",
        quotes_user_text=True,
        metrics=(
            Metric("PUE over the period", "-" if summary["pue"] is None else f"{summary['pue']:.2f}"),
            Metric("Average IT load (kW)", f"{summary['avg_it_kw']:,.0f}"),
            Metric("Meter readings", f"{summary['readings']:,}"),
        ),
    )


def stranded_view(
    con: duckdb.DuckDBPyConnection,
    info: DatasetInfo,
    *,
    telemetry_id: int | None = None,
    telemetry_workspace: str | None = None,
    feeds_id: int | None = None,
    feeds_workspace: str | None = None,
) -> View:
    """Allocated against measured power by hall, and racks by utilisation: the stranded capacity.

    With ``feeds_id`` (power feeds), a rack without a design kW is allocated its feed capacity.

    Measured by the inventory's own ``measured_kw`` or, with ``telemetry_id``, by a
    telemetry dataset of the same site joined on rack_id (see :mod:`factorycore.userdata.stranded`).
    """
    telemetry = stranded.telemetry_for(con, telemetry_id, [telemetry_workspace] if telemetry_workspace else None)
    feeds = _chosen(con, feeds_id, feeds_workspace)
    try:
        result = stranded.stranded(con, info, telemetry, feeds=feeds)
    except DatasetError as exc:  # node telemetry without a host-to-rack map measures no rack
        raise NothingToDraw(str(exc)) from None
    t = result.totals
    if not t["racks_measured"]:
        raise NothingToDraw(
            "No rack of this inventory has a measurement"
            + (" in the chosen telemetry." if telemetry else " (measured_kw is empty).")
        )
    histogram = stranded.utilisation_histogram(result.racks)
    caption = (
        _site_caption(info)
        + (" Measured by " + _site_caption(telemetry) if telemetry else "")
        + (" Feeds: " + _site_caption(feeds) if feeds else "")
    )
    period = f" over {t['period_start']} to {t['period_end']} UTC" if telemetry else ""
    note = (
        "Your data only. Stranded = allocated (design) kW minus each rack's 95th-percentile draw"
        f"{period}, floored at zero, summed over measured racks"
        + (f" (a rack's draw per bucket: {t['measured_by']})" if telemetry else "")
        + (f"; {t['racks_unmeasured']:,} racks without a measurement are left out." if t["racks_unmeasured"] else ".")
        + (
            f" {t['racks_allocated_by_feed_capacity']:,} racks without a design kW are allocated their feed "
            "capacity (redundant feeds counted once)."
            if t.get("racks_allocated_by_feed_capacity")
            else ""
        )
    )
    return View(
        charts.stranded_capacity(result.halls, histogram),
        result.racks,
        "Stranded capacity",
        caption,
        note=note,
        quotes_user_text=True,
        metrics=(
            Metric("Allocated kW (measured racks)", f"{t['allocated_kw']:,.0f}"),
            Metric("Measured p95 kW", f"{t['measured_p95_kw']:,.0f}", "Sum of each rack's 95th percentile."),
            Metric("Stranded kW", f"{t['stranded_kw']:,.0f}", "Allocated but not drawn 95% of the time."),
            Metric("Utilisation", "-" if t["utilisation_pct"] is None else f"{t['utilisation_pct']:.0f}%"),
            Metric("Racks over allocation", f"{t['racks_over_allocation']:,}", "Peak draw above design kW."),
        ),
    )


@dataclass(frozen=True)
class SiteView:
    """A site view's id, the short key its charts carry (page widgets, report figures), its
    function and the options a page offers for it."""

    view_id: str
    key: str
    build: Callable[..., View]
    options: tuple[str, ...] = ()


SITE_VIEWS: dict[str, SiteView] = {
    v.view_id: v
    for v in (
        SiteView("site_summary", "summary", summary_view, ("host_map",)),
        SiteView("site_density", "density", density_view, ("profile", "basis", "host_map")),
        SiteView("site_measured_vs_design", "measured", measured_vs_design_view),
        SiteView("site_power_over_time", "power", power_over_time_view, ("host_map",)),
        SiteView("site_hottest_racks", "hottest", hottest_racks_view, ("host_map",)),
        SiteView("site_power_chain", "chain", power_chain_view, ("telemetry",)),
        SiteView("site_pue", "pue", pue_view),
        SiteView("site_stranded", "stranded", stranded_view, ("telemetry", "feeds")),
    )
}


# Views that read every per-rack sum (or reading) of a power-readings dataset; its power over time reads the
# hourly rollup instead. Where reading them takes more than a few seconds, a page draws them when asked.
PER_RACK_VIEWS = frozenset({"site_summary", "site_density", "site_hottest_racks"})
# Readings a second those views got through (bench/RESULTS.md, 100M readings: summary 101 s on PostgreSQL,
# 2.6 s embedded), and the readings above which a page asks first (about 5 s).
READINGS_PER_S = {"postgres": 1_000_000, "duckdb": 38_000_000}
ASK_ABOVE_S = 5.0


def on_request(con: duckdb.DuckDBPyConnection, info: DatasetInfo, view_id: str) -> str | None:
    """Why a page should draw this view only when asked (its per-rack figures would take long to read here), or
    ``None`` to draw it at once. The figures are exact either way; this only says when to compute them."""
    if view_id not in PER_RACK_VIEWS or not info.spec.has_role(ROLE_POWER_READINGS):
        return None
    facility = store.facility(con)
    rate = READINGS_PER_S.get(facility.dialect, READINGS_PER_S["duckdb"])
    seconds = info.rows_accepted / rate
    if seconds <= ASK_ABOVE_S:
        return None
    where = "the team store (PostgreSQL)" if facility.dialect == "postgres" else "this store"
    return (
        f"{info.name!r} holds {info.rows_accepted:,} readings: this view reads every rack's per-bucket sums, about "
        f"{seconds:,.0f} s on {where} (at the {rate:,} readings a second measured). Its figures are exact; compute "
        "them when you need them. The site's power over time reads the hourly rollup and is drawn at once."
    )


def site_view(con: duckdb.DuckDBPyConnection, view_id: str, info: DatasetInfo, **options: Any) -> View:
    """Build one of the dataset's views by id (options as the page offers them)."""
    if view_id not in info.spec.views:
        raise ValueError(f"a {info.kind} dataset has no view {view_id!r}; it has {', '.join(info.spec.views)}")
    return degrade(SITE_VIEWS[view_id].build, con, info, **options)


__all__ = ["PER_RACK_VIEWS", "SITE_VIEWS", "SiteView", "density_profiles", "on_request", "site_view"]
