"""A DCGM text scrape staged in one pass over its samples: each line split once, each series' labels read once.

A scrape repeats the same label block on every sample of a series (10M samples of 4,000 GPUs
carry 4,000 distinct blocks). Reading every label from every line (one regular expression per
label and line) made a text scrape 6-11x slower to ingest than the same samples as CSV, and
reading the file twice (once for the distinct blocks, once for the samples, joined on the
block's text) still 4x. Here DuckDB reads the file as lines, in parallel:

1. the distinct label blocks of the first :data:`FIRST_LINES` sample lines become the series
   table, each with a small integer id (one scrape usually names every series);
2. one pass over every sample line splits it once into its label block, value and timestamp
   and looks the block up in the series table (an exact join on the block's text); a line
   whose block is not there yet keeps its block, and those blocks are added as series after
   the pass, so no series is missed and the file is read once;
3. the labels (host, gpu, UUID, device, rack) are read from each series' block by
   :mod:`factorycore.userdata.dcgm_labels`' rules.

The split follows the text format: the label block runs from the first '{' to the last '}'
(a label value may hold either), the value and an optional timestamp follow it. Lines of the
usual shape (``NAME{...} VALUE [TIMESTAMP]``, single spaces) take string functions only; any
other line (tabs, runs of spaces, a '}' in a label value followed by a space) takes the general
rule, with the same result. A text-format timestamp is milliseconds; OpenMetrics' is seconds
(with a fraction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb

from factorycore.userdata import dcgm_labels

# Sample lines whose label blocks seed the series table. A block first seen later is added after
# the pass (step 2 above), so this bounds only the work of the common case, not what is read.
FIRST_LINES = 200_000


_READ = "header = false, quote = '', escape = '', auto_detect = false, strict_mode = false"


def _lines(metric: str, limit: int | None = None) -> str:
    """SQL: the file (one ``?``) as whole lines, only the sample lines of ``metric``."""
    lines = f"read_csv(?, columns = {{'line': 'VARCHAR'}}, delim = '\x01', {_READ})"
    where = (
        f"starts_with(line, '{metric}{{') OR starts_with(line, '{metric} ') OR starts_with(line, '{metric}' || chr(9))"
    )
    return f"(SELECT line FROM {lines} WHERE {where}{f' LIMIT {int(limit)}' if limit else ''})"


def _general(metric: str, line: str) -> str:
    """SQL: the struct (labels, value, t) of the text format's rule on the line ``line``: the label block
    from the first '{' to the last '}' ('' without one), the rest's whitespace runs (spaces, tabs) made
    single spaces and trimmed, then split: the value (NULL when more than two fields follow) and the
    timestamp ('')."""
    last = f"strpos(reverse({line}), '}}')"
    start = f"strpos({line}, '{{')"
    braced = f"contains({line}, '{{') AND {last} > 0"
    after = (
        f"trim(CASE WHEN {braced} THEN substr({line}, length({line}) - {last} + 2) "
        f"ELSE substr({line}, {len(metric) + 1}) END)"
    )
    fields = (
        f"string_split(CASE WHEN contains({after}, chr(9)) OR contains({after}, '  ') "
        f"THEN trim(regexp_replace({after}, '\\s+', ' ', 'g')) ELSE {after} END, ' ')"
    )
    return (
        f"{{'labels': CASE WHEN {braced} THEN substr({line}, {start}, length({line}) - {last} - {start} + 2) "
        "ELSE '' END, "
        f"'value': CASE WHEN len({fields}) <= 2 THEN {fields}[1] END, "
        f"'t': CASE WHEN len({fields}) = 2 THEN {fields}[2] ELSE '' END}}"
    )


# A usual line's rest ``r`` has no empty field (no leading, trailing or double space): it holds one field
# (no space: ``q`` = 0), two (the second, ``r2``, has no space) or more (no value, as the general rule).
_VALUE = "CASE WHEN q = 0 THEN r WHEN NOT contains(r2, ' ') THEN left(r, q - 1) END"
_STAMP = "CASE WHEN q = 0 THEN '' WHEN NOT contains(r2, ' ') THEN r2 ELSE '' END"


def _fields(rows: str) -> str:
    """``rows`` (with a rest ``r``) and ``q``, the place of its first space, and ``r2``, what follows it."""
    return f"(SELECT *, substr(r, q + 1) AS r2 FROM (SELECT *, strpos(r, ' ') AS q FROM {rows}))"


def _split(metric: str, limit: int | None = None) -> str:
    """SQL: (head, usual, other, value, t, odd) per sample line, the CSV reader splitting lines at '} '.

    A series' key is the line up to its label block's last '}' (left out), the metric alone
    without a block: ``head`` for a ``usual`` line, ``other`` for any other. ``value`` is the
    value text (NULL when more than two fields follow the block), ``t`` the timestamp text (''
    without one). The usual line (``NAME{...} VALUE [TIMESTAMP]``) has one '} ', and nothing
    after it holds a '}', a tab, two spaces or a trailing space: its key is the first field, its
    value and timestamp the second split at its first space. Any other line with at most one '} ' is put
    back together and takes the general rule (:func:`_general`); a line with two or more ('} '
    inside a label value) cannot be put back together (the reader keeps three fields), so it is
    flagged ``odd`` and the scrape is read again by :func:`_split_lines`.
    """
    reader = (
        "read_csv(?, columns = {'head': 'VARCHAR', 'rest': 'VARCHAR', 'extra': 'VARCHAR'}, delim = '} ', "
        f"nullstr = '\x02', null_padding = true, {_READ})"
    )
    where = (
        f"starts_with(head, '{metric}{{') OR starts_with(head, '{metric} ') OR starts_with(head, '{metric}' || chr(9))"
    )
    usual = (
        f"rest IS NOT NULL AND extra IS NULL AND starts_with(head, '{metric}{{') AND NOT contains(rest, '}}') "
        "AND NOT contains(rest, chr(9)) AND NOT contains(rest, '  ') AND NOT starts_with(rest, ' ') "
        "AND NOT ends_with(rest, ' ')"
    )
    # Only the other lines are put back together and read by the general rule (one CASE, so its parts
    # are computed for those lines alone).
    line = "(CASE WHEN rest IS NULL THEN head ELSE head || '} ' || rest END)"
    general = f"CASE WHEN NOT usual THEN {_general(metric, line)} END"
    key = f"CASE WHEN o.labels = '' THEN '{metric}' ELSE '{metric}' || left(o.labels, length(o.labels) - 1) END"
    rows = (
        f"(SELECT head, rest, extra IS NOT NULL AS odd, {usual} AS usual, rest AS r "
        f"FROM (SELECT * FROM {reader} WHERE {where}{f' LIMIT {int(limit)}' if limit else ''}))"
    )
    return (
        f"SELECT head, usual, CASE WHEN NOT usual THEN {key} END AS other, "
        f"CASE WHEN usual THEN {_VALUE} ELSE o.value END AS value, "
        f"CASE WHEN usual THEN {_STAMP} ELSE o.t END AS t, odd "
        f"FROM (SELECT *, {general} AS o FROM {_fields(rows)})"
    )


def _split_lines(metric: str, limit: int | None = None) -> str:
    """SQL: :func:`_split`'s (head, usual, other, value, t, odd) with every line read whole (``odd`` false):
    the usual line cut at its first '} ' by string functions, any other by the general rule. Slower; for a
    scrape with '} ' inside a label value."""
    usual = (
        f"starts_with(line, '{metric}{{') AND p > 0 AND NOT contains(tail, '}}') AND NOT contains(tail, chr(9)) "
        "AND NOT contains(tail, '  ')"
    )
    layered = (
        f"(SELECT line, p, {usual} AS usual, trim(tail) AS r FROM "
        f"(SELECT line, p, substr(line, p + 2) AS tail FROM (SELECT line, strpos(line, '}} ') AS p "
        f"FROM {_lines(metric, limit)})))"
    )
    general = f"CASE WHEN NOT usual THEN {_general(metric, 'line')} END"
    key = f"CASE WHEN o.labels = '' THEN '{metric}' ELSE '{metric}' || left(o.labels, length(o.labels) - 1) END"
    return (
        f"SELECT CASE WHEN usual THEN left(line, p - 1) END AS head, usual, "
        f"CASE WHEN NOT usual THEN {key} END AS other, "
        f"CASE WHEN usual THEN {_VALUE} ELSE o.value END AS value, "
        f"CASE WHEN usual THEN {_STAMP} ELSE o.t END AS t, false AS odd "
        f"FROM (SELECT *, {general} AS o FROM {_fields(layered)})"
    )


def _timestamp(t: str) -> str:
    """SQL: the sample's time from its text ``t`` ('' takes the bound ``?``, the time of reading)."""
    seconds = f"make_timestamp(CAST(TRY_CAST({t} AS DOUBLE) * 1e6 AS BIGINT))"
    millis = f"make_timestamp(CAST(TRY_CAST({t} AS DOUBLE) * 1e3 AS BIGINT))"
    whole = f"TRY_CAST({t} AS BIGINT)"
    # Whole milliseconds of 1973-2286 written as plain digits (the usual stamp) are exact as BIGINT, and the
    # double rule gives the same time; anything else (a sign, a fraction, hex, seconds) takes the double rule.
    return (
        f"CASE WHEN {t} = '' THEN ?::TIMESTAMP WHEN left({t}, 1) BETWEEN '1' AND '9' "
        f"AND {whole} BETWEEN 100000000000 AND 9999999999999 "
        f"THEN epoch_ms({whole}) WHEN contains({t}, '.') OR TRY_CAST({t} AS DOUBLE) < 1e11 THEN {seconds} "
        f"ELSE {millis} END"
    )


