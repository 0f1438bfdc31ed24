"""A reader process for the concurrency tests: list the datasets again and again, and check each is whole.

Run as ``python -m tests.store.reader SECONDS [STOP_FILE]``: it reads until STOP_FILE exists (the
writers are done), then once more, or for SECONDS at most; prints one JSON line
``{"reads": n, "seen": [...], "errors": [...]}``. A dataset is whole when its table
holds exactly the ``rows_accepted`` its catalog row promises. It opens the store the
way the command line does (and closes it between reads, so embedded writers get the file).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from factorycore import db, store
from factorycore.userdata import catalog


def read_once() -> list[tuple[str, int, int]]:
    con = db.open_database(build=False)
    try:
        frame = catalog.list_datasets(con)
        facility = store.facility(con)
        found = []
        for row in frame.itertuples():
            info = catalog.get_dataset(con, dataset_id=int(row.dataset_id))
            with facility.cursor() as cur:
                count = cur.execute(f"SELECT count(*) FROM {info.table}").fetchone()[0]
            found.append((info.name, int(info.rows_accepted), int(count)))
        return found
    finally:
        con.close()


def main(seconds: float, stop_file: Path | None = None) -> dict:
    deadline = time.monotonic() + seconds
    reads, seen, errors = 0, set(), []
    last = False
    while not last:
        last = time.monotonic() >= deadline or (stop_file is not None and stop_file.exists())
        try:
            for name, promised, present in read_once():
                seen.add(name)
                if promised != present:
                    errors.append(f"{name}: catalog says {promised} rows, table has {present}")
            reads += 1
        except Exception as exc:  # noqa: BLE001 - every error a user would see is a failure
            errors.append(f"{type(exc).__name__}: {exc}")
        time.sleep(0.05)
    return {"reads": reads, "seen": sorted(seen), "errors": errors}


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)))
