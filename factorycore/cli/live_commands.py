"""``live-summary URL``: p95 and peak kW per rack and for the site, computed by a Prometheus-compatible
server where the telemetry lives (:mod:`factorycore.userdata.prom_pushdown`)."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from factorycore import db, store


def utc_time(text: str) -> dt.datetime:
    """argparse type: an ISO 8601 time, UTC unless it carries an offset."""
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time; give ISO 8601, e.g. 2026-03-01T00:00") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _live_summary(args: argparse.Namespace) -> dict[str, Any]:
    from factorycore.cli import UsageError
    from factorycore.userdata import catalog, prom_pushdown, prometheus
    from factorycore.userdata.catalog import DatasetError

    pairs = None
    if args.host_racks:
        con = db.open_database(build=False)
        try:
            info = catalog.get_dataset(con, name=args.host_racks)
            cur = store.facility(con).cursor()
            try:
                pairs = cur.execute(
                    f"SELECT device, rack_id FROM {info.table} WHERE device IS NOT NULL AND rack_id IS NOT NULL"
                ).fetchall()
            finally:
                cur.close()
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


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the live-summary command to the parser."""
    cmd = sub.add_parser(
        "live-summary",
        parents=[common],
        help="p95 and peak kW per rack and for the site, computed by a Prometheus-compatible server (PromQL)",
    )
    cmd.add_argument(
        "url", metavar="URL", help="the server's base URL, one the operator lists in FACTORY_PROMETHEUS_HOSTS"
    )
    cmd.add_argument(
        "--start", type=utc_time, default=None, help="ISO 8601, UTC unless an offset (default: end - 24 h)"
    )
    cmd.add_argument("--end", type=utc_time, default=None, help="ISO 8601, UTC unless an offset (default: now)")
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
    cmd.set_defaults(handler=_live_summary)
