"""``python -m bench [NAME ...]``: run the benchmarks and print one Markdown table."""

from __future__ import annotations

import importlib
import sys
from datetime import date

from bench.harness import Measurement, render

BENCHMARKS: tuple[str, ...] = (
    "engine",
    "climate",
    "cli",
    "ingest",
    "formats",
    "first_paint",
    "interaction",
    "payload",
    "stores",
    "rollups",
    "pushdown",
)


def main(names: list[str]) -> int:
    """Run the named benchmarks (all by default); print the results table."""
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        sys.stderr.write(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}\n")
        return 2
    results: list[Measurement] = []
    for name in names or BENCHMARKS:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.extend(importlib.import_module(f"bench.{name}").run())
    print(f"Benchmarks, {date.today().isoformat()}, {sys.platform}, Python {sys.version.split()[0]}\n")
    print(render(results))
    return 0 if all(m.met is not False for m in results) else 1


raise SystemExit(main(sys.argv[1:]))
