"""What a crash leaves in the temporary folder is swept, whichever part of the product made it.

A real ``kill -9`` of a workbook ingest (paused inside its transaction, after the
conversion wrote its CSV) leaves the conversion's folder; the sweep removes it once
it is an hour old. And every ``tempfile`` call in the product names a prefix the sweep
knows, so a new kind of temporary folder cannot be forgotten.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from factorycore.userdata import ingest
from tests.corpus import make
from tests.race_util import kill_inside_transaction

REPO = Path(__file__).resolve().parent.parent
PRODUCT = [*sorted((REPO / "factorycore").rglob("*.py")), *sorted((REPO / "ui").glob("*.py")), REPO / "app.py"]
PRODUCT += sorted((REPO / "app_pages").glob("*.py"))
TEMP_CALLS = {"mkdtemp", "mkstemp", "TemporaryDirectory", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile"}


def _age(path: Path, seconds: float) -> None:
    old = time.time() - seconds
    for entry in [*path.rglob("*"), path] if path.is_dir() else [path]:
        os.utime(entry, (old, old))


def test_a_workbook_ingest_killed_mid_way_leaves_nothing_after_the_sweep(tmp_path: Path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    workbook = tmp_path / "hall.xlsx"
    workbook.write_bytes(
        make.workbook({"Racks": [["rack_id", "design_kw"], *[[f"R{i:03d}", 10 + i % 7] for i in range(300)]]})
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "factorycore", "ingest", str(workbook), "--dataset", "killed"],
        cwd=REPO,
        env={
            **os.environ,
            "FACTORY_DB": str(tmp_path / "crash.duckdb"),
            "TMPDIR": str(temp),
            "FACTORY_INGEST_TEST_PAUSE_S": "60",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kill_inside_transaction(proc)
    left = sorted(p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in temp.iterdir())
    assert "factory-convert" in left, left  # the converted CSV of the workbook, left by the kill
    assert any((p / "converted.csv").exists() or list(p.iterdir()) for p in temp.iterdir() if p.is_dir())
    for entry in temp.iterdir():
        _age(entry, 2 * ingest.STALE_TEMP_AGE_S)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert ingest.remove_stale_temp() == len(left)
    assert not list(temp.iterdir())


def test_every_temporary_folder_prefix_of_the_app_is_swept(tmp_path: Path, monkeypatch):
    """The app's own conversion folder (an upload converted before the mapping step) included."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    for name in ("facility-convert-abc", "factory-convert-abc", "factory-prometheus-abc", "factory-pdf-abc"):
        folder = temp / name
        folder.mkdir()
        (folder / "partial.csv").write_text("rack_id,design_kw\nA1,")
        _age(folder, 2 * ingest.STALE_TEMP_AGE_S)
    fresh = temp / "facility-convert-now"  # a conversion in progress right now
    fresh.mkdir()
    mine = temp / "facility-notes"  # not a prefix of ours
    mine.mkdir()
    _age(mine, 2 * ingest.STALE_TEMP_AGE_S)
    assert ingest.remove_stale_temp() == 4
    assert sorted(p.name for p in temp.iterdir()) == ["facility-convert-now", "facility-notes"]


def _prefix_of(call: ast.Call) -> str | None:
    """The literal prefix a tempfile call passes ("<computed>" for a name or an expression)."""
    for kw in call.keywords:
        if kw.arg != "prefix":
            continue
        if isinstance(kw.value, ast.Constant):
            return str(kw.value.value)
        return "<computed>"
    return None


def test_every_tempfile_call_in_the_product_uses_a_prefix_the_sweep_knows():
    from factorycore import scratch

    known = tuple(scratch.PREFIXES.values())
    offenders = []
    for path in PRODUCT:
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name not in TEMP_CALLS or path.name == "scratch.py":
                continue
            where = f"{path.relative_to(REPO)}:{node.lineno}"
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "scratch":
                purpose = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
                if purpose not in scratch.PREFIXES:
                    offenders.append(f"{where}: scratch purpose {purpose!r} is not in PREFIXES")
                continue
            prefix = _prefix_of(node)
            if prefix is None:
                offenders.append(f"{where}: no prefix (the sweep cannot know it)")
            elif prefix != "<computed>" and not prefix.startswith(known):
                offenders.append(f"{where}: prefix {prefix!r} is not in factorycore.scratch.PREFIXES")
    assert not offenders, offenders
