"""The documentation names what the product has, and a clone's links stay inside the clone.

After datasette's test_docs: the facts are read from the code (the CLI's command table, the
``FACTORY_*`` settings the source reads, the dataset kinds, the modules on disk) and looked
up in the Markdown, so a new command, setting, kind or module that nobody documented fails
here, not in a user's hands.
"""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from factorycore.cli import COMMAND_MODULES
from factorycore.userdata.kinds import KINDS

REPO = Path(__file__).resolve().parents[1]
README_MAX_BYTES = 8 * 1024
# Where the product's code reads its settings (tests set their own, which need no docs).
SOURCE_ROOTS = ("factorycore", "ui", "app_pages", "devkit", "bench", "app.py")
LAYOUT_ROOTS = ("factorycore", "ui", "devkit")
SETTING = re.compile(r"FACTORY_[A-Z0-9_]+")
OUTSIDE = "../" + "shared/"  # spelt in two parts so this file does not match itself


@cache
def docs_text() -> str:
    """README.md, every docs/*.md and DEVELOPERS.md: where a user or developer looks."""
    paths = [REPO / "README.md", REPO / "DEVELOPERS.md", *sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)


def _python_files(roots: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        path = REPO / root
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if "__pycache__" not in f.parts]


def settings_in_code() -> set[str]:
    """Every string literal of the source that is a whole ``FACTORY_*`` name."""
    found: set[str] = set()
    for path in _python_files(SOURCE_ROOTS):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SETTING.fullmatch(node.value):
                found.add(node.value)
            elif isinstance(node, ast.keyword) and node.arg and SETTING.fullmatch(node.arg):
                found.add(node.arg)  # dict(os.environ, FACTORY_DB=...)
    return found


def tracked_files() -> list[Path]:
    """The files git tracks; without git (an unpacked archive), every file but caches and the venv."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        return [REPO / name for name in out.split("\0") if name]
    except (OSError, subprocess.SubprocessError):
        skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis"}
        return [p for p in REPO.rglob("*") if p.is_file() and not skip.intersection(p.relative_to(REPO).parts)]


def test_the_settings_scan_finds_what_the_code_reads() -> None:
    """The scan itself can fail: it must see the settings known to be read."""
    assert {"FACTORY_DB", "FACTORY_STORE", "FACTORY_DEBUG"} <= settings_in_code()


@pytest.mark.parametrize("command", sorted(c for commands in COMMAND_MODULES.values() for c in commands))
def test_every_cli_command_is_documented(command: str) -> None:
    assert f"`{command}`" in docs_text(), (
        f"the command `{command}` is not named (in backticks) in README.md, docs/*.md or DEVELOPERS.md; "
        "add its flags and JSON keys to docs/command-line.md"
    )


def _flags() -> list[tuple[str, str]]:
    """(command, --flag) for every long option of every command, as the parser has them."""
    from factorycore.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001
    return sorted(
        (name, option)
        for name, sub in commands.items()
        for action in sub._actions  # noqa: SLF001
        for option in action.option_strings
        if option.startswith("--") and option not in ("--help", "--format")
    )


@pytest.mark.parametrize(("command", "flag"), _flags())
def test_every_cli_flag_is_documented(command: str, flag: str) -> None:
    assert re.search(rf"`{re.escape(flag)}(?![\w-])", docs_text()), (
        f"`{command} {flag}` is not named (in backticks) in README.md, docs/*.md or DEVELOPERS.md; "
        "add it to the command's row in docs/command-line.md"
    )


@pytest.mark.parametrize("setting", sorted(settings_in_code()))
def test_every_factory_setting_is_documented(setting: str) -> None:
    assert re.search(rf"`{setting}\b", docs_text()), (
        f"{setting} is read by the code but named nowhere in README.md, docs/*.md or DEVELOPERS.md; "
        "add a row to DEVELOPERS.md's environment variables (and docs/operations.md if operators set it)"
    )


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_dataset_kind_is_documented(kind: str) -> None:
    text = docs_text()
    assert f"`{kind}`" in text or f"({kind})" in text, (
        f"the dataset kind {kind!r} is not in README.md, docs/*.md or DEVELOPERS.md; "
        "add it to the table in docs/data-formats.md"
    )


def test_readme_is_a_start_not_the_manual() -> None:
    size = (REPO / "README.md").stat().st_size
    assert size <= README_MAX_BYTES, (
        f"README.md is {size:,} bytes, over {README_MAX_BYTES:,}: move the detail to a page in docs/ and link it"
    )


def test_no_tracked_file_points_outside_the_repository() -> None:
    needle = OUTSIDE.encode()
    offenders = [str(p.relative_to(REPO)) for p in tracked_files() if p.is_file() and needle in p.read_bytes()]
    assert not offenders, f"these files point at {OUTSIDE}, which a clone does not have: {offenders}"


def _documented_module(path: str, text: str) -> bool:
    """Named by its path, or inside a subpackage the layout lists as one (``factorycore/userdata/kinds/``).

    A folder counts only where it stands alone: ``factorycore/userdata/detect.py`` names that
    module, not every module of ``factorycore/userdata/``.
    """
    if re.search(rf"(?<![\w/]){re.escape(path)}", text):
        return True
    parts = path.split("/")
    folders = ("/".join(parts[:depth]) + "/" for depth in range(2, len(parts)))
    return any(re.search(rf"(?<![\w/]){re.escape(folder)}(?![\w.*])", text) for folder in folders)


def test_every_module_is_in_the_developers_layout() -> None:
    text = (REPO / "DEVELOPERS.md").read_text(encoding="utf-8")
    modules = [str(p.relative_to(REPO)) for p in _python_files(LAYOUT_ROOTS) if p.name != "__init__.py"]
    assert len(modules) > 20  # the walk found the tree
    missing = [m for m in modules if not _documented_module(m, text)]
    assert not missing, f"add a row to DEVELOPERS.md's layout table for: {missing}"


def test_relative_links_in_the_docs_resolve() -> None:
    """A Markdown link from README.md, DEVELOPERS.md, docs/ or bench/RESULTS.md to a file of the repository exists."""
    pages = [REPO / "README.md", REPO / "DEVELOPERS.md", REPO / "bench" / "RESULTS.md", *(REPO / "docs").glob("*.md")]
    broken = []
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (page.parent / target.split("#")[0]).exists():
                broken.append(f"{page.relative_to(REPO)} -> {target}")
    assert not broken, broken
