"""Brokerage scheduling measured on real and synthetic events (issue 6, "Measured").

Run: `python bench/scheduling.py [--json PATH] [--instances DIR] [--quick]` (or
`python -m bench.scheduling ...`). Pure code: no database, no Django.

Suites
- (a) maximise, on every JAIR 2022 instance (../shared/data/b2b-jair2022, or every .dzn file
  in `--instances DIR`): `heuristic.schedule` (0.5 s), then, when not every meeting is placed,
  `exact.maximise` with a 1 s limit and the heuristic's schedule as a hint. Meetings, scheduled
  meetings, seconds (both steps together).
- (b) fewest breaks with fairness d = 2: `exact.minimise_breaks(d=2, time_limit=30, hint=<(a)'s
  schedule>)`: total breaks, whether CP-SAT proved it optimal, seconds, and the published
  optimum (the table in the folder's README.md; null for a file not in it); the number of
  instances at the published optimum and within +2 of it; the process's CPU seconds beside
  the wall-clock seconds (on a loaded machine the 30 s buy less CPU); whether python-sat is
  installed ("machine": "sat_solver"), without which the SAT probes are skipped.
- (c) scale: `bench.brokerage_gen.synthetic` at 300, 1,000 and 3,000 participants (seed 0,
  table load 0.9): the heuristic's weighted value (1.5 s limit), `bound.lp_bound`, their
  ratio, seconds; beside it CP-SAT `exact.maximise` (20 s limit, no hint) value and seconds.
- (d) incremental: at 3,000 participants, the heuristic's schedule (with tables) is published
  and an `incremental.LatePlacer` is built on it once, every published meeting frozen (the
  build is timed on its own: "build_ms"). 100 times, one late request between two random
  participants who had no request together is added with `placer.add(request)`: the timed
  call is that one (it places the request, moving at most meetings neither locked nor
  published, and returns the changed placements with their tables); late requests accumulate
  in the placer as they would during the day. p50/p95/max of that call in ms, how many were
  placed, and the number of frozen meetings moved (a change to a published meeting, and the
  validator on the final schedule with the published placements as locked meetings); the
  target is 0. Beside it, the one-call API `heuristic.place_late(event + request, published,
  [id], frozen=<every published meeting>)`, which builds the state on each call
  ("place_late_p95_ms"), is timed on the same requests.
- (e) the speed-dating instance (../shared/data/speed-dating-vaggi2014, Vaggi et al., eLife
  2014) as a round-based event: 40 participants, `n_rounds` from Settings.json (5) rounds as
  slots of one session, 20 tables (everyone meets at most once per round); a request for every
  pair who do not already know each other (Network.txt) and share an interest, with priority =
  the methods one wants that the other knows, counted both ways (Known_Methods.csv,
  Wanted_Methods.csv). Heuristic (1 s) against CP-SAT `exact.maximise` (30 s) and the LP bound.

Every schedule is checked with `validate.violations`; the JSON counts them ("violations",
expected 0). `--quick` (smoke test): three instances (or those in `--instances`), short
limits, scale at 200 participants and the incremental suite at 300 with 20 late requests.
Figures are in docs/benchmarks.md. A solver module that is missing is reported and its
figures are left out (null).
"""

