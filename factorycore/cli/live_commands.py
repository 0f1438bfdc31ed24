"""Telemetry where it lives, a Prometheus-compatible server: ``live-summary URL`` (p95 and peak kW per rack
and for the site, computed by the server: :mod:`factorycore.userdata.prom_pushdown`), ``live-add URL``
(the server registered as a live dataset: :mod:`factorycore.userdata.live_source`) and ``live-refresh NAME``."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from factorycore import db


def utc_time(text: str) -> dt.datetime:
    """argparse type: an ISO 8601 time, UTC unless it carries an offset."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; give ISO 8601, e.g. 2026-03-01T00:00") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _live_summary(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import catalog, live_source, prom_pushdown, prometheus
    from factorycore.userdata.catalog import DatasetError

    pairs = None
    if args.host_racks:
        con = db.open_database(build=False)
        try:
            pairs = live_source.host_rack_pairs(con, args.host_racks, [catalog.SHARED])
        except DatasetError as exc:
            raise UsageError(str(exc)) from None
        finally:
            con.close()
    end = args.end or dt.datetime.now(dt.UTC)
    start = args.start or end - dt.timedelta(hours=24)
    try:
        live = prom_pushdown.live_figures(args.url, start, end, host_racks=pairs, step_s=args.step, metric=args.metric)
    except prometheus.PrometheusError as exc:
        raise UsageError(str(exc)) from None
    return {
        "level": live.level,
        "step_s": live.step_s,
        "start": live.start.isoformat(),
        "end": live.end.isoformat(),
        "site_p95_kw": None if live.site_p95_kw is None else round(live.site_p95_kw, 4),
        "site_peak_kw": None if live.site_peak_kw is None else round(live.site_peak_kw, 4),
        "racks": [
            {"rack_id": r.rack_id, "p95_kw": round(float(r.p95_kw), 4), "peak_kw": round(float(r.peak_kw), 4)}
            for r in live.racks.itertuples()
        ],
        "how": live.describe(),
        "notes": live.notes,
    }


def _stored(stored: Any) -> dict[str, Any]:
    return {
        "dataset": stored.name,
        "dataset_id": stored.dataset_id,
        "rows": stored.rows,
        "level": stored.level,
        "bucket_s": stored.bucket_s,
        "notes": stored.notes,
    }


def _live_add(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import live_source, prometheus
    from factorycore.userdata.catalog import DatasetError

    if (args.start is None) != (args.end is None):
        raise UsageError("a fixed range needs both --start and --end; or give --hours for a window up to each refresh")
    if args.start is not None and args.hours is not None:
        raise UsageError("give --hours or --start/--end, not both")
    source = live_source.Source(
        args.url,
        metric=args.metric,
        step_s=args.step,
        hours=None if args.start is not None else (args.hours or live_source.DEFAULT_HOURS),
        start=args.start,
        end=args.end,
        host_racks=args.host_racks,
    )
    con = db.open_database(build=False)
    try:
        return _stored(live_source.register(con, source, name=args.name, owner=args.owner))
    except (prometheus.PrometheusError, DatasetError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()


def _live_refresh(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import catalog, live_source, prometheus
    from factorycore.userdata.catalog import DatasetError

    con = db.open_database(build=False)
    try:
        info = catalog.get_dataset(con, name=args.name)
        return _stored(live_source.refresh(con, info))
    except (prometheus.PrometheusError, DatasetError) as exc:
        raise UsageError(str(exc)) from None
    finally:
        con.close()


def _source_flags(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "url", metavar="URL", help="the server's base URL, one the operator lists in FACTORY_PROMETHEUS_HOSTS"
    )
    cmd.add_argument(
        "--metric",
        default="DCGM_FI_DEV_POWER_USAGE",
        metavar="SELECTOR",
        help='the power series, in W, as a PromQL selector, e.g. DCGM_FI_DEV_POWER_USAGE{Hostname=~"node-0.*"}',
    )
    cmd.add_argument("--step", type=int, default=15, metavar="SECONDS", help="the scrape interval (default 15)")
    cmd.add_argument(
        "--host-racks",
        metavar="DATASET",
        default=None,
        help="a dataset with a host and a rack column placing hosts in racks when the series carry no rack label",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the live-summary, live-add and live-refresh commands to the parser."""
    add = sub.add_parser(
        "live-add",
        parents=[common],
        help="register a Prometheus-compatible server as a live telemetry dataset: its per-rack sums, summed there",
    )
    _source_flags(add)
    add.add_argument("--name", required=True, metavar="NAME", help="the dataset's name")
    add.add_argument(
        "--hours",
        type=float,
        default=None,
        help=f"a window of this many hours up to each refresh (default {24:g})",
    )
    add.add_argument("--start", type=utc_time, default=None, help="a fixed range's start, ISO 8601 (with --end)")
    add.add_argument("--end", type=utc_time, default=None, help="a fixed range's end, ISO 8601 (with --start)")
    add.add_argument(
        "--owner", default=None, metavar="USER", help="who may refresh, rename or delete it where sign-in is on"
    )
    add.set_defaults(handler=_live_add)
    again = sub.add_parser(
        "live-refresh", parents=[common], help="ask a live dataset's server again and replace its sums"
    )
    again.add_argument("name", metavar="NAME", help="the live dataset")
    again.set_defaults(handler=_live_refresh)
    cmd = sub.add_parser(
        "live-summary",
        parents=[common],
        help="p95 and peak kW per rack and for the site, computed by a Prometheus-compatible server (PromQL)",
    )
    _source_flags(cmd)
    cmd.add_argument(
        "--start", type=utc_time, default=None, help="ISO 8601, UTC unless an offset (default: end - 24 h)"
    )
    cmd.add_argument("--end", type=utc_time, default=None, help="ISO 8601, UTC unless an offset (default: now)")
    cmd.set_defaults(handler=_live_summary)
