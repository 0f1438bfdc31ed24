"""Check a derived row's formula against the rows it names.

A derived reference row carries its arithmetic in ``formula``, with every input named
by its row key (``rack_density[2021|industry_average|average|afcom_sotdc_2021].kw_per_rack``,
key values in ``schema.PRIMARY_KEYS`` order). Evaluating the formula on the tables
themselves, not on numbers copied into it, is what lets a test catch a derived row
whose input was corrected without it.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping

import pandas as pd

from factorycore import schema

REF_RE = re.compile(r"([a-z_]+)\[([^\]]+)\]\.([a-z_]+)")
# Tables whose derived rows combine figures the row's own source prints (a supply count
# times its rating, a scalable unit's total over its racks): their formulas are
# arithmetic on those quoted numbers, with no input row to name.
QUOTED_INPUT_TABLES: frozenset[str] = frozenset({"hardware_power"})

_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


class FormulaError(ValueError):
    """A formula names a row or column that does not exist, or is not plain arithmetic."""


def references(formula: str) -> list[tuple[str, tuple[str, ...], str]]:
    """The (table, key values, column) of every input a formula names."""
    return [
        (table, tuple(part.strip() for part in key.split("|")), column)
        for table, key, column in REF_RE.findall(formula)
    ]


def _key_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def lookup(tables: Mapping[str, pd.DataFrame], table: str, key: tuple[str, ...], column: str) -> float:
    """The value of ``column`` in the one row of ``table`` whose primary key is ``key``."""
    if table not in tables or table not in schema.PRIMARY_KEYS:
        raise FormulaError(f"unknown table {table!r}")
    frame, key_columns = tables[table], schema.PRIMARY_KEYS[table]
    if len(key) != len(key_columns):
        raise FormulaError(f"{table} is keyed by {'|'.join(key_columns)}; got {'|'.join(key)}")
    if column not in frame.columns:
        raise FormulaError(f"{table} has no column {column!r}")
    match = pd.Series(True, index=frame.index)
    for name, value in zip(key_columns, key):
        match &= frame[name].map(_key_text) == value
    rows = frame[match]
    if len(rows) != 1:
        raise FormulaError(f"{table}[{'|'.join(key)}] matches {len(rows)} rows")
    return float(rows[column].iloc[0])


def _eval(node: ast.AST) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_eval(node.left), _eval(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand)
    raise FormulaError(f"not plain arithmetic: {ast.dump(node)[:60]}")


def evaluate(formula: str, tables: Mapping[str, pd.DataFrame], *, quoted_inputs: bool = False) -> float:
    """The formula's value, every named input read from ``tables``.

    ``quoted_inputs`` admits plain arithmetic on numbers (a row of a
    :data:`QUOTED_INPUT_TABLES` table, whose inputs are in its quote).
    """
    if not references(formula) and not quoted_inputs:
        raise FormulaError(f"formula names no input row: {formula!r}")

    def value_of(match: re.Match[str]) -> str:
        table, key, column = match.group(1), tuple(p.strip() for p in match.group(2).split("|")), match.group(3)
        return repr(lookup(tables, table, key, column))

    expression = REF_RE.sub(value_of, formula)
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse {formula!r}: {exc.msg}") from exc
    return _eval(tree)
