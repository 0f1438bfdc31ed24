"""A DCGM text scrape staged in one streaming pass: each line split once, each series' labels read once.

A scrape repeats the same label block on every sample of a series (10M samples of 4,000 GPUs
carry 4,000 distinct blocks). Reading every label from every line (one regular expression
per label and line) made a text scrape 6-11x slower to ingest than the same samples as CSV.
Here DuckDB reads the file as lines in parallel and splits each line once into its label
block, value and timestamp; the labels (host, gpu, UUID, device, rack) are then read from
the distinct blocks only, by :mod:`factorycore.userdata.formats`' own label rules, and joined
back. The staged table is the one the DCGM converter in ``formats`` sums from, column for column.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from factorycore.userdata import dcgm_labels


def _parsed_lines(metric: str) -> str:
    """SQL over ``read_csv(?)`` of the file as lines: (labels, rest) per sample line of ``metric``,
    ``labels`` the block from the first '{' to the last '}' (a label value may hold either) and
    ``rest`` the fields after it (the value and an optional timestamp)."""
    lines = (
        "read_csv(?, header = false, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', "
        "auto_detect = false, strict_mode = false)"
    )
    last = "strpos(reverse(line), '}')"
    start = "strpos(line, '{')"
    braced = f"contains(line, '{{') AND {last} > 0"
    after = f"substr(line, length(line) - {last} + 2)"
    bare = f"substr(line, {len(metric) + 1})"
    # Fields split on single spaces; a tab or a run of spaces (rare) takes the regular expression.
    fields = (
        "string_split(CASE WHEN contains(after, chr(9)) OR contains(after, '  ') "
        "THEN regexp_replace(after, '\\s+', ' ', 'g') ELSE after END, ' ')"
    )
    return (
        f"SELECT labels, {fields} AS rest FROM (SELECT "
        f"CASE WHEN {braced} THEN substr(line, {start}, length(line) - {last} - {start} + 2) ELSE '' END AS labels, "
        f"trim(CASE WHEN {braced} THEN {after} ELSE {bare} END) AS after "
        f"FROM {lines} WHERE starts_with(line, '{metric}{{') OR starts_with(line, '{metric} ') "
        f"OR starts_with(line, '{metric}' || chr(9)))"
    )


def stage(cur: duckdb.DuckDBPyConnection, link: Path, table: str, scraped_at: dt.datetime) -> None:
    """Create ``table`` (host, gpu, uuid, device, rack_label, power_w, t, ts): one row per DCGM power
    sample of the text scrape at ``link``; ``scraped_at`` stamps samples that carry no timestamp."""
    parsed = _parsed_lines(dcgm_labels.DCGM_POWER_METRIC)
    # First pass: the distinct label blocks (one per series), each read once by formats' label rules.
    cur.execute(
        f"CREATE TEMP TABLE {table}_series AS SELECT labels, "
        f"{dcgm_labels.first_label_sql('labels', dcgm_labels.HOST_LABELS)} AS host, "
        f"{dcgm_labels.label_sql('labels', 'gpu')} AS gpu, "
        f"{dcgm_labels.first_label_sql('labels', dcgm_labels.UUID_LABELS)} AS uuid, "
        f"{dcgm_labels.label_sql('labels', 'device')} AS device, "
        f"{dcgm_labels.label_sql('labels', 'rack')} AS rack_label "
        f"FROM (SELECT DISTINCT labels FROM ({parsed}))",
        [str(link)],
    )
    # Second pass: every sample, its series' labels joined from the small table.
    value = "CASE WHEN len(rest) <= 2 THEN rest[1] END"
    stamp = "CASE WHEN len(rest) = 2 THEN rest[2] ELSE '' END"
    # A text-format timestamp is milliseconds; OpenMetrics' is seconds (with a fraction).
    seconds = "make_timestamp(CAST(TRY_CAST(t AS DOUBLE) * 1e6 AS BIGINT))"
    millis = "make_timestamp(CAST(TRY_CAST(t AS DOUBLE) * 1e3 AS BIGINT))"
    cur.execute(
        f"CREATE TEMP TABLE {table} AS SELECT s.host, s.gpu, s.uuid, s.device, s.rack_label, power_w, t, "
        "CASE WHEN t = '' THEN ?::TIMESTAMP "
        f"WHEN contains(t, '.') OR TRY_CAST(t AS DOUBLE) < 1e11 THEN {seconds} ELSE {millis} END AS ts "
        f"FROM (SELECT labels, TRY_CAST({value} AS DOUBLE) AS power_w, {stamp} AS t FROM ({parsed})) l "
        f"JOIN {table}_series s USING (labels)",
        [scraped_at.replace(tzinfo=None), str(link)],
    )
    cur.execute(f"DROP TABLE {table}_series")
