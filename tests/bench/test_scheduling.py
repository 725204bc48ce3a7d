"""Smoke test of bench/scheduling.py: `--quick` on two real instances, the JSON's shape."""

import json
import shutil

import pytest

from bench.scheduling import main, published_optima


@pytest.mark.realdata
def test_quick_run_writes_the_issue_json_shape(data_dir, tmp_path, capsys):
    source = data_dir / "b2b-jair2022"
    instances = tmp_path / "instances"
    instances.mkdir()
    for name in ("tic-12.original.dzn", "tic-12crafc.original.dzn", "README.md"):
        shutil.copy(source / name, instances / name)
    out = tmp_path / "scheduling.json"

    assert main(["--quick", "--instances", str(instances), "--json", str(out)]) == 0

    result = json.loads(out.read_text())
    assert {"jair", "scale", "incremental_p95_ms", "speed_dating", "machine",
            "load_average"} <= set(result)
    assert set(result["jair"]) == {"tic-12", "tic-12crafc"}
    for entry in result["jair"].values():
        assert {"meetings", "scheduled", "breaks", "published_optimum", "seconds"} <= set(entry)
        assert entry["meetings"] == 125
        assert entry["published_optimum"] == 0
    # --instances runs suites (a) and (b) only
    assert (result["scale"], result["incremental_p95_ms"], result["speed_dating"]) == (
        {}, None, {})
    assert result["violations"] == 0
    assert result["frozen_moved"] in (0, None)
    assert "(a) maximise meetings" in capsys.readouterr().out


@pytest.mark.realdata
def test_quick_run_without_instances_runs_every_suite(tmp_path):
    out = tmp_path / "scheduling.json"

    assert main(["--quick", "--json", str(out)]) == 0

    result = json.loads(out.read_text())
    assert len(result["jair"]) == 3
    assert set(result["scale"]) == {"200"}
    assert {"value", "lp_bound", "seconds", "cpsat_value", "cpsat_seconds"} <= set(
        result["scale"]["200"])
    assert result["incremental_p95_ms"] is not None
    assert result["speed_dating"]["requests"] == 542
    assert (result["violations"], result["frozen_moved"]) == (0, 0)


def test_published_optima_are_read_from_the_readme_table(tmp_path):
    (tmp_path / "README.md").write_text(
        "# x\n\n| instance | meetings | optimum breaks | seconds |\n|---|---|---|---|\n"
        "| forum-13 | 154 | 0 | 2.5 |\n| tic-13crafc | 180 | 4 | 5.8 |\n")
    assert published_optima(tmp_path) == {"forum-13": 0, "tic-13crafc": 4}
    assert published_optima(tmp_path / "absent") == {}


@pytest.mark.realdata
def test_speed_dating_event(data_dir):
    from bench.scheduling import speed_dating_event

    event = speed_dating_event(data_dir / "speed-dating-vaggi2014")
    assert event.participants == tuple(range(40))
    assert event.slot_sessions == (1,) * 5
    assert event.tables == 20
    known = {frozenset(map(int, line.split()))
             for line in (data_dir / "speed-dating-vaggi2014" / "Network.txt").read_text()
             .splitlines() if line.strip()}
    assert len(known) == 104
    assert not any(frozenset(r.pair) in known for r in event.requests)
    assert len(event.requests) == 542
    assert all(r.priority >= 1 and r.priority == int(r.priority) for r in event.requests)
