"""How a file writes its dates and numbers, decided from whole columns, or asked.

A spreadsheet writes dates and numbers the way its locale does: US Excel ``6/3/2025`` and
``1,070``; UK Excel ``03/06/2025`` and ``1,070``; German Excel ``03.06.2025``, ``1.070`` and
``3,52``. Nothing in one value says which: ``03/06/2025`` is 3 June or 6 March, ``1.070`` is
1070 or 1.07. So each is decided from every value of its column in the file:

- **Day and month order**: a date whose first number is above 12 puts the day first; one
  whose second is above 12 the month first. A column where no date decides (every first and
  second number at most 12) is not guessed: :class:`NeedsChoice` asks for it (the command line's
  ``--date-order dmy|mdy|ymd``, a choice in the app with its guess preselected). A column with
  both kinds is refused. Dotted dates (``03.06.2025``) are day first: no locale writes
  month-first dates with dots.
- **Decimal and thousands separators**, per number column: ``3,52``, ``0,340``, ``1.070,5`` or
  ``1.070.000`` make the comma the decimal mark; ``3.52``, ``0.340``, ``1,070.5`` or
  ``1,070,000`` the point. A column with only values like ``1.070`` or ``1,070`` (one separator,
  three digits after it) is grouped in thousands where it also holds bare whole numbers (``340``)
  and one such value ends in 0 (``1.070``: Excel's General format would write 1.07, a fixed format
  340.000); else it takes what the file's other number columns show; failing that, a
  comma-separated file's comma is a thousands separator (a decimal-comma locale's Excel writes
  ``;``-separated files); otherwise it is asked (``--decimal point|comma``). A column with both
  is refused (asked, with the majority as the guess).

Each decision is returned with a sentence saying what decided it, kept in the dataset's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from factorycore.userdata.detect import EXPECTED, Detection, UnreadableFile

DATE_ORDERS: tuple[str, ...] = ("dmy", "mdy", "ymd")
DECIMALS: tuple[str, ...] = ("point", "comma")
ORDER_WORDS = {"dmy": "day/month/year", "mdy": "month/day/year", "ymd": "year/month/day"}
FLAGS = {"date_order": "--date-order dmy|mdy|ymd", "decimal": "--decimal point|comma"}
NUMBER_ROLES = ("power", "temperature", "count")

# Patterns over a number with its spaces taken out.
_SIGN = r"^[-+]?"
_COMMA_DECIMAL = (
    rf"{_SIGN}\d+,\d+$",  # with the grouped form below excluded
    rf"{_SIGN}[1-9]\d{{0,2}}(\.\d{{3}})+,\d+$",
    rf"{_SIGN}[1-9]\d{{0,2}}(\.\d{{3}}){{2,}}$",
)
_POINT_DECIMAL = (
    rf"{_SIGN}\d+\.\d+$",
    rf"{_SIGN}[1-9]\d{{0,2}}(,\d{{3}})+\.\d+$",
    rf"{_SIGN}[1-9]\d{{0,2}}(,\d{{3}}){{2,}}$",
)
_GROUPED_COMMA = rf"{_SIGN}[1-9]\d{{0,2}}(,\d{{3}})+$"
_GROUPED_POINT = rf"{_SIGN}[1-9]\d{{0,2}}(\.\d{{3}})+$"
_AMBIGUOUS = rf"{_SIGN}[1-9]\d{{0,2}}[.,]\d{{3}}$"
_DATE_PARTS = r"^\s*(\d{1,2})[/\-](\d{1,2})[/\-]\d{2,4}"


class NeedsChoice(UnreadableFile):
    """The file is readable, but one thing about it cannot be decided from its values: ask.

    ``option`` is 'date_order' or 'decimal', ``choices`` what may be chosen, ``guess`` the
    likelier one (preselected in the app, never applied silently), ``examples`` values that
    show the question.
    """

    def __init__(self, message: str, *, option: str, guess: str, examples: tuple[str, ...] = ()) -> None:
        super().__init__(f"{message}; give {FLAGS[option]} (the app asks)")
        self.reason = message
        self.option = option
        self.choices = DATE_ORDERS if option == "date_order" else DECIMALS
        self.guess = guess
        self.examples = examples


@dataclass
class Numbers:
    """Each number field's decimal mark, and the sentences saying what decided them."""

    decimals: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _clean(col: str) -> str:
    """SQL: the value with what only ever groups digits taken out: spaces (also no-break and narrow
    no-break, as French writes 1 070,5) and apostrophes (as Swiss German writes 1'070.5)."""
    spaced = f"replace(replace(replace(trim({col}), ' ', ''), '\u00a0', ''), '\u202f', '')"
    return f"replace(replace({spaced}, '''', ''), '\u2019', '')"


