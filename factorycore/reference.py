"""Typed accessors for the reference tables: one function per table, DataFrame out.

Pages and chart builders read reference data only through these, so the SQL
lives in one place and every frame carries its ``source_id`` and ``status``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from factorycore.db import query_df


def sources(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every publication the reference data cites."""
    return query_df(con, "SELECT * FROM ref.sources ORDER BY source_id")


def rack_density(con: duckdb.DuckDBPyConnection, *, include_modelled: bool = True) -> pd.DataFrame:
    """kW per rack by year, segment and statistic (average, low, high)."""
    return query_df(
        con,
        "SELECT * FROM ref.rack_density WHERE ? OR status <> 'modelled' ORDER BY segment, statistic, year, source_id",
        [include_modelled],
    )


def power_distribution(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Share of racks per density band, per profile; one year or all."""
    return query_df(
        con,
        "SELECT * FROM ref.power_distribution WHERE ? IS NULL OR year = ? ORDER BY year, profile, band_order",
        [year, year],
    )


def maturity(con: duckdb.DuckDBPyConnection, year: int | None = None) -> pd.DataFrame:
    """Maturity scores by segment and dimension."""
    return query_df(
        con,
        "SELECT * FROM ref.maturity WHERE ? IS NULL OR year = ? ORDER BY year, segment, dimension",
        [year, year],
    )


def stack(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The AI factory stack: layers, components and their share of facility power."""
    return query_df(con, "SELECT * FROM ref.stack ORDER BY layer_order, power_share_pct DESC, component")


def hardware(con: duckdb.DuckDBPyConnection, kind: str | None = None) -> pd.DataFrame:
    """Accelerators and systems with their power and cooling."""
    return query_df(
        con,
        "SELECT * FROM ref.hardware WHERE ? IS NULL OR kind = ? ORDER BY kind, year, id",
        [kind, kind],
    )


def hardware_power(con: duckdb.DuckDBPyConnection, hardware_id: str | None = None) -> pd.DataFrame:
    """The power ledger: every published figure per catalog item, largest first within each basis."""
    return query_df(
        con,
        "SELECT * FROM ref.hardware_power WHERE ? IS NULL OR hardware_id = ? "
        "ORDER BY hardware_id, basis, sizing DESC, power_kw DESC, source_id",
        [hardware_id, hardware_id],
    )


def throughput(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """MLPerf Inference results by system, benchmark and scenario."""
    return query_df(con, "SELECT * FROM ref.throughput ORDER BY hardware_id, benchmark, scenario")


def electricity(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Data-center electricity by year, region and scenario (TWh)."""
    return query_df(con, "SELECT * FROM ref.electricity ORDER BY region, scenario, year")


def sources_for(con: duckdb.DuckDBPyConnection, source_ids: list[str]) -> pd.DataFrame:
    """The sources behind a set of rows, for a chart caption."""
    return query_df(
        con,
        "SELECT * FROM ref.sources WHERE list_contains(?, source_id) ORDER BY publisher, year",
        [sorted(set(source_ids))],
    )
