"""Import of 20,000 organisation rows: rows per second and peak memory.

Run: `python -m bench.imports` (or `make bench`). Three runs on one fresh database, through
the same services the page and `klynge import` use: a first import (every row new), the same
file again (every row unchanged), and a file where every tenth row is bad in good-rows mode.
The file is a CSV written in the Danish style people export from Excel (";" separated,
Danish headers, Danish number formats and one multi-line description per ten rows).
"""

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.harness import setup_django, write_result

ROWS = 20_000
HEADER = ["Navn", "CVR-nummer", "Virksomhedsform", "Ansatte", "Adresse", "Postnr", "By",
          "Hjemmeside", "Beskrivelse"]


def write_file(path: Path, rows: int, *, bad_every: int = 0, first: int = 2000000) -> None:
    from klynge.ecosystem.domain.identifiers import cvr_check_digit_for

    rng = random.Random(rows)
    serial = first
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        written = 0
        while written < rows:
            serial += 1
            cvr = cvr_check_digit_for(str(serial))
            if not cvr:
                continue
            written += 1
            if bad_every and written % bad_every == 0:
                cvr = cvr[:7] + str((int(cvr[7]) + 1) % 10)  # a wrong check digit
            description = f"Digital virksomhed nr. {written}"
            if written % 10 == 0:
                description += "\nMed en beskrivelse over\nflere linjer; og semikolon."
            writer.writerow([
                f"Benchmark {serial} ApS", cvr, "company", rng.choice(["1-9", "10-49", "250+"]),
                f"Testvej {written % 300 + 1}", rng.choice(["8000", "2100", "5000", "9000"]),
                "Aarhus", f"https://b{written}.example", description,
            ])


def run(path: Path, mode: str) -> dict:
    from django.core.files import File

    from klynge.ecosystem.importing.services import (
        import_batch_create,
        import_check,
        import_commit,
    )

    started = time.perf_counter()
    with path.open("rb") as handle:
        batch = import_batch_create(actor=None, target="organisations", file=File(handle),
                                    name=path.name)
    plan = import_check(batch=batch)
    checked = time.perf_counter()
    import_commit(batch=batch, actor=None, mode=mode)
    finished = time.perf_counter()
    written = batch.report.get("written", {})
    total = finished - started
    return {
        "rows": ROWS, "mode": mode, "bad_rows": len(plan.bad),
        "created": written.get("created", 0), "updated": written.get("updated", 0),
        "dry_run_s": round(checked - started, 2), "commit_s": round(finished - checked, 2),
        "total_s": round(total, 2), "rows_per_s": round(ROWS / total),
        # Peak resident memory of the process so far (tracemalloc would slow the run 3x).
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str]) -> int:
    setup_django()
    folder = Path(tempfile.mkdtemp(prefix="klynge-bench-import-"))
    good, bad = folder / "organisations.csv", folder / "organisations-bad.csv"
    write_file(good, ROWS)
    write_file(bad, ROWS, bad_every=10, first=5000000)  # other companies: new rows
    print(f"Import of {ROWS:,} organisation rows (dry run + commit, SQLite unless DATABASE_URL)")
    results = {}
    for label, path, mode in [
        ("first import, all new", good, "all_or_nothing"),
        ("same file again, all unchanged", good, "all_or_nothing"),
        ("every tenth row bad, good rows only", bad, "good_rows"),
    ]:
        result = run(path, mode)
        results[label] = result
        print(f"  {label:<38} {result['rows_per_s']:>6} rows/s  total {result['total_s']:>6} s "
              f"(dry run {result['dry_run_s']} s)  created {result['created']:>5}  "
              f"updated {result['updated']:>5}  bad {result['bad_rows']:>5}  "
              f"max RSS {result['max_rss_mb']} MB")
    write_result("imports", {"runs": results})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