def number_sql(col: str, decimal: str, percent: bool = False) -> str:
    """SQL: text -> DOUBLE, ``decimal`` 'point' or 'comma' deciding what each separator is; NULL if not a number.

    The plain cast decides most rows and the fallbacks sit in CASE branches DuckDB evaluates
    only for the rows it could not read. In a comma column a value with a point is a number
    only in the grouped form (``1.070`` is 1070), never 1.07; in a point column ``1,070`` is 1070
    and ``3,52`` is not a number (rejected with its value, never read as 352).
    """
    t = _clean(col)
    if percent:
        t = f"rtrim({t}, '%')"
    plain = f"TRY_CAST({col} AS DOUBLE)"
    if decimal == "comma":
        grouped = f"TRY_CAST(replace(replace({t}, '.', ''), ',', '.') AS DOUBLE)"
        comma_form = rf"'{_SIGN}(\d+|[1-9]\d{{0,2}}(\.\d{{3}})+)(,\d+)?$'"
        return (
            f"CASE WHEN NOT contains({col}, '.') AND NOT contains({col}, ',') "
            f"THEN COALESCE({'NULL' if percent else plain}, TRY_CAST({t} AS DOUBLE)) "
            f"WHEN regexp_full_match({t}, {comma_form}) THEN {grouped} END"
        )
    thousands = _GROUPED_COMMA[:-1] + r"(\.\d+)?$"
    grouped = f"CASE WHEN regexp_full_match({t}, '{thousands}') THEN TRY_CAST(replace({t}, ',', '') AS DOUBLE) END"
    inner = f"COALESCE(TRY_CAST({t} AS DOUBLE), {grouped})"
    if percent:
        return f"CASE WHEN {col} IS NOT NULL THEN {inner} END"
    return f"COALESCE({plain}, CASE WHEN {col} IS NOT NULL THEN {inner} END)"


def _any(patterns: tuple[str, ...], v: str) -> str:
    return "(" + " OR ".join(f"regexp_full_match({v}, '{p}')" for p in patterns) + ")"


