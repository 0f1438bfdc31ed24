"""Every archive the product opens is bounded by what it expands to, per part and in total."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from factorycore import archive_limits, db
from factorycore.export import deck
from factorycore.userdata import formats
from factorycore.userdata.detect import UnreadableFile
from tests.security.hostile import bomb_template, bomb_workbook, peak_rss

BOMB_MB = 300  # the reported template carried 1.5 GB; 300 MB shows the same growth in a few seconds


def test_a_template_whose_layout_names_a_huge_picture_is_refused_before_it_is_read(tmp_path: Path):
    path = bomb_template(tmp_path / "bomb.pptx", BOMB_MB)
    assert path.stat().st_size < 2 * 1024**2  # small on disk
    probe = peak_rss(f"from factorycore.export import deck\ndeck.open_template(open({str(path)!r}, 'rb').read())")
    assert probe["error"] and probe["error"].startswith("TemplateError")
    assert "ppt/media/bomb.png" in probe["error"] and "at most 20.0 MB" in probe["error"]
    assert probe["peak_mb"] - probe["base_mb"] < 60, probe  # the old check parsed it: +300 MB or more


def test_the_command_line_template_is_bounded_too(tmp_path: Path):
    path = bomb_template(tmp_path / "bomb.pptx", 30)
    with pytest.raises(deck.TemplateError, match="expands to 30.0 MB"):
        deck.deck_bytes([], template=path.read_bytes())


def test_a_template_over_the_total_is_refused(tmp_path: Path):
    limits = archive_limits.ZipLimits(what="the template", total_max_bytes=1000, other_max_bytes=10**9)
    data = bomb_template(tmp_path / "t.pptx", 1).read_bytes()
    with pytest.raises(archive_limits.ArchiveTooLarge, match="the template expands to .* in all; at most"):
        archive_limits.check_zip(data, limits)


def test_layouts_the_deck_does_not_use_are_not_copied_into_the_output(tmp_path: Path):
    # Layout 8 (Picture with Caption) is neither the title nor the content layout.
    template = bomb_template(tmp_path / "t.pptx", 2, layout=8).read_bytes()
    out = deck.deck_bytes([], template=template)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        names = archive.namelist()
        sizes = [m.file_size for m in archive.infolist()]
    assert not any(n.endswith("bomb.png") for n in names) and max(sizes) < 1024**2
    assert sum(n.startswith("ppt/slideLayouts/slideLayout") and n.endswith(".xml") for n in names) <= 2


def test_a_template_within_bounds_still_carries_the_deck(tmp_path: Path):
    template = bomb_template(tmp_path / "t.pptx", 2, layout=1).read_bytes()  # the content layout's own picture
    out = deck.deck_bytes([], template=template)
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert any(n.startswith("ppt/media/") for n in archive.namelist())


def test_a_workbook_whose_shared_strings_expand_far_is_refused_before_openpyxl(tmp_path: Path):
    path = bomb_workbook(tmp_path / "strings.xlsx", 120)  # 120 MB of strings, about 8-fold: under the ratio check
    assert path.stat().st_size < 20 * 1024**2
    probe = peak_rss(
        "from pathlib import Path\nfrom factorycore.userdata import formats\n"
        f"formats._xlsx(Path({str(path)!r}), Path({str(tmp_path / 'out.csv')!r}), None)"
    )
    assert probe["error"] and "xl/sharedStrings.xml" in probe["error"] and "at most 32.0 MB" in probe["error"]
    assert "save the sheet as CSV" in probe["error"]
    assert probe["peak_mb"] - probe["base_mb"] < 60, probe


def test_a_workbook_within_bounds_is_read(tmp_path: Path):
    path = bomb_workbook(tmp_path / "ok.xlsx", 2)
    conv = formats._xlsx(path, tmp_path / "out.csv", None)
    assert conv.details["rows_written"] == 10


def test_a_parquet_file_whose_columns_expand_beyond_the_bound_is_refused(tmp_path: Path, monkeypatch):
    con = db.open_database(tmp_path / "p.duckdb", build=False)
    try:
        path = tmp_path / "zeros.parquet"
        con.execute(
            "COPY (SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS t FROM range(40000) r(i)) "
            f"TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
        )
        assert archive_limits.check_parquet(con, path) > 1_000_000
        with pytest.raises(archive_limits.ArchiveTooLarge, match="expand to .*; at most 1.0 MB"):
            archive_limits.check_parquet(con, path, max_bytes=1024**2)
        with pytest.raises(archive_limits.ArchiveTooLarge, match="holds 40,000 rows; at most 1,000 are read"):
            archive_limits.check_parquet(con, path, max_rows=1000)
        monkeypatch.setattr(archive_limits, "PARQUET_MAX_EXPANDED_BYTES", 1024**2)
        with pytest.raises(UnreadableFile, match="Parquet file's columns expand to"):
            formats.to_csv(con, path, tmp_path)
        # Dictionary encoding: one 10,000-character value over 200,000 rows is 0.8 MB on disk, 2 GB as text.
        bomb = tmp_path / "dict.parquet"
        con.execute(f"COPY (SELECT repeat('a', 10000) AS t FROM range(200000)) TO '{bomb}' (FORMAT parquet)")
        monkeypatch.setattr(archive_limits, "PARQUET_MAX_EXPANDED_BYTES", 1024**3)
        with pytest.raises(archive_limits.ArchiveTooLarge, match="rows expand to 1.9 GB of text; at most 1.0 GB"):
            archive_limits.check_parquet(con, bomb)
    finally:
        con.close()
