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

STATUS_RANK: dict[str, int] = {"reported": 0, "derived": 1, "modelled": 2, "unverified": 3}
MODEL_SOURCE = "afd_model_density_bands"

# The survey panels a then-and-now pair may come from: (whose figures, source_id prefix). A pair
# is always taken from one panel, never spliced across two.
PANELS: dict[str, tuple[str, str]] = {
    "afcom": ("AFCOM State of the Data Center: the average its members report", "afcom_sotdc_"),
    "uptime": ("Uptime Institute Global Data Center Survey: mean of surveyed sites", "uptime_gdcs_"),
}
MODEL_PANEL = "This project's rack model (one method for every segment; data/README.md)"


@dataclass(frozen=True)
class Headline:
    """One headline figure with its unit, provenance, whose figure it is and the chart it belongs to."""

    key: str
    label: str
    value: float
    unit: str
    source_id: str
    status: str
    year: int | None
    detail: str
    chart_id: str
    panel: str = ""
    quote: str = ""
    seen_at: str = ""

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


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _headline(
    key: str, label: str, row: pd.Series, unit: str, chart_id: str, panel: str, value_column: str = "kw_per_rack"
) -> Headline:
    return Headline(
        key,
        label,
        float(row[value_column]),
        unit,
        str(row["source_id"]),
        str(row["status"]),
        int(row["year"]),
        _text(row.get("note")),
        chart_id,
        panel,
        _text(row.get("quote")),
        _text(row.get("seen_at")),
    )


def _averages(density: pd.DataFrame, segment: str) -> pd.DataFrame:
    return density[(density["segment"] == segment) & (density["statistic"] == "average")]


def _model_row(density: pd.DataFrame, segment: str, year: int) -> pd.Series:
    rows = _averages(density, segment)
    rows = rows[(rows["year"] == year) & (rows["source_id"] == MODEL_SOURCE)]
    if rows.empty:
        raise HeadlineUnavailable(f"rack_density has no modelled average for {segment} in {year}")
    return rows.iloc[0]


def _latest_year(frame: pd.DataFrame) -> int:
    return int(frame["year"].max())


def panel_pair(density: pd.DataFrame, panel: str) -> tuple[pd.Series, pd.Series]:
    """The first and last reported industry average of one survey panel."""
    whose, prefix = PANELS[panel]
    rows = _averages(density, "industry_average")
    rows = rows[(rows["status"] == "reported") & rows["source_id"].astype(str).str.startswith(prefix)]
    if len(rows) < 1:
        raise HeadlineUnavailable(f"rack_density has no reported average from {whose}")
    rows = rows.sort_values("year")
    return rows.iloc[0], rows.iloc[-1]


def density_headlines(density: pd.DataFrame) -> list[Headline]:
    """Rack density then and now, each pair from one panel; an AI rack against an enterprise one, one method.

    AFCOM's pair is its first and last reported average. Uptime reports one mean (2020), so its
    'now' is the model fitted to Uptime's answers, labelled modelled. The AI-versus-enterprise
    pair comes from the same rack model for both segments.
    """
    last = _latest_year(density)
    afcom_whose = PANELS["afcom"][0]
    a_start, a_end = panel_pair(density, "afcom")
    u_start, _ = panel_pair(density, "uptime")
    uptime_whose = PANELS["uptime"][0]
    u_end = _model_row(density, "industry_average", last)
    ai, traditional = _model_row(density, "ai_factory", last), _model_row(density, "enterprise", last)
    ratio_status = _weakest(["derived", str(ai["status"]), str(traditional["status"])])
    return [
        _headline(
            "density_start",
            f"AFCOM average rack, {int(a_start['year'])}",
            a_start,
            "kW/rack",
            "rack_density",
            afcom_whose,
        ),
        _headline(
            "density_end", f"AFCOM average rack, {int(a_end['year'])}", a_end, "kW/rack", "rack_density", afcom_whose
        ),
        _headline(
            "uptime_start",
            f"Uptime mean rack, {int(u_start['year'])}",
            u_start,
            "kW/rack",
            "rack_density",
            uptime_whose,
        ),
        _headline(
            "uptime_end",
            f"Uptime-anchored model, {last}",
            u_end,
            "kW/rack",
            "rack_density",
            "Model fitted to Uptime Institute's survey answers (sites' modal density, 2020 mean, 2024 range)",
        ),
        _headline("ai_rack", f"AI factory rack (model mean), {last}", ai, "kW/rack", "rack_density", MODEL_PANEL),
        _headline(
            "traditional_rack",
            f"Enterprise rack (model mean), {last}",
            traditional,
            "kW/rack",
            "rack_density",
            MODEL_PANEL,
        ),
        Headline(
            "ai_vs_traditional",
            f"AI vs enterprise rack, {last}",
            float(ai["kw_per_rack"]) / float(traditional["kw_per_rack"]),
            "x",
            "; ".join(dict.fromkeys([str(ai["source_id"]), str(traditional["source_id"])])),
            ratio_status,
            last,
            "Ratio of the two model means above (same method for both segments).",
            "rack_density",
            MODEL_PANEL,
        ),
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
    return Headline(
        "share_below_10kw",
        f"Share of racks below {below_kw:g} kW, {year}",
        float(rows["share_pct"].sum()),
        "%",
        "; ".join(sorted(set(rows["source_id"]))),
        status,
        year,
        f"Sum of the {bands} bands ({profile.replace('_', ' ')}): a share of racks, not of sites.",
        "power_distribution",
        MODEL_PANEL,
    )


def electricity_headlines(electricity: pd.DataFrame) -> list[Headline]:
    """Latest historical US data-center electricity and the world's base case for the last year."""
    out: list[Headline] = []
    us = electricity[(electricity["region"] == "us") & (electricity["scenario"] == "historical")]
    if not us.empty:
        year = _latest_year(us)
        row = best_row(us[us["year"] == year])
        whose = (
            "International Energy Agency, Energy and AI (2025), US estimate"
            if str(row["source_id"]).startswith("iea")
            else "Lawrence Berkeley National Laboratory, US estimate"
        )
        out.append(_headline("us_electricity", f"US data centers, {year}", row, "TWh", "electricity", whose, "twh"))
    world = electricity[(electricity["region"] == "global") & (electricity["scenario"] == "base")]
    if not world.empty:
        year = _latest_year(world)
        row = best_row(world[world["year"] == year])
        out.append(
            _headline(
                "global_electricity",
                f"World data centers, {year} (base)",
                row,
                "TWh",
                "electricity",
                "International Energy Agency, Energy and AI (2025)",
                "twh",
            )
        )
    return out


READING_NOTE = (
    "Two surveys, two questions: AFCOM's average (7 kW in 2021 to 27 kW in 2026) is what its members report "
    "for their own facilities, a self-selected panel leaning toward operators building AI capacity; Uptime "
    "Institute's mean (8.4 kW in 2020; still below 8-10 kW in 2024) covers a broad global panel of sites. "
    "They are shown side by side, never joined into one series. The share of racks below 10 kW and the "
    "model means come from this project's rack model, fitted to Uptime's answers (data/README.md)."
)


def compute_headlines(density: pd.DataFrame, dist: pd.DataFrame, electricity: pd.DataFrame) -> list[Headline]:
    """Every overview headline from the three reference frames."""
    return density_headlines(density) + [share_below_headline(dist)] + electricity_headlines(electricity)


def headlines(con: duckdb.DuckDBPyConnection) -> list[Headline]:
    """Every overview headline, read from the database."""
    return compute_headlines(reference.rack_density(con), reference.power_distribution(con), reference.electricity(con))