def decide_numbers(
    cur: duckdb.DuckDBPyConnection,
    source: str,
    path: str,
    det: Detection,
    number_fields: dict[str, int],
    forced: str | None,
    *,
    written_as_text: bool = True,
    number_cells: frozenset[int] = frozenset(),
) -> Numbers:
    """The decimal mark of every number field, from every value of its column (``source`` reads the file).

    ``number_fields`` maps field -> column index; ``forced`` ('point'/'comma') is the user's
    choice and is applied to every column. ``written_as_text`` is False for a CSV this product
    wrote from a workbook: its commas separate cells, but a cell's text is the sheet's own (a
    number typed as text, '1.070', is the sheet's locale), so the comma-separated rule does not
    apply. ``number_cells`` are the columns the converter wrote from number cells only (their text is
    the converter's, with a decimal point): they are read with a point whatever ``forced`` says,
    without reading the file, and are no evidence of how the sheet writes numbers as text.
    Raises :class:`NeedsChoice` for a column that cannot be decided.
    """
    out = Numbers()
    if number_cells:  # numbers, not text: a choice about how the sheet writes numbers as text is not theirs
        out.decimals.update({f: "point" for f, i in number_fields.items() if i in number_cells})
        number_fields = {f: i for f, i in number_fields.items() if i not in number_cells}
    if forced:
        decided = bool(out.decimals)
        out.decimals.update(dict.fromkeys(number_fields, forced))
        if number_fields or not decided:
            out.notes.append(f"numbers read with a decimal {forced} (as chosen)")
        return out
    if not number_fields:
        return out
    comma_file = det.delimiter == "," and written_as_text
    if det.delimiter == "," and not any(
        det.columns[i].commas if written_as_text else det.columns[i].separators for i in number_fields.values()
    ):
        # A comma-separated file writes a decimal point (a decimal-comma locale's Excel separates with ';'):
        # only a quoted number with a comma in it needs its column decided.
        out.decimals.update(dict.fromkeys(number_fields, "point"))
        return out
    # Every column that may hold numbers: the mapped ones decide themselves, the others are the file's evidence.
    evidence = (c.index for c in det.columns if c.separators and c.index not in number_cells)
    indices = sorted({*number_fields.values(), *evidence})
    parts = []
    for i in indices:
        v = _clean(f"c{i}")
        comma = f"{_any(_COMMA_DECIMAL, v)} AND NOT regexp_full_match({v}, '{_GROUPED_COMMA}')"
        point = f"{_any(_POINT_DECIMAL, v)} AND NOT regexp_full_match({v}, '{_GROUPED_POINT}')"
        ambiguous = f"regexp_full_match({v}, '{_AMBIGUOUS}')"
        # A separator before a final 0 ('1.070') next to whole numbers written bare ('340'): a
        # thousands separator, as neither Excel's General format (1.07) nor a fixed one (340.000) writes it.
        grouped_zero = f"{ambiguous} AND ends_with({v}, '0')"
        parts += [
            f"count(*) FILTER (WHERE {comma})",
            f"count(*) FILTER (WHERE {point})",
            f"count(*) FILTER (WHERE {ambiguous})",
            f"any_value(c{i}) FILTER (WHERE {comma})",
            f"any_value(c{i}) FILTER (WHERE {point})",
            f"any_value(c{i}) FILTER (WHERE {ambiguous})",
            f"count(*) FILTER (WHERE regexp_full_match({v}, '{_SIGN}\\d+$'))",
            f"any_value(c{i}) FILTER (WHERE {grouped_zero} AND contains({v}, '.'))",
            f"any_value(c{i}) FILTER (WHERE {grouped_zero} AND contains({v}, ','))",
        ]
    try:
        row = cur.execute(f"SELECT {', '.join(parts)} FROM {source}", [path]).fetchone()
    except duckdb.Error as exc:
        raise UnreadableFile(f"the file cannot be read as CSV ({str(exc).splitlines()[0][:200]}); {EXPECTED}") from None
    width = len(parts) // len(indices)
    stats = {i: row[width * k : width * k + width] for k, i in enumerate(indices)}
    file_comma = sum(1 for s in stats.values() if s[0] and not s[1])
    file_point = sum(1 for s in stats.values() if s[1] and not s[0])
    by_index = {i: f for f, i in number_fields.items()}
    for i in number_fields.values():
        fld, header = by_index[i], det.columns[i].header[:40]
        n_comma, n_point, n_amb, ex_comma, ex_point, ex_amb, n_bare, zero_dot, zero_comma = stats[i]
        if n_comma and n_point:
            raise NeedsChoice(
                f"column {header!r} ({fld}) writes numbers both ways ({ex_comma!r} and {ex_point!r}): "
                "the decimal mark cannot be decided",
                option="decimal",
                guess="comma" if n_comma >= n_point else "point",
                examples=(ex_comma, ex_point),
            )
        if n_comma or n_point:
            mark = "comma" if n_comma else "point"
            out.decimals[fld] = mark
            example = ex_comma if n_comma else ex_point
            out.notes.append(f"{header!r}: decimal {mark}, decided by values such as {example!r}")
            continue
        if not n_amb:  # whole numbers only: nothing to decide
            out.decimals[fld] = "comma" if file_comma > file_point else "point"
            continue
        if n_bare and bool(zero_dot) != bool(zero_comma):
            mark = "comma" if zero_dot else "point"
            out.decimals[fld] = mark
            out.notes.append(
                f"{header!r}: {zero_dot or zero_comma!r} has a thousands {'point' if zero_dot else 'comma'} "
                "(whole numbers below 1,000 are written without a separator, and no decimal format writes "
                "a final 0 there)"
            )
        elif file_comma != file_point and (file_comma == 0 or file_point == 0):
            mark = "comma" if file_comma else "point"
            out.decimals[fld] = mark
            out.notes.append(
                f"{header!r}: {ex_amb!r} read with a decimal {mark} (thousands "
                f"{'point' if mark == 'comma' else 'comma'}), as the file's other number columns write it"
            )
        elif comma_file:
            out.decimals[fld] = "point"
            out.notes.append(
                f"{header!r}: {ex_amb!r} read with a thousands comma: in a comma-separated file a comma "
                "inside a number is a thousands separator"
            )
        else:
            raise NeedsChoice(
                f"column {header!r} ({fld}) has values such as {ex_amb!r} and nothing in the file says whether "
                f"the separator is a decimal mark or a thousands separator",
                option="decimal",
                guess="comma" if det.delimiter == ";" else "point",
                examples=(ex_amb,),
            )
    return out


