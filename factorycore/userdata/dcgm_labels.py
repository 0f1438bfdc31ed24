"""DCGM GPU power as exporters label it: the metric, the labels that name a GPU's host and UUID, and the SQL
that reads a label from a Prometheus sample (text lines or a JSON label map). File ingest, the live pull
and the pushdown all read these, so one rule decides a GPU's host everywhere.
"""

from __future__ import annotations

DCGM_POWER_METRIC = "DCGM_FI_DEV_POWER_USAGE"

_LABEL = r'[{,]\s*NAME="((?:[^"\\]|\\.)*)"'


def label_sql(column: str, name: str) -> str:
    """SQL for one label's value (our own fixed label names only)."""
    assert name.isidentifier()
    raw = f"regexp_extract({column}, '{_LABEL.replace('NAME', name)}', 1)"
    # The exposition format escapes \\, \" and \n inside label values.
    return f"replace(replace(replace({raw}, '\\n', chr(10)), '\\\"', '\"'), '\\\\', '\\')"


# The labels that name a GPU's host, in the order they are trusted: dcgm-exporter's own
# ``Hostname`` (older releases) and ``hostname`` (current ones), then what Kubernetes
# service discovery adds (a node's name), then ``instance`` (the scrape target, often
# ip:port of the exporter: one per node, but not a name a host-to-rack map knows).
HOST_LABELS: tuple[str, ...] = ("Hostname", "hostname", "kubernetes_node", "node", "instance")
UUID_LABELS: tuple[str, ...] = ("UUID", "uuid")


def first_label_sql(column: str, names: tuple[str, ...]) -> str:
    """SQL: the first of ``names`` present (non-empty) on a text sample line, else ''."""
    return "coalesce(" + ", ".join(f"NULLIF({label_sql(column, n)}, '')" for n in names) + ", '')"


def first_key_sql(names: tuple[str, ...]) -> str:
    """SQL: the first of ``names`` present in a JSON series' label map ``m``, else ''."""
    return "coalesce(" + ", ".join(f"NULLIF(m['{n}'], '')" for n in names) + ", '')"
