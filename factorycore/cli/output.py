"""Plain-text rendering of a command's result dict, for ``--format table``."""

from __future__ import annotations

from typing import Any

from factorycore import numbers

SMALL_NUMBER = 0.001  # below this, 3 decimals would print a non-zero value as 0


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        if value != 0 and abs(value) < SMALL_NUMBER:
            return f"{value:.3g}"
        return numbers.trimmed(value) if abs(value) < 1e15 else f"{value:.6g}"
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
    return "\n".join(line.rstrip() for line in lines)


def _is_value_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and not any(isinstance(v, (dict, list)) for v in value)


def _line_value(value: Any) -> str:
    return ", ".join(_cell(v) for v in value) if _is_value_list(value) else _cell(value)


def render_table(result: dict[str, Any]) -> str:
    """Scalars and lists of plain values as aligned ``key  value`` lines; lists of dicts as tables below."""
    lines = {k: _line_value(v) for k, v in result.items() if not isinstance(v, (list, dict)) or _is_value_list(v)}
    width = max((len(k) for k in lines), default=0)
    parts = ["\n".join(f"{k.ljust(width)}  {v}".rstrip() for k, v in lines.items())] if lines else []
    for key, value in result.items():
        if isinstance(value, list) and not _is_value_list(value):
            rows = [v if isinstance(v, dict) else {"value": v} for v in value]
            parts.append(f"{key}:\n{_rows_table(rows)}")
        elif isinstance(value, dict):
            parts.append(f"{key}:\n" + render_table(value))
    return "\n\n".join(parts)
