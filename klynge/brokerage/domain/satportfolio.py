"""One "at most K breaks?" question put to several CaDiCaL runs at once, one process each,
the first definite answer winning (`probe`).

CaDiCaL's time to a schedule on the hardest JAIR 2022 instances varies several-fold with the
encoding's redundant constraints, and neither variant is faster on both (measured, one core
each, "at most 8" on forum-13crafb: 50 s plain, 7.5 s with `COUNTS` and `PAIRS`; "at most 5"
on ticf-13crafb: 14 s plain, 37 s with both). Run side by side, the first answer comes after
the shorter of the two. python-sat holds the interpreter lock while it solves, so the runs
are processes, not threads: `python -m klynge.brokerage.domain.satportfolio`, the question
pickled on its standard input and the answer on its standard output (not multiprocessing,
whose "spawn" re-imports the caller's main module and whose "fork" copies a web process or
a test runner with its threads and connections). With one process (`processes` = 1) the
first variant runs here, in this process (also where the interpreter cannot be started
again: an embedded one without `sys.executable`).

A run that has not answered by the time limit is terminated; so are the others once one run
answers "sat" or "unsat" (both are definite: the question is the same)."""

import os
import pickle
import subprocess
import sys
import time
from multiprocessing.connection import wait
from pathlib import Path

from klynge.brokerage.domain import satbreaks
from klynge.brokerage.domain.model import Event, Schedule

#: The encoding variants run side by side (`satbreaks.Encoding`'s redundant constraints).
VARIANTS = ({"counts": False, "pairs": False}, {"counts": True, "pairs": True})
#: Seconds a run may take beyond the time limit to start, encode and report.
GRACE = 1.5
ROOT = Path(__file__).resolve().parents[3]  # the directory that holds the klynge package


def _start(question: dict) -> subprocess.Popen:
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), path] if path else [str(ROOT)])}
    process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, env=env)
    process.stdin.write(pickle.dumps(question))
    process.stdin.close()
    return process


def probe(event: Event, budget: int, *, d: int | None, time_limit: float,
          hint: Schedule | None = None, processes: int = 2):
    """`satbreaks.probe` with `VARIANTS[:processes]` in parallel: ("sat", schedule),
    ("unsat", None) or ("unknown", None)."""
    variants = VARIANTS[:max(1, processes)]
    if len(variants) == 1 or not satbreaks.available() or not sys.executable:
        return satbreaks.probe(event, budget, d=d, time_limit=time_limit, hint=hint,
                               **variants[0])
    deadline = time.perf_counter() + time_limit + GRACE
    running = {}
    try:
        for variant in variants:
            process = _start({"event": event, "budget": budget, "d": d,
                              "time_limit": time_limit, "hint": hint, "variant": variant})
            running[process.stdout] = process
        while running:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            for output in wait(list(running), timeout=left):
                process = running.pop(output)
                data = output.read()
                process.wait(timeout=1.0)
                if not data:  # the run died without an answer
                    continue
                answer = pickle.loads(data)
                if answer[0] != "unknown":
                    return answer
        return "unknown", None
    finally:
        for process in running.values():
            process.kill()
        for process in running.values():
            process.wait(timeout=1.0)
            process.stdout.close()


def main() -> None:
    question = pickle.load(sys.stdin.buffer)
    answer = satbreaks.probe(question["event"], question["budget"], d=question["d"],
                             time_limit=question["time_limit"], hint=question["hint"],
                             **question["variant"])
    sys.stdout.buffer.write(pickle.dumps(answer))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
