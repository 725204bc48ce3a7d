"""The KPIs and the status report on a synthetic ten-year history (issue 4, "Performance").

Run: `python -m bench.kpis [repeat]` (or `make bench`). The history (bench/kpi_history.py)
is generated twice into one fresh database: first a quarter of it (500 organisations, 300
activities, 25,000 registrations, 7,500 answers), measured, then the other three quarters
(2,000 organisations, 1,200 activities, 100,000 registrations, 30,000 answers in all),
measured again. For one year (2024, the last of the 2021-2024 programme) it times
`kpi_figures` (all seven KPIs), `kpi_rows` (with the cumulative figures and targets),
`participants`, `activity_counts` and each KPI alone: the first run and the median of
`repeat` runs, with the number of queries at both sizes (it must not grow with the data).
Then the status report: the build and each format (XLSX, PDF, HTML), added up two ways:
built once and rendered three times, and three separate downloads (each builds it).

Targets: all KPIs for one year in at most 1 s; the status report in all three formats in
at most 10 s. A miss is printed as FAIL; the exit code is 0 either way (timings depend on
the machine and on what else runs on it: the load average is printed and recorded; tests
assert behaviour, this prints figures).
"""

import os
import statistics
import sys
import time

from bench.harness import setup_django, timed, write_result

YEAR = 2024
KPI_TARGET_S = 1.0
REPORT_TARGET_S = 10.0
FORMATS = ("xlsx", "pdf", "html")
SLOW_KPI_S = 0.3


def run_counted(fn):
    """Run `fn` once: its result, the number of queries it sent and the seconds it took."""
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    start = time.perf_counter()
    with connection.execute_wrapper(count):
        result = fn()
    return result, len(queries), time.perf_counter() - start


def measure(fn, repeat: int) -> tuple[dict, object]:
    result, queries, first = run_counted(fn)
    samples = timed(fn, repeat)
    return {"queries": queries, "first_s": round(first, 3),
            "median_s": round(statistics.median(samples), 3),
            "max_s": round(max(samples), 3), "runs": repeat}, result


def data_sizes() -> dict[str, int]:
    from klynge.activities.models import Activity, Registration
    from klynge.ecosystem.models import Membership, Organisation, Person
    from klynge.evaluations.models import Answer, Response, Survey
    from klynge.projects.models import Project

    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "activities": Activity.objects.count(),
        "registrations": Registration.objects.count(),
        "surveys": Survey.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "projects": Project.objects.count(),
    }


def measure_selectors(repeat: int) -> dict:
    from klynge.kpis import selectors
    from klynge.kpis.domain import keys
    from klynge.kpis.domain.counting import Period

    period = Period.year(YEAR)
    cases = {
        "kpi_figures (all 7 KPIs)": lambda: selectors.kpi_figures(period),
        "kpi_rows (with cumulative 2021-2024)": lambda: selectors.kpi_rows(period),
        "participants": lambda: selectors.participants(period),
        "activity_counts": lambda: selectors.activity_counts(period),
    }
    for key in keys.ORDER:
        cases[f"  KPI {keys.number(key)} {key}"] = lambda key=key: selectors.kpi_figure(key, period)
    results, figures = {}, None
    for label, fn in cases.items():
        results[label], value = measure(fn, repeat)
        if label.startswith("kpi_figures"):
            figures = {k: (str(f.value) if f.value is not None else None)
                       for k, f in value.items()}
        if label == "participants":
            results[label]["people"] = value.people
            results[label]["organisations"] = value.organisations
        if label == "activity_counts":
            results[label]["activities"] = value.total
    return {"selectors": results, "figures": figures}


def status_report_api():
    """helper C's API, or None while it is not written yet."""
    try:
        from klynge.reports.render import render
        from klynge.reports.status import build_status_report
    except ImportError:
        return None
    return build_status_report, render


