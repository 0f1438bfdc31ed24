"""factorycore's modules import each other without a circle, and the store package imports nothing above it.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import``
of a factorycore module, wherever it sits (at the top, inside a function, under
``TYPE_CHECKING``), so a circle hidden by a function-level import is found too. An
edge goes to the module named, or to the submodule when ``from package import name``
names one.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "factorycore"
STORE = "factorycore.store"
STORE_MAY_IMPORT = {"factorycore.schema"}  # a data module that imports nothing of factorycore
# Circles known and not yet taken apart; a new one fails, and so does this list once one is gone.
# formats imports its two fast readers inside functions, and they import formats for its header and
# label rules: moving those rules into a module of their own ends it.


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py") if "__pycache__" not in p.parts}


def _known(name: str, known: dict[str, Path]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def imports_of(module: str, known: dict[str, Path]) -> set[str]:
    """The factorycore modules ``module`` imports anywhere in its source."""
    found: set[str] = set()
    path = known[module]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {_known(a.name, known) for a in node.names if a.name.split(".")[0] == PACKAGE}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
                for _ in range(node.level - 1):
                    package = package.rsplit(".", 1)[0]
                base = f"{package}.{base}" if base else package
            if base.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in known else _known(base, known))
    found.discard(module)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {m: imports_of(m, known) for m in known}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_scan_sees_a_circle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_scan_reads_function_level_imports() -> None:
    edges = graph()
    assert "factorycore.store.postgres" in edges["factorycore.store.embedded"], "imported inside bind()"


def test_factorycore_imports_without_a_circle() -> None:
    found = cycles(graph())
    assert found == [], f"import circles in factorycore: {found}"


def test_the_store_package_imports_nothing_above_it() -> None:
    edges = graph()
    inside = {m for m in edges if m == STORE or m.startswith(STORE + ".")}
    above = {(m, e) for m in inside for e in edges[m] if e not in inside and e not in STORE_MAY_IMPORT}
    assert above == set(), f"the store package imports modules above it: {sorted(above)}"
