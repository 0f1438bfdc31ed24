"""The overview's headline figures, computed from the reference tables.

The overview page shows a handful of numbers (average rack density then and now, an
AI rack against a traditional one, the share of racks under 10 kW, data-center
electricity). None is typed into the page: each is computed here from reference rows
and carries the source it came from and the weakest status among those rows, so a
modelled figure is never shown as reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from factorycore import reference

STATUS_RANK: dict[str, int] = {"reported": 0, "derived": 1, "modelled": 2}


@dataclass(frozen=True)
class Headline:
    """One headline figure with its unit, provenance and the chart it belongs to."""

    key: str
    label: str
    value: float
    unit: str
    source_id: str
    status: str
    year: int | None
    detail: str
    chart_id: str

    def formatted(self) -> str:
        """The value with its unit, e.g. '27 kW/rack', '71.7 %', 'x17.8'."""
        number = f"{self.value:,.0f}" if abs(self.value) >= 100 else f"{self.value:,.1f}".replace(".0", "")
        if self.unit == "x":
            return f"×{number}"
        return f"{number} {self.unit}" if self.unit != "%" else f"{number}%"


class HeadlineUnavailable(LookupError):
    """The reference data lacks a row a headline needs."""


def _weakest(statuses: list[str]) -> str:
    return max(statuses, key=lambda s: STATUS_RANK.get(s, 3))


def best_row(rows: pd.DataFrame) -> pd.Series:
    """The most trustworthy row: reported before derived before modelled, then by source_id."""
    if rows.empty:
        raise HeadlineUnavailable("no rows")
    ranked = rows.assign(_rank=rows["status"].map(STATUS_RANK).fillna(3))
    return ranked.sort_values(["_rank", "source_id"]).iloc[0]


def _density(density: pd.DataFrame, segment: str, year: int) -> pd.Series:
    rows = density[(density["segment"] == segment) & (density["statistic"] == "average") & (density["year"] == year)]
    if rows.empty:
        raise HeadlineUnavailable(f"rack_density has no average for {segment} in {year}")
    return best_row(rows)


def _latest_year(frame: pd.DataFrame) -> int:
    return int(frame["year"].max())


def density_headlines(density: pd.DataFrame) -> list[Headline]:
    """Average rack density at the start and end of the data, and an AI rack versus a traditional one."""
    first, last = int(density["year"].min()), _latest_year(density)
    start = _density(density, "industry_average", first)
    end = _density(density, "industry_average", last)
    ai = _density(density, "ai_factory", last)
    traditional = _density(density, "enterprise", last)
    ratio_status = _weakest(["derived", ai["status"], traditional["status"]])
    return [
        Headline("density_start", f"Average rack density, {first}", float(start["kw_per_rack"]), "kW/rack",
                 str(start["source_id"]), str(start["status"]), first, str(start["note"] or ""), "rack_density"),
        Headline("density_end", f"Average rack density, {last}", float(end["kw_per_rack"]), "kW/rack",
                 str(end["source_id"]), str(end["status"]), last, str(end["note"] or ""), "rack_density"),
        Headline("ai_rack", f"Typical AI factory rack, {last}", float(ai["kw_per_rack"]), "kW/rack",
                 str(ai["source_id"]), str(ai["status"]), last, str(ai["note"] or ""), "rack_density"),
        Headline("traditional_rack", f"Typical enterprise rack, {last}", float(traditional["kw_per_rack"]),
                 "kW/rack", str(traditional["source_id"]), str(traditional["status"]), last,
                 str(traditional["note"] or ""), "rack_density"),
        Headline("ai_vs_traditional", f"AI vs enterprise rack, {last}",
                 float(ai["kw_per_rack"]) / float(traditional["kw_per_rack"]), "x",
                 f"{ai['source_id']}; {traditional['source_id']}", ratio_status, last,
                 "Ratio of the two figures above.", "rack_density"),
    ]


def share_below_headline(dist: pd.DataFrame, *, below_kw: float = 10.0, profile: str = "industry_average") -> Headline:
    """Share of racks in bands wholly below ``below_kw`` for a profile, latest year."""
    rows = dist[dist["profile"] == profile]
    if rows.empty:
        raise HeadlineUnavailable(f"power_distribution has no {profile} rows")
    year = _latest_year(rows)
    rows = rows[(rows["year"] == year) & (rows["band_max_kw"].notna()) & (rows["band_max_kw"] <= below_kw)]
    if rows.empty:
        raise HeadlineUnavailable(f"power_distribution has no band below {below_kw} kW for {profile} in {year}")
    statuses = list(rows["status"])
    status = _weakest(statuses + (["derived"] if len(rows) > 1 else []))
    bands = ", ".join(rows.sort_values("band_order")["band"])
    return Headline("share_below_10kw", f"Racks below {below_kw:g} kW, {year}", float(rows["share_pct"].sum()), "%",
                    "; ".join(sorted(set(rows["source_id"]))), status, year,
                    f"Sum of the {bands} bands ({profile.replace('_', ' ')}).", "power_distribution")


def electricity_headlines(electricity: pd.DataFrame) -> list[Headline]:
    """Latest historical US data-center electricity and the world's base case for the last year."""
    out: list[Headline] = []
    us = electricity[(electricity["region"] == "us") & (electricity["scenario"] == "historical")]
    if not us.empty:
        year = _latest_year(us)
        row = best_row(us[us["year"] == year])
        out.append(Headline("us_electricity", f"US data centers, {year}", float(row["twh"]), "TWh",
                            str(row["source_id"]), str(row["status"]), year, str(row["note"] or ""),
                            "electricity"))
    world = electricity[(electricity["region"] == "global") & (electricity["scenario"] == "base")]
    if not world.empty:
        year = _latest_year(world)
        row = best_row(world[world["year"] == year])
        out.append(Headline("global_electricity", f"World data centers, {year} (base)",
                            float(row["twh"]), "TWh", str(row["source_id"]), str(row["status"]), year,
                            str(row["note"] or ""), "electricity"))
    return out


READING_NOTE = (
    "Why a high surveyed average and most racks under 10 kW can both hold: AFCOM's average is what its "
    "survey respondents report (a self-selected group, pulled up by a few AI halls at 100+ kW per "
    "rack: a mean follows the dense tail), while the share below 10 kW is this project's model "
    "anchored to Uptime Institute's survey of the most common rack density per site. The typical "
    "rack and the average rack are different numbers; data/README.md gives both methods."
)


def compute_headlines(density: pd.DataFrame, dist: pd.DataFrame, electricity: pd.DataFrame) -> list[Headline]:
    """Every overview headline from the three reference frames."""
    return density_headlines(density) + [share_below_headline(dist)] + electricity_headlines(electricity)


def headlines(con: duckdb.DuckDBPyConnection) -> list[Headline]:
    """Every overview headline, read from the database."""
    return compute_headlines(reference.rack_density(con), reference.power_distribution(con), reference.electricity(con))