def date_family(fmt: str) -> str | None:
    """'dmy', 'mdy' or 'ymd' for a strptime format; None for ISO, epoch and month-name readings."""
    if "%b" in fmt:
        return None
    if fmt.startswith("%d"):
        return "dmy"
    if fmt.startswith("%m"):
        return "mdy"
    if fmt.startswith("%Y"):
        return "ymd"
    return None


def decide_date_order(
    cur: duckdb.DuckDBPyConnection, source: str, path: str, col: str, fmt: str, guess_day_first: bool
) -> tuple[str, str]:
    """(date order, the sentence saying what decided it) for a day/month format, from every date in ``col``.

    Raises :class:`NeedsChoice` when no date decides, or the column holds both orders.
    """
    if "." in fmt[:6]:
        return "dmy", "dates such as 03.06.2025 are day first (no locale writes month-first dates with dots)"
    first = f"TRY_CAST(regexp_extract({col}, '{_DATE_PARTS}', 1) AS INTEGER)"
    second = f"TRY_CAST(regexp_extract({col}, '{_DATE_PARTS}', 2) AS INTEGER)"
    try:
        day_first, month_first, ex_day, ex_month, total, example = cur.execute(
            f"SELECT count(*) FILTER (WHERE {first} > 12), count(*) FILTER (WHERE {second} > 12), "
            f"any_value({col}) FILTER (WHERE {first} > 12), any_value({col}) FILTER (WHERE {second} > 12), "
            f"count({col}), any_value(trim({col})) FROM {source}",
            [path],
        ).fetchone()
    except duckdb.Error as exc:
        raise UnreadableFile(f"the file cannot be read as CSV ({str(exc).splitlines()[0][:200]}); {EXPECTED}") from None
    if day_first and month_first:
        raise NeedsChoice(
            f"the dates mix day-first ({ex_day.strip()!r}) and month-first ({ex_month.strip()!r}) values",
            option="date_order",
            guess="dmy" if day_first >= month_first else "mdy",
            examples=(ex_day.strip(), ex_month.strip()),
        )
    if day_first:
        return "dmy", f"dates are day/month/year: {ex_day.strip()!r} has a day above 12"
    if month_first:
        return "mdy", f"dates are month/day/year: {ex_month.strip()!r} has a day above 12"
    raise NeedsChoice(
        f"no date in the file says whether {str(example)[:40]!r} is day/month or month/day (every one of its "
        f"{total:,} dates has both numbers at most 12)",
        option="date_order",
        guess="dmy" if guess_day_first else "mdy",
        examples=(str(example)[:40],),
    )