def stage(cur: duckdb.DuckDBPyConnection, link: Path, table: str, scraped_at: dt.datetime) -> None:
    """Create ``table`` (sid, power_w, ts): one row per DCGM power sample of the text scrape at ``link``,
    and ``table_series`` (sid, host, gpu, uuid, device, rack_label): one row per series (label block).
    ``scraped_at`` stamps samples that carry no timestamp."""
    metric = dcgm_labels.DCGM_POWER_METRIC
    if not _stage(cur, str(link), table, scraped_at, _split):
        # A '} ' inside a label value: the fields the reader split cannot be put back together.
        cur.execute(f"DROP TABLE {table}")
        cur.execute(f"DROP TABLE {table}_series")
        _stage(cur, str(link), table, scraped_at, _split_lines)
    # The label block is the key without the metric's name, closed again ('' for a line without one).
    block = f"CASE WHEN key = '{metric}' THEN '' ELSE substr(key, {len(metric) + 1}) || '}}' END"
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_series AS SELECT sid, "
        f"{dcgm_labels.first_label_sql('labels', dcgm_labels.HOST_LABELS)} AS host, "
        f"{dcgm_labels.label_sql('labels', 'gpu')} AS gpu, "
        f"{dcgm_labels.first_label_sql('labels', dcgm_labels.UUID_LABELS)} AS uuid, "
        f"{dcgm_labels.label_sql('labels', 'device')} AS device, "
        f"{dcgm_labels.label_sql('labels', 'rack')} AS rack_label FROM (SELECT sid, {block} AS labels "
        f"FROM {table}_series)"
    )


