"""Plain-text rendering of a command's result dict, for ``--format table``."""

from __future__ import annotations

from typing import Any


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else f"{value:.6g}"
    return str(value)


def _rows_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "(none)"
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [max(len(col), *(len(r[i]) for r in cells)) for i, col in enumerate(columns)]
    lines = ["  ".join(col.ljust(w) for col, w in zip(columns, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def render_table(result: dict[str, Any]) -> str:
    """Scalars as aligned ``key  value`` lines; lists of dicts as tables below them."""
    scalars = {k: v for k, v in result.items() if not isinstance(v, (list, dict))}
    width = max((len(k) for k in scalars), default=0)
    parts = ["\n".join(f"{k.ljust(width)}  {_cell(v)}" for k, v in scalars.items())] if scalars else []
    for key, value in result.items():
        if isinstance(value, list):
            rows = [v if isinstance(v, dict) else {"value": v} for v in value]
            parts.append(f"{key}:\n{_rows_table(rows)}")
        elif isinstance(value, dict):
            parts.append(f"{key}:\n" + render_table(value))
    return "\n\n".join(parts)
