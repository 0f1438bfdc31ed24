"""The regimes' rules, read from the ``compliance_rules`` reference table (one copy of each figure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from factorycore.db import query_df

REGIMES: dict[str, str] = {
    "eu-eed": "EU Energy Efficiency Directive (2023/1791 Art. 12) and Delegated Regulation (EU) 2024/1364",
    "de-enefg": "Germany's Energieeffizienzgesetz (EnEfG) §§ 11-13",
}
# The EnEfG's site classes turn on the day operation began (§ 11 (1) and (2)).
ENEFG_NEW_SITE_FROM = date(2026, 7, 1)


@dataclass(frozen=True)
class Rule:
    """One row of the table."""

    regime: str
    rule_id: str
    kind: str
    name: str
    metric: str | None
    comparator: str | None
    threshold: float | None
    unit: str | None
    applies_to: str
    in_force_from: date | None
    field_order: int | None
    source_id: str
    status: str
    note: str
    quote: str | None
    seen_at: str | None


def _none(value: object) -> object:
    """NaN and NA from the frame as None."""
    try:
        return None if value is None or value != value else value
    except (TypeError, ValueError):  # pandas NA refuses comparison
        return None


def load(con: duckdb.DuckDBPyConnection, regime: str | None = None) -> list[Rule]:
    """The rules of one regime (or all), in table order."""
    frame = query_df(
        con,
        "SELECT * FROM ref.compliance_rules WHERE ?::VARCHAR IS NULL OR regime = ? "
        "ORDER BY regime, field_order, rule_id",
        [regime, regime],
    )
    rules = []
    for rec in frame.to_dict("records"):
        rec = {k: _none(v) for k, v in rec.items()}
        start = rec["in_force_from"]
        rules.append(
            Rule(
                regime=rec["regime"],
                rule_id=rec["rule_id"],
                kind=rec["kind"],
                name=rec["name"],
                metric=rec["metric"],
                comparator=rec["comparator"],
                threshold=None if rec["threshold"] is None else float(rec["threshold"]),
                unit=rec["unit"],
                applies_to=rec["applies_to"] or "all",
                in_force_from=date.fromisoformat(start) if start else None,
                field_order=None if rec["field_order"] is None else int(rec["field_order"]),
                source_id=rec["source_id"],
                status=rec["status"],
                note=rec["note"],
                quote=rec["quote"],
                seen_at=rec["seen_at"],
            )
        )
    return rules


def passes(rule: Rule, value: float | None) -> bool | None:
    """Whether ``value`` meets the rule ('<=' is "kleiner oder gleich": equal passes); None without both."""
    if value is None or rule.threshold is None or rule.comparator is None:
        return None
    if rule.comparator == "<=":
        return value <= rule.threshold
    if rule.comparator == ">=":
        return value >= rule.threshold
    if rule.comparator == ">":
        return value > rule.threshold
    if rule.comparator == "<":
        return value < rule.threshold
    raise ValueError(f"rule {rule.rule_id}: unknown comparator {rule.comparator!r}")


def label_class(rules: list[Rule], metric: str, value: float | None) -> str | None:
    """The A-G class of ``value``: the first class whose bound it meets; None while any bound is unread."""
    bounds = sorted((r for r in rules if r.kind == "label" and r.metric == metric), key=lambda r: r.rule_id)
    if value is None or not bounds or any(r.threshold is None or r.status == "unverified" for r in bounds):
        return None
    for r in bounds:
        if passes(r, value):
            return r.rule_id.rsplit("_", 1)[1]
    return None