def measure_report(repeat: int) -> dict | None:
    """The build and each format; a part that fails (helper C's work in progress) is recorded
    with its error instead of stopping the benchmark."""
    from klynge.kpis.domain.counting import Period

    api = status_report_api()
    if api is None:
        return None
    build, render = api
    period = Period.year(YEAR)
    result = {}
    try:
        result["build"], report = measure(lambda: build(period=period), repeat)
    except Exception as error:  # noqa: BLE001 - reported, not hidden
        return {"error": f"build: {type(error).__name__}: {error}"}
    for fmt in FORMATS:
        try:
            stats, (content, content_type, filename) = measure(
                lambda fmt=fmt: render(report, fmt), repeat)
        except Exception as error:  # noqa: BLE001 - reported, not hidden
            result[fmt] = {"error": f"{type(error).__name__}: {error}"}
            continue
        stats.update({"bytes": len(content), "content_type": content_type,
                      "filename": filename})
        result[fmt] = stats
    if any("error" in result[fmt] for fmt in FORMATS):
        return result
    # Built once and rendered in the three formats (a report produced in all formats) ...
    result["once_three_formats_s"] = round(
        result["build"]["median_s"] + sum(result[fmt]["median_s"] for fmt in FORMATS), 3)
    result["once_three_formats_first_s"] = round(
        result["build"]["first_s"] + sum(result[fmt]["first_s"] for fmt in FORMATS), 3)
    # ... and what three separate downloads cost (each request builds and renders one format).
    result["three_formats_s"] = round(
        sum(result["build"]["median_s"] + result[fmt]["median_s"] for fmt in FORMATS), 3)
    result["three_formats_first_s"] = round(
        sum(result["build"]["first_s"] + result[fmt]["first_s"] for fmt in FORMATS), 3)
    return result


def print_size(label: str, sizes: dict, generated_s: float) -> None:
    print(f"\n{label}: generated in {generated_s:.1f} s — "
          + ", ".join(f"{v:,} {k}" for k, v in sizes.items()))


def print_measures(measured: dict, report: dict | None) -> None:
    for label, stats in measured["selectors"].items():
        print(f"  {label:<40} {stats['queries']:>3} queries  first {stats['first_s']:>6.3f} s"
              f"  median {stats['median_s']:>6.3f} s  max {stats['max_s']:>6.3f} s")
    print("  figures " + str(YEAR) + ": " + ", ".join(
        f"{k}={v}" for k, v in measured["figures"].items()))
    if report is None:
        print("  status report: not available yet")
        return
    if "error" in report:
        print(f"  status report: not available yet ({report['error']})")
        return
    for part in ("build", *FORMATS):
        stats = report[part]
        if "error" in stats:
            print(f"  status report {part:<25} not available yet ({stats['error']})")
            continue
        extra = f"  {stats['bytes']:,} bytes" if "bytes" in stats else ""
        print(f"  status report {part:<25} {stats['queries']:>3} queries  first "
              f"{stats['first_s']:>6.3f} s  median {stats['median_s']:>6.3f} s{extra}")
    if "three_formats_s" in report:
        print(f"  status report, built once + three formats: median "
              f"{report['once_three_formats_s']:.2f} s, first "
              f"{report['once_three_formats_first_s']:.2f} s")
        print(f"  status report, three downloads (build + render each): median "
              f"{report['three_formats_s']:.2f} s, first {report['three_formats_first_s']:.2f} s")


def query_growth(small: dict, large: dict) -> list[str]:
    grew = []
    for label, stats in large["selectors"].items():
        if stats["queries"] != small["selectors"][label]["queries"]:
            grew.append(f"{label.strip()}: {small['selectors'][label]['queries']} → "
                        f"{stats['queries']}")
    for part in ("build", *FORMATS):
        before = (small.get("report") or {}).get(part, {}).get("queries")
        after = (large.get("report") or {}).get(part, {}).get("queries")
        if before is not None and after is not None and before != after:
            grew.append(f"status report {part}: {before} → {after}")
    return grew