import argparse
import csv
import importlib
import json
import os
import platform
import random
import re
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/scheduling.py` (the spelling)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.brokerage_gen import synthetic, table_load
from klynge.brokerage.domain.dzn import read_dzn
from klynge.brokerage.domain.incremental import LatePlacer
from klynge.brokerage.domain.model import (
    Event,
    Request,
    Schedule,
    assign_tables,
    breaks,
    value,
)
from klynge.brokerage.domain.validate import violations

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
D = 2
FULL = {"heuristic_a": 0.5, "maximise_a": 1.0, "breaks": 30.0, "scale": (300, 1000, 3000),
        "scale_heuristic": 1.5, "scale_cpsat": 20.0, "incremental_n": 3000,
        "incremental_runs": 100, "sd_heuristic": 1.0, "sd_exact": 30.0}
QUICK = {"heuristic_a": 0.2, "maximise_a": 1.0, "breaks": 1.0, "scale": (200,),
         "scale_heuristic": 0.3, "scale_cpsat": 0.5, "incremental_n": 300,
         "incremental_runs": 20, "sd_heuristic": 0.3, "sd_exact": 1.0}
QUICK_INSTANCES = 3


def data_dir() -> Path:
    return Path(os.environ.get("KLYNGE_DATA_DIR", ROOT.parent / "shared" / "data"))


def optional(name: str):
    """The solver module, or None (reported) when it is not written yet."""
    try:
        return importlib.import_module(f"klynge.brokerage.domain.{name}")
    except ImportError as error:
        print(f"! klynge.brokerage.domain.{name} is missing ({error}): its figures are left out")
        return None


def published_optima(folder: Path) -> dict:
    """Instance name → published optimum (total breaks), from the folder's README table."""
    readme = folder / "README.md"
    if not readme.exists():
        return {}
    found = {}
    row = re.compile(r"^\|\s*([\w.-]+)\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*[\d.]+\s*\|\s*$")
    for line in readme.read_text().splitlines():
        match = row.match(line)
        if match:
            found[match.group(1)] = int(match.group(3))
    return found


def instance_name(path: Path) -> str:
    return path.name.removesuffix(".dzn").removesuffix(".original")


def count_violations(event: Event, schedule: Schedule | None) -> int:
    return 0 if schedule is None else len(violations(event, schedule))


def spread(event: Event, schedule: Schedule) -> int:
    """max − min breaks over the participants with at least one meeting."""
    meeting = schedule.meetings_of(event)
    counts = [b for p, b in breaks(event, schedule).items() if meeting[p]]
    return max(counts) - min(counts) if counts else 0


def fmt(x, digits=2) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def percent(ratio) -> str | None:
    return None if ratio is None else f"{100 * ratio:.2f} %"


def print_table(title: str, header: list[str], rows: list[list]) -> None:
    cells = [header] + [[fmt(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]
    print(f"\n{title}")
    for i, row in enumerate(cells):
        print("  ".join(str(c).rjust(w) if j else str(c).ljust(w)
                        for j, (c, w) in enumerate(zip(row, widths, strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


# -- (a) and (b): the JAIR instances -------------------------------------------------------


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished children (the SAT portfolio's
    CaDiCaL processes, `satportfolio`)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def jair_suites(files: list[Path], optima: dict, limits: dict, heuristic, exact) -> dict:
    out = {}
    for path in files:
        name = instance_name(path)
        event = read_dzn(path.read_text())
        entry = {"meetings": len(event.requests), "scheduled": None, "breaks": None,
                 "published_optimum": optima.get(name), "seconds": None}
        bad = 0
        schedule = None
        if heuristic is not None:
            started = time.perf_counter()
            schedule = heuristic.schedule(event, time_limit=limits["heuristic_a"])
            bad += count_violations(event, schedule)
            used_exact = False
            if len(schedule.placements) < len(event.requests) and exact is not None:
                result = exact.maximise(event, time_limit=limits["maximise_a"], hint=schedule)
                used_exact = True
                if result.schedule is not None:
                    bad += count_violations(event, result.schedule)
                    if value(event, result.schedule) > value(event, schedule):
                        schedule = result.schedule
            entry.update(scheduled=len(schedule.placements),
                         seconds=round(time.perf_counter() - started, 3),
                         heuristic_breaks=sum(breaks(event, schedule).values()),
                         heuristic_spread=spread(event, schedule), exact_used_in_a=used_exact)
        if exact is not None:
            cpu = cpu_seconds()
            result = exact.minimise_breaks(event, d=D, time_limit=limits["breaks"],
                                           hint=schedule)
            # CPU seconds of the whole process (every solver thread) and its SAT processes: on
            # a shared, loaded machine the wall-clock limit buys much less CPU than on an idle one.
            entry["breaks_cpu_seconds"] = round(cpu_seconds() - cpu, 1)
            if result.schedule is not None:
                bad += count_violations(event, result.schedule)
                entry.update(breaks=result.breaks_total,
                             all_scheduled=len(result.schedule.placements) == len(event.requests),
                             spread=spread(event, result.schedule))
            entry.update(optimal=result.optimal, breaks_bound=_finite(result.bound),
                         breaks_seconds=round(result.seconds, 2))
        entry["violations"] = bad
        out[name] = entry
        print(f"  {name}: {entry['scheduled']}/{entry['meetings']} in {entry['seconds']} s; "
              f"breaks {entry['breaks']} (published {entry['published_optimum']}) "
              f"in {entry.get('breaks_seconds')} s", flush=True)
    return out


def _finite(x):
    return None if x is None or x != x or x in (float("inf"), float("-inf")) else round(x, 2)


def jair_summary(jair: dict) -> dict:
    compared = [e for e in jair.values()
                if e["published_optimum"] is not None and e["breaks"] is not None]
    return {
        "instances": len(jair),
        "all_scheduled_in_a": sum(1 for e in jair.values() if e["scheduled"] == e["meetings"]),
        "max_seconds_a": max((e["seconds"] for e in jair.values() if e["seconds"] is not None),
                             default=None),
        "with_published_optimum": sum(1 for e in jair.values()
                                      if e["published_optimum"] is not None),
        "at_published_optimum": sum(1 for e in compared
                                    if e["breaks"] <= e["published_optimum"]),
        "within_2": sum(1 for e in compared if e["breaks"] <= e["published_optimum"] + 2),
        "proven_optimal": sum(1 for e in jair.values() if e.get("optimal")),
        "max_breaks_seconds": max((e["breaks_seconds"] for e in jair.values()
                                   if e.get("breaks_seconds") is not None), default=None),
    }


# -- (c) scale ------------------------------------------------------------------------------


def scale_suite(sizes, limits: dict, heuristic, exact, bound) -> tuple[dict, dict]:
    out, published = {}, {}
    for n in sizes:
        event = synthetic(n, seed=0, load=0.9)
        entry = {"value": None, "lp_bound": None, "ratio": None, "seconds": None,
                 "cpsat_value": None, "cpsat_seconds": None, "requests": len(event.requests),
                 "tables": event.tables, "table_load": round(table_load(event), 3),
                 "total_priority": sum(r.priority for r in event.requests)}
        bad = 0
        if heuristic is not None:
            started = time.perf_counter()
            schedule = heuristic.schedule(event, time_limit=limits["scale_heuristic"])
            entry["seconds"] = round(time.perf_counter() - started, 3)
            entry["value"] = value(event, schedule)
            entry["scheduled"] = len(schedule.placements)
            bad += count_violations(event, schedule)
            published[n] = (event, schedule)
        if bound is not None:
            started = time.perf_counter()
            entry["lp_bound"] = round(bound.lp_bound(event), 3)
            entry["lp_seconds"] = round(time.perf_counter() - started, 3)
            if entry["value"] is not None and entry["lp_bound"]:
                entry["ratio"] = round(entry["value"] / entry["lp_bound"], 5)
        if exact is not None:
            result = exact.maximise(event, time_limit=limits["scale_cpsat"])
            entry["cpsat_seconds"] = round(result.seconds, 2)
            if result.schedule is not None:
                entry["cpsat_value"] = result.value
                bad += count_violations(event, result.schedule)
            entry["cpsat_bound"] = _finite(result.bound)
            entry["cpsat_optimal"] = result.optimal
        entry["violations"] = bad
        out[str(n)] = entry
        print(f"  {n}: value {entry['value']} / LP {entry['lp_bound']} in {entry['seconds']} s;"
              f" CP-SAT {entry['cpsat_value']} in {entry['cpsat_seconds']} s", flush=True)
    return out, published


# -- (d) incremental ------------------------------------------------------------------------


def incremental_suite(n: int, runs: int, limits: dict, heuristic, published: dict) -> dict:
    if heuristic is None:
        return {}
    if n in published:
        event, schedule = published[n]
    else:
        event = synthetic(n, seed=0, load=0.9)
        schedule = heuristic.schedule(event, time_limit=limits["scale_heuristic"])
    schedule = assign_tables(event, schedule)
    frozen = tuple(schedule.placements)
    started = time.perf_counter()
    placer = LatePlacer(event, schedule, frozen=frozen)
    build_ms = 1000 * (time.perf_counter() - started)
    rng = random.Random(7)
    pairs = {frozenset(r.pair) for r in event.requests}
    next_id = max(r.id for r in event.requests) + 1
    samples, one_shot, placed, moved, other = [], [], 0, 0, 0
    while len(samples) < runs:
        a, b = rng.sample(event.participants, 2)
        if frozenset((a, b)) in pairs:
            continue
        late = Request(next_id, a, b, rng.choice((1, 2, 3)))
        if not event.allowed_slots(late):
            continue
        pairs.add(frozenset((a, b)))
        next_id += 1
        started = time.perf_counter()
        changes = placer.add(late)
        samples.append(time.perf_counter() - started)
        placed += late.id in changes
        moved += sum(1 for rid in changes if rid in schedule.placements)
        # the one-call API on the published schedule alone (it rebuilds the state each time)
        copy = replace(event, requests=event.requests + (late,))
        started = time.perf_counter()
        result = heuristic.place_late(copy, schedule, [late.id], frozen=frozen)
        one_shot.append(time.perf_counter() - started)
        checked = replace(copy, locked=dict(schedule.placements))
        other += sum(1 for code, _ in violations(checked, result) if code != "locked_moved")
        moved += sum(1 for code, _ in violations(checked, result) if code == "locked_moved")
    final = placer.schedule()
    checked = replace(placer.event, locked=dict(schedule.placements))
    for code, _detail in violations(checked, final):
        if code == "locked_moved":
            moved += 1
        else:
            other += 1

    def pct(values, q):
        ordered = sorted(values)
        return round(1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)

    return {"participants": n, "requests": len(event.requests),
            "frozen_meetings": len(frozen), "runs": runs, "placed": placed,
            "build_ms": round(build_ms, 1), "p50_ms": pct(samples, 0.5),
            "p95_ms": pct(samples, 0.95), "max_ms": pct(samples, 1.0),
            "place_late_p50_ms": pct(one_shot, 0.5), "place_late_p95_ms": pct(one_shot, 0.95),
            "frozen_moved": moved, "violations": other}


# -- (e) speed dating -----------------------------------------------------------------------


def _methods(path: Path) -> dict:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    people = [int(x) for x in rows[0][1:]]
    found = {p: set() for p in people}
    for row in rows[1:]:
        for p, flag in zip(people, row[1:], strict=True):
            if flag.strip() == "True":
                found[p].add(row[0])
    return found


def speed_dating_event(folder: Path) -> Event:
    """The Vaggi et al. instance as a round-based event (module docstring, suite e)."""
    settings = json.loads((folder / "Settings.json").read_text())
    rounds = int(settings.get("n_rounds", 5))
    known = _methods(folder / "Known_Methods.csv")
    wanted = _methods(folder / "Wanted_Methods.csv")
    people = sorted(known)
    acquainted = set()
    for line in (folder / "Network.txt").read_text().split("\n"):
        if line.strip():
            a, b = (int(x) for x in line.split())
            acquainted.add(frozenset((a, b)))
    requests = []
    for i, a in enumerate(people):
        for b in people[i + 1:]:
            if frozenset((a, b)) in acquainted:
                continue
            score = len(known[a] & wanted[b]) + len(known[b] & wanted[a])
            if score:
                requests.append(Request(len(requests), a, b, float(score)))
    return Event(participants=tuple(people), slot_sessions=(1,) * rounds,
                 tables=len(people) // 2, requests=tuple(requests))


def speed_dating_suite(folder: Path, limits: dict, heuristic, exact, bound) -> dict:
    if not folder.is_dir():
        print(f"! {folder} is absent: speed dating left out")
        return {}
    event = speed_dating_event(folder)
    out = {"participants": len(event.participants), "rounds": event.n_slots,
           "requests": len(event.requests),
           "total_priority": sum(r.priority for r in event.requests)}
    bad = 0
    if heuristic is not None:
        started = time.perf_counter()
        schedule = heuristic.schedule(event, time_limit=limits["sd_heuristic"])
        out.update(heuristic_value=value(event, schedule),
                   heuristic_meetings=len(schedule.placements),
                   heuristic_seconds=round(time.perf_counter() - started, 3))
        bad += count_violations(event, schedule)
    if exact is not None:
        result = exact.maximise(event, time_limit=limits["sd_exact"])
        out.update(exact_value=result.value if result.schedule is not None else None,
                   exact_meetings=(len(result.schedule.placements)
                                   if result.schedule is not None else None),
                   exact_optimal=result.optimal, exact_bound=_finite(result.bound),
                   exact_seconds=round(result.seconds, 2))
        bad += count_violations(event, result.schedule)
    if bound is not None:
        out["lp_bound"] = round(bound.lp_bound(event), 3)
    if out.get("heuristic_value") is not None and out.get("exact_value"):
        out["ratio"] = round(out["heuristic_value"] / out["exact_value"], 5)
    out["violations"] = bad
    return out


# -- main -----------------------------------------------------------------------------------


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
            "sat_solver": _sat_available()}


def _sat_available() -> bool:
    """Whether python-sat is installed: suite (b)'s SAT probes (`satbreaks`) need it."""
    module = optional("satbreaks")
    return bool(module is not None and module.available())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", help="also write the result to this path")
    parser.add_argument("--instances", help="run suites (a) and (b) on every .dzn file here")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args(argv)
    limits = QUICK if args.quick else FULL
    load_before = round(os.getloadavg()[0], 2)
    heuristic, exact, bound = optional("heuristic"), optional("exact"), optional("bound")

    folder = Path(args.instances) if args.instances else data_dir() / "b2b-jair2022"
    files = sorted(folder.glob("*.dzn"))
    if args.quick and not args.instances:
        files = files[:QUICK_INSTANCES]
    if not files:
        print(f"! no .dzn files in {folder}: suites (a) and (b) left out")
    print(f"(a, b) {len(files)} instances from {folder}", flush=True)
    jair = jair_suites(files, published_optima(folder), limits, heuristic, exact)
    print_table(
        "(a) maximise meetings, (b) fewest breaks with fairness d = 2",
        ["instance", "meetings", "scheduled", "s (a)", "breaks", "published", "bound",
         "optimal", "s (b)", "cpu s (b)", "spread"],
        [[name, e["meetings"], e["scheduled"], e["seconds"], e["breaks"],
          e["published_optimum"], e.get("breaks_bound"), e.get("optimal"),
          e.get("breaks_seconds"), e.get("breaks_cpu_seconds"), e.get("spread")]
         for name, e in jair.items()])
    summary = jair_summary(jair)
    print(f"all meetings scheduled in (a): {summary['all_scheduled_in_a']}/{len(jair)}; "
          f"at the published optimum: {summary['at_published_optimum']}/"
          f"{summary['with_published_optimum']}; within +2: {summary['within_2']}")

    # With --instances only suites (a) and (b) run, on those files (the contract).
    scale, incremental, speed = {}, {}, {}
    if not args.instances:
        print("\n(c) scale", flush=True)
        scale, published = scale_suite(limits["scale"], limits, heuristic, exact, bound)
        print_table("(c) synthetic events, table load 0.9",
                    ["participants", "requests", "tables", "value", "LP bound", "ratio", "s",
                     "CP-SAT value", "CP-SAT s"],
                    [[n, e["requests"], e["tables"], e["value"], e["lp_bound"], percent(e["ratio"]),
                      e["seconds"], e["cpsat_value"], e["cpsat_seconds"]]
                     for n, e in scale.items()])

        print("\n(d) incremental", flush=True)
        incremental = incremental_suite(limits["incremental_n"], limits["incremental_runs"],
                                        limits, heuristic, published)
        if incremental:
            print_table("(d) one late request, every published meeting frozen",
                        ["participants", "runs", "placed", "build ms", "p50 ms", "p95 ms",
                         "max ms", "place_late p95 ms", "frozen moved"],
                        [[incremental["participants"], incremental["runs"], incremental["placed"],
                          incremental["build_ms"], incremental["p50_ms"], incremental["p95_ms"],
                          incremental["max_ms"], incremental["place_late_p95_ms"],
                          incremental["frozen_moved"]]])

        print("\n(e) speed dating", flush=True)
        speed = speed_dating_suite(data_dir() / "speed-dating-vaggi2014", limits, heuristic, exact,
                                   bound)
        if speed:
            print_table("(e) speed dating (Vaggi et al. 2014), rounds as slots",
                        ["requests", "rounds", "heuristic", "exact", "optimal", "LP bound",
                         "ratio", "heuristic s", "exact s"],
                        [[speed["requests"], speed["rounds"], speed.get("heuristic_value"),
                          speed.get("exact_value"), speed.get("exact_optimal"),
                          speed.get("lp_bound"), percent(speed.get("ratio")),
                          speed.get("heuristic_seconds"), speed.get("exact_seconds")]])

    total_violations = (sum(e["violations"] for e in jair.values())
                        + sum(e["violations"] for e in scale.values())
                        + incremental.get("violations", 0) + speed.get("violations", 0))
    load_after = round(os.getloadavg()[0], 2)
    result = {
        "jair": jair,
        "scale": scale,
        "incremental_p95_ms": incremental.get("p95_ms"),
        "jair_summary": summary,
        "incremental": incremental,
        "speed_dating": speed,
        "violations": total_violations,
        "frozen_moved": incremental.get("frozen_moved"),
        "quick": args.quick,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
    }
    print(f"\nviolations: {total_violations}; load average {load_before} → {load_after}")
    text = json.dumps(result, indent=2)
    if not args.quick and not args.instances:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "scheduling.json").write_text(text)
        print(f"→ {(RESULTS / 'scheduling.json').relative_to(ROOT)}")
    if args.json:
        Path(args.json).write_text(text)
        print(f"→ {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
