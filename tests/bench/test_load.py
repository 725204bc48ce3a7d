"""Smoke test of bench/load.py: a tiny run (5 users, 5 s, the small demo) of the real thing:
gunicorn on 127.0.0.1 and locust, in a child process with its own database. It asserts the
JSON's shape and zero failed requests; no timing is asserted."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.realdata
def test_a_tiny_run_serves_every_page_without_a_failure(data_dir, tmp_path):
    out = tmp_path / "load.json"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DATABASE_URL", "KLYNGE_", "DJANGO_"))}
    env["KLYNGE_DATA_DIR"] = str(data_dir)

    completed = subprocess.run(
        [sys.executable, "-m", "bench.load", "--users", "5", "--spawn-rate", "5", "--seconds",
         "5", "--workers", "2", "--small", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(out.read_text())
    assert (result["benchmark"], result["users"], result["seconds"], result["workers"]) == (
        "load", 5, 5, 2)
    assert set(result["pages"]) == {"dashboard", "organisation list", "activity page",
                                    "public sign-up", "API list", "health (ceiling)"}
    for page in result["pages"].values():
        assert {"path", "requests", "failures", "rps", "p50_ms", "p95_ms", "max_ms"} <= set(page)
        assert page["requests"] > 0
        assert page["failures"] == 0
    assert result["pages"]["health (ceiling)"]["path"] == "/api/health/"
    assert result["pages"]["API list"]["path"].startswith("/api/v1/")
    assert result["database"]["organisations"] >= 60
    assert (result["failures"], result["failure_samples"], result["unmeasured"]) == (0, [], [])
    assert result["total"]["requests"] == sum(p["requests"] for p in result["pages"].values())
    assert {"before", "after"} == set(result["load_average"])
    assert {"python", "cpus", "database"} <= set(result["machine"])
    assert "zero failures: OK" in completed.stdout