def _stage(
    cur: duckdb.DuckDBPyConnection, path: str, table: str, scraped_at: dt.datetime, split: Callable[..., str]
) -> bool:
    """``table`` (sid, power_w, ts) and ``table_series`` (sid, key) by ``split``; False if a line was odd."""
    metric = dcgm_labels.DCGM_POWER_METRIC
    series = f"{table}_series"
    key = "CASE WHEN usual THEN head ELSE other END"
    cur.execute(
        f"CREATE TEMP TABLE {series} AS SELECT CAST(row_number() OVER () AS INTEGER) AS sid, key "
        f"FROM (SELECT DISTINCT {key} AS key FROM ({split(metric, FIRST_LINES)}))",
        [path],
    )
    # Usual lines are looked up by their first field as the reader gave it (no copy of the text); any
    # other line, and a usual one of a series not seen yet, keeps its key for the step below.
    cur.execute(
        f"CREATE TEMP TABLE {table} AS SELECT known.sid, CASE WHEN known.sid IS NULL THEN {key} END AS key, p.odd, "
        f"TRY_CAST(p.value AS DOUBLE) AS power_w, {_timestamp('p.t')} AS ts "
        f"FROM ({split(metric)}) p LEFT JOIN {series} known ON p.usual AND known.key = p.head",
        [scraped_at.replace(tzinfo=None), path],
    )
    unknown, odd = cur.execute(
        f"SELECT count(*) FILTER (WHERE sid IS NULL), count(*) FILTER (WHERE odd) FROM {table}"
    ).fetchone()
    if odd:
        return False
    if unknown:
        # Series first seen after the first lines: added, and their samples given their ids.
        cur.execute(
            f"INSERT INTO {series} SELECT (SELECT coalesce(max(sid), 0) FROM {series}) "
            f"+ CAST(row_number() OVER () AS INTEGER), key FROM (SELECT DISTINCT key FROM {table} WHERE sid IS NULL)"
        )
        cur.execute(
            f"UPDATE {table} SET sid = known.sid FROM {series} known "
            f"WHERE {table}.sid IS NULL AND known.key = {table}.key"
        )
    cur.execute(f"ALTER TABLE {table} DROP COLUMN key")
    cur.execute(f"ALTER TABLE {table} DROP COLUMN odd")
    return True
