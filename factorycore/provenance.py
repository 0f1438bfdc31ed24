"""Where a chart's numbers come from, said in one line.

Every chart carries a caption naming its sources and how many of its rows are
derived or modelled, so no modelled number passes as reported. The report and
the app both use this, so they say the same thing.
"""

from __future__ import annotations

import pandas as pd


def status_counts(rows: pd.DataFrame) -> dict[str, int]:
    """Rows per status (reported / derived / modelled / unverified), zero-filled."""
    counts = {"reported": 0, "derived": 0, "modelled": 0, "unverified": 0}
    if "status" in rows:
        for status, n in rows["status"].value_counts().items():
            counts[str(status)] = int(n)
    return counts


def source_list(rows: pd.DataFrame, sources: pd.DataFrame) -> list[str]:
    """'Publisher, Title (year)' for each source the rows cite, in a stable order."""
    if "source_id" not in rows or rows.empty:
        return []
    cited = sources[sources["source_id"].isin(rows["source_id"].dropna().unique())]
    cited = cited.sort_values(["publisher", "year", "title"], na_position="last")
    return [_name(r.publisher, r.title, r.year) for r in cited.itertuples()]


def _name(publisher: str, title: str, year: object) -> str:
    return f"{publisher}, {title}" + (f" ({int(year)})" if pd.notna(year) else "")


def cite(source_ids: str, sources: pd.DataFrame) -> str:
    """'Publisher, Title (year)' for one source_id, or several joined with '; ' (as derived
    figures cite them); an id missing from ``sources`` is shown as itself."""
    indexed = sources.set_index("source_id")
    names = []
    for sid in (part.strip() for part in str(source_ids).split(";")):
        if sid in indexed.index:
            row = indexed.loc[sid]
            names.append(_name(row["publisher"], row["title"], row["year"]))
        elif sid:
            names.append(sid)
    return "; ".join(names)


def caption(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """One caption: the sources, then the share of rows that are not reported."""
    names = source_list(rows, sources)
    counts = status_counts(rows)
    total = sum(counts.values())
    text = "Sources: " + ("; ".join(names) if names else "none cited") + "."
    not_reported = [f"{counts[s]} {s}" for s in ("derived", "modelled", "unverified") if counts[s]]
    if not_reported:
        text += (
            f" Of {total} data rows, {', '.join(not_reported)} (method in data/README.md);"
            f" {counts['reported']} reported."
        )
    return text


def notes(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The full provenance of a chart, for a presenter's speaker notes: every status count,
    then each cited source on its own line with its status and address."""
    counts = status_counts(rows)
    if "status" in rows:
        lines = [f"Data rows: {sum(counts.values())} ({', '.join(f'{n} {s}' for s, n in counts.items())})."]
    else:
        lines = [f"Data rows: {len(rows)}, computed (not reference rows, so no reported/derived/modelled status)."]
    if "source_id" in rows and not rows.empty:
        cited = sources[sources["source_id"].isin(rows["source_id"].dropna().unique())]
        cited = cited.sort_values(["publisher", "year", "title"], na_position="last")
        lines.append(f"Sources ({len(cited)}):")
        for r in cited.itertuples():
            status, url = getattr(r, "status", None), getattr(r, "url", None)
            lines.append(
                f"- {_name(r.publisher, r.title, r.year)}."
                + (f" Source status: {status}." if isinstance(status, str) and status else "")
                + (f" {url}" if isinstance(url, str) and url else "")
            )
    else:
        lines.append("Sources: none cited.")
    return "\n".join(lines)


def site_caption(
    source_file: str, created: object, rows_accepted: int, rows_rejected: int, mapping: dict[str, str]
) -> str:
    """Where an operator's own numbers come from: which file, uploaded when, read how.

    The page and the report word a site chart the same way, so a reader can tell
    reference figures (sourced, above) from the operator's data (this line).
    """
    when = f"{created:%Y-%m-%d %H:%M}" if hasattr(created, "strftime") else str(created)
    read = ", ".join(f"{fld} from {header!r}" for fld, header in mapping.items())
    text = (
        f"Your data: {source_file or 'an upload'}, stored {when} UTC, {rows_accepted:,} rows"
        f" ({rows_rejected:,} set aside)."
    )
    return text + (f" Columns read: {read}." if read else "")


EVIDENCE_FIRST: tuple[str, ...] = ("status", "quote", "link")


def evidence_link(source_id: str, seen_at: object, sources: pd.DataFrame) -> str | None:
    """Where a row's figure can be checked: the page its quote was read on, else its source's page.

    A project model's README anchor is not a web page, so it gives no link (its method is
    in data/README.md)."""
    if isinstance(seen_at, str) and seen_at.startswith("http"):
        return seen_at
    urls = sources.set_index("source_id")["url"]
    url = urls.get(source_id) if source_id in urls.index else None
    return url if isinstance(url, str) and url.startswith("http") else None


def evidence_table(rows: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The rows with their evidence first: status, the source's own words, and a link to check them."""
    out = rows.copy()
    # An operator's own rows (a site chart) cite no source and were read from no page: no link,
    # one per row all the same (zipping with a missing column once gave no rows, and a crash).
    none = pd.Series(None, index=out.index, dtype=object)
    seen = out["seen_at"] if "seen_at" in out else none
    cited = out["source_id"] if "source_id" in out else none
    out["link"] = [evidence_link(sid if isinstance(sid, str) else "", s, sources) for sid, s in zip(cited, seen)]
    if "quote" not in out:
        out["quote"] = None
    first = [c for c in EVIDENCE_FIRST if c in out]
    return out[first + [c for c in out.columns if c not in first and c != "seen_at"]]