def main(argv: list[str]) -> int:
    setup_django()
    from django.conf import settings

    from bench.kpi_history import generate

    repeat = int(argv[0]) if argv else 7
    load_before = os.getloadavg()
    print(f"KPIs and status report for {YEAR} on a synthetic ten-year history "
          f"(first run + median of {repeat}; DEBUG={settings.DEBUG}; load average "
          f"{load_before[0]:.2f} on {os.cpu_count()} CPUs)")
    steps = [
        ("quarter-size history", {"scale": 0.25, "seed": 4, "tag": "a", "cvr_start": 1_000_000}),
        ("full history (+ three quarters)",
         {"scale": 0.75, "seed": 5, "tag": "b", "cvr_start": 4_000_000}),
    ]
    sizes, generator_s = [], 0.0
    for label, options in steps:
        start = time.perf_counter()
        generate(**options)
        took = time.perf_counter() - start
        generator_s += took
        counts = data_sizes()
        print_size(label, counts, took)
        measured = measure_selectors(repeat)
        report = measure_report(max(3, repeat // 2))
        print_measures(measured, report)
        sizes.append({"label": label, "generated_s": round(took, 1), "data": counts,
                      **measured, "report": report})
    small, large = sizes
    load_after = os.getloadavg()
    print(f"\nGenerator: {generator_s:.1f} s in all for the full history; load average at the "
          f"end {load_after[0]:.2f} (other processes share the CPUs: figures scale with it)")
    grew = query_growth(small, large)
    print("Query counts: " + ("the same at both sizes" if not grew
                              else "GROW with the data: " + "; ".join(grew)))

    kpis = large["selectors"]["kpi_figures (all 7 KPIs)"]
    worst = max(kpis["first_s"], kpis["median_s"])
    verdict = "PASS" if worst <= KPI_TARGET_S else "FAIL"
    print(f"{verdict}: all 7 KPIs for {YEAR} at full size: first {kpis['first_s']:.3f} s, "
          f"median {kpis['median_s']:.3f} s (target ≤ {KPI_TARGET_S:.0f} s)")
    rows = large["selectors"]["kpi_rows (with cumulative 2021-2024)"]
    verdict = "PASS" if max(rows["first_s"], rows["median_s"]) <= KPI_TARGET_S else "FAIL"
    print(f"{verdict}: kpi_rows with the cumulative 2021–2024 figures: first "
          f"{rows['first_s']:.3f} s, median {rows['median_s']:.3f} s "
          f"(target ≤ {KPI_TARGET_S:.0f} s)")
    slow = [label.strip() for label, stats in large["selectors"].items()
            if label.startswith("  KPI") and stats["median_s"] > SLOW_KPI_S]
    if slow:
        print(f"Slow KPIs (median over {SLOW_KPI_S} s): " + ", ".join(slow))
    report = large["report"]
    if report is None:
        print("status report: not available yet (klynge.reports.status / render missing)")
    elif "three_formats_s" not in report:
        print("status report: not available yet (a part failed, see above); no verdict")
    else:
        for label, key in [("built once, rendered as XLSX, PDF and HTML", "once_three_formats"),
                           ("three downloads (XLSX, PDF, HTML), each building it",
                            "three_formats")]:
            median, first = report[f"{key}_s"], report[f"{key}_first_s"]
            verdict = "PASS" if max(median, first) <= REPORT_TARGET_S else "FAIL"
            print(f"{verdict}: status report {label}: {median:.2f} s median, {first:.2f} s "
                  f"first (target ≤ {REPORT_TARGET_S:.0f} s)")
    write_result("kpis", {"year": YEAR, "repeat": repeat, "debug": settings.DEBUG,
                          "generator_s": round(generator_s, 1), "query_growth": grew,
                          "load_average": {"start": round(load_before[0], 2),
                                           "end": round(load_after[0], 2)},
                          "sizes": sizes})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
