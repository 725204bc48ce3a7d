"""Run every benchmark in bench/ in turn (`make bench`), each in its own process and database."""

import subprocess
import sys
from pathlib import Path

BENCHMARKS = ["bench.org_list", "bench.imports", "bench.kpis", "bench.matchmaking",
              "bench.matchmaking_app", "bench.scheduling", "bench.brokerage_app", "bench.load"]


def main() -> int:
    failed = []
    root = Path(__file__).resolve().parent.parent
    for module in BENCHMARKS:
        if not (root / (module.replace(".", "/") + ".py")).exists():
            continue
        print(f"\n=== {module} ===", flush=True)
        if subprocess.call([sys.executable, "-m", module], cwd=root) != 0:
            failed.append(module)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
