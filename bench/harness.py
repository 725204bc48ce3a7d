"""Shared set-up for benchmarks: a throw-away database, timing, and the JSON result file.

Each benchmark runs against its own SQLite file in a temporary folder (or the PostgreSQL
server named by DATABASE_URL), migrated from scratch, so figures never depend on the
developer's own data.
"""

import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def setup_django() -> None:
    if "KLYNGE_VAR_DIR" not in os.environ:
        os.environ["KLYNGE_VAR_DIR"] = tempfile.mkdtemp(prefix="klynge-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("KLYNGE_TASKS_IMMEDIATE", "1")
    os.environ.setdefault("KLYNGE_AXES_ENABLED", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def machine() -> dict:
    from django.db import connection

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "database": connection.vendor,
    }


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {
        "p50_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * pick(0.95), 1),
        "max_ms": round(1000 * ordered[-1], 1),
        "runs": len(ordered),
    }


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def write_result(name: str, result: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"benchmark": name, "machine": machine(), **result}, indent=2))
    print(f"→ {path.relative_to(RESULTS.parent.parent)}")
    return path
