"""Load (issue 7): the app under gunicorn on 127.0.0.1, driven by locust (headless).

Run: `python -m bench.load [--users 50] [--spawn-rate 10] [--seconds 60] [--workers N]
[--small] [--json PATH]` (or `make bench`). It

1. builds a database: `klynge migrate` and `klynge demo` into a SQLite file in a temporary
   folder (or into the PostgreSQL database named by DATABASE_URL, which must be empty);
   `--small` builds a 60-organisation demo instead of the full one (for the smoke test);
2. signs the demo's staff user in (a session made the way a login makes it; staff is not an
   MFA-required role) and creates the user's API token;
3. starts gunicorn over `config.wsgi` on 127.0.0.1:<free port> with 2 × cores + 1 workers
   (`--workers`), production settings (KLYNGE_DEBUG=0, static files collected; cookies not
   marked secure, as there is no HTTPS on 127.0.0.1), and waits for /api/health/;
4. runs `locust --headless -u USERS -r SPAWN_RATE -t SECONDS` over a locustfile it writes:
   each simulated user requests, with no think time, one of the pages below in turn:
   the dashboard (core:home), the organisation list, an activity's page (as staff), the public
   sign-up page of an activity (anonymous), an API list (/api/v1/organisations/ with the
   token; another list endpoint if that one is absent), and /api/health/, a view with no
   database access: the ceiling of what Django and gunicorn serve on this machine.
   A response other than 200 (a redirect to the login page included) is a failure;
5. prints a table per page (requests, failures, requests per second, p50, p95: exact, from
   every response time the locustfile records, not locust's rounded buckets) and writes
   bench/results/load.json (or --json PATH) with the machine and its load average.

Target (issue 7): zero failures at 50 concurrent users for 60 s. The exit code is 1 on any
failure. locust runs on the same machine and takes CPU from the server: the figures are a
floor for what a separate load generator would measure.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BIN = Path(sys.executable).parent
SMALL_DEMO = ["--organisations=60", "--people=150", "--members-2021=40", "--members-2025=48",
              "--interactions=200"]
PAGES = ("dashboard", "organisation list", "activity page", "public sign-up", "API list",
         "health (ceiling)")

LOCUSTFILE = '''
"""Written by bench/load.py: simulated people cycling through the measured pages, each
starting at another page; every response time is kept, for exact percentiles."""
import itertools
import json
import os

from locust import HttpUser, constant, events, task

TARGETS = json.loads(os.environ["KLYNGE_LOAD_TARGETS"])
SAMPLES = {}
STARTS = itertools.count()
STATE = {}


@events.init.add_listener
def remember(environment, **kwargs):
    STATE["environment"] = environment


@events.request.add_listener
def record(name, response_time, exception=None, **kwargs):
    SAMPLES.setdefault(name, []).append([response_time, exception is not None])


@events.quit.add_listener
def save(**kwargs):
    stats = STATE["environment"].stats
    with open(os.environ["KLYNGE_LOAD_SAMPLES"], "w") as handle:
        json.dump({"samples": SAMPLES, "start": stats.total.start_time,
                   "end": stats.total.last_request_timestamp,
                   "errors": list(stats.serialize_errors().values())}, handle)


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.step = next(STARTS)

    @task
    def cycle(self):
        target = TARGETS["pages"][self.step % len(TARGETS["pages"])]
        self.step += 1
        cookies = {"sessionid": TARGETS["session"]} if target["auth"] == "session" else {}
        headers = ({"Authorization": "Token " + TARGETS["token"]}
                   if target["auth"] == "token" else None)
        with self.client.get(target["path"], name=target["name"], cookies=cookies,
                             headers=headers, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
'''


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10,
                        help="users started per second (default 10)")
    parser.add_argument("--seconds", type=int, default=60, help="run time (default 60)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--small", action="store_true",
                        help="a 60-organisation demo instead of the full one")
    parser.add_argument("--json", type=Path, default=RESULTS / "load.json",
                        help="where to write the result (default bench/results/load.json)")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(folder: Path) -> dict:
    """The server's and the management commands' environment: production settings on a
    throw-away folder and database."""
    # Production settings, except that static files are hashed but not compressed: the
    # bench requests no static file, and compressing Plotly and the API docs' bundles takes
    # minutes on a busy machine.
    (folder / "load_settings.py").write_text(
        "from config.settings import *  # noqa: F403\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}\n")
    env = dict(os.environ)
    env.update({
        "KLYNGE_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT), env.get("PYTHONPATH", "")]),
        "KLYNGE_DEBUG": "0",
        "KLYNGE_SECURE_COOKIES": "0",
        "KLYNGE_SSL_REDIRECT": "0",
        "KLYNGE_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "KLYNGE_TASKS_IMMEDIATE": "1",
        "KLYNGE_AXES_ENABLED": "0",
        "KLYNGE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # the API's per-user throttle would answer the bench's one token with 429s
        "KLYNGE_API_USER_RATE": "1000000/minute",
        "KLYNGE_LOG_LEVEL": "ERROR",
    })
    env.setdefault("DATABASE_URL", f"sqlite:///{folder / 'load.sqlite3'}")
    if env.get("KLYNGE_SECRET_KEY", "klynge-insecure").startswith("klynge-insecure"):
        env["KLYNGE_SECRET_KEY"] = secrets.token_urlsafe(64)
    return env


def klynge(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "klynge"), *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def build_database(env: dict, small: bool) -> dict[str, float]:
    """migrate, demo, collectstatic; the seconds each took."""
    steps = {"migrate": ["migrate"], "demo": ["demo", *(SMALL_DEMO if small else [])],
             "collectstatic": ["collectstatic", "--noinput"]}
    seconds = {}
    for step, command in steps.items():
        start = time.perf_counter()
        klynge(env, *command, "--verbosity=0")
        seconds[step] = round(time.perf_counter() - start, 1)
        print(f"  {step}: {seconds[step]} s", flush=True)
    return seconds


def prepare_targets(env: dict) -> dict:
    """Sign the staff user in, create the token, pick the activity and the API list (run in
    a child process so that this one never holds Django settings)."""
    script = textwrap.dedent('''
        import json, django
        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.urls import NoReverseMatch, get_resolver, reverse
        from rest_framework.authtoken.models import Token
        from klynge.activities.models import Activity
        from klynge.ecosystem.models import Organisation
        from klynge.core.roles import Role

        user = get_user_model().objects.filter(role=Role.STAFF, is_active=True).order_by(
            "email").first()
        client = Client()
        client.force_login(user)
        token, _ = Token.objects.get_or_create(user=user)
        activity = (Activity.objects.filter(is_public=True, status="open")
                    .order_by("starts_at").first()
                    or Activity.objects.filter(is_public=True).order_by("-starts_at").first())
        api = None
        for name in ("api:organisation-list", "api:activity-list"):
            try:
                api = reverse(name)
                break
            except NoReverseMatch:
                continue
        print(json.dumps({
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "token": token.key, "user": user.email, "activity": activity.pk,
            "api": api, "organisations": Organisation.objects.count(),
            "activities": Activity.objects.count(),
        }))
    ''')
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def pages(targets: dict) -> list[dict]:
    activity = targets["activity"]
    listed = [
        {"name": "dashboard", "path": "/", "auth": "session"},
        {"name": "organisation list", "path": "/ecosystem/organisations/", "auth": "session"},
        {"name": "activity page", "path": f"/activities/{activity}/", "auth": "session"},
        {"name": "public sign-up", "path": f"/events/{activity}/", "auth": "none"},
        {"name": "API list", "path": targets["api"], "auth": "token"},
        {"name": "health (ceiling)", "path": "/api/health/", "auth": "none"},
    ]
    return [page for page in listed if page["path"]]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "60", "--log-level", "warning",
         # the app is imported once and the workers forked from it: a quicker start
         "--preload"],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health/", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /api/health/ within 180 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def run_locust(folder: Path, env: dict, port: int, args, targets: dict) -> dict:
    """Run locust headless; the samples its locustfile saved."""
    locustfile = folder / "locustfile.py"
    locustfile.write_text(LOCUSTFILE)
    samples = folder / "samples.json"
    log = folder / "locust.log"
    with log.open("w") as output:
        completed = subprocess.run(
            [str(BIN / "locust"), "-f", str(locustfile), "--headless", "-u", str(args.users),
             "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--host",
             f"http://127.0.0.1:{port}", "--csv", str(folder / "locust"), "--only-summary",
             "--stop-timeout", "10", "--exit-code-on-error", "0", "--loglevel", "WARNING"],
            cwd=folder, env={**env, "KLYNGE_LOAD_TARGETS": json.dumps(targets),
                             "KLYNGE_LOAD_SAMPLES": str(samples)},
            stdout=output, stderr=subprocess.STDOUT)
    if completed.returncode != 0 or not samples.exists():
        print(log.read_text()[-3000:])
        raise RuntimeError(f"locust stopped with exit code {completed.returncode}")
    return json.loads(samples.read_text())


def figures(times: list[float], failed: int, seconds: float) -> dict:
    """Requests, failures, requests per second and exact percentiles of one page."""
    ordered = sorted(times)

    def pick(q: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)

    return {"requests": len(ordered), "failures": failed,
            "rps": round(len(ordered) / seconds, 1) if seconds > 0 else 0.0,
            "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": pick(1.0)}


def summarise(run: dict, measured: list[dict]) -> tuple[dict, dict]:
    """Per page and over all pages, from the raw samples."""
    seconds = max((run["end"] or 0) - (run["start"] or 0), 0.001)
    pages, everything, failed_total = {}, [], 0
    for page in measured:
        samples = run["samples"].get(page["name"], [])
        times = [time_ms for time_ms, _failed in samples]
        failed = sum(1 for _time, is_failure in samples if is_failure)
        pages[page["name"]] = {"path": page["path"], **figures(times, failed, seconds)}
        everything += times
        failed_total += failed
    return pages, figures(everything, failed_total, seconds)


def machine(env: dict) -> dict:
    import platform

    return {
        "python": platform.python_version(), "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(), "cpus": os.cpu_count(),
        "database": "postgresql" if env["DATABASE_URL"].startswith("postgres") else "sqlite",
    }


def print_table(result: dict) -> None:
    print(f"\n{result['users']} users, {result['seconds']} s, {result['workers']} gunicorn "
          f"workers, {result['database']['organisations']} organisations "
          f"(load average before {result['load_average']['before'][0]:.2f})")
    print(f"{'page':<20} {'path':<34} {'requests':>9} {'failures':>9} {'rps':>8} "
          f"{'p50 ms':>8} {'p95 ms':>8}")
    for name, page in result["pages"].items():
        print(f"{name:<20} {page['path']:<34} {page['requests']:>9} {page['failures']:>9} "
              f"{page['rps']:>8.1f} {page['p50_ms'] or 0:>8.0f} {page['p95_ms'] or 0:>8.0f}")
    total = result["total"]
    print(f"{'all':<20} {'':<34} {total['requests']:>9} {total['failures']:>9} "
          f"{total['rps']:>8.1f} {total['p50_ms'] or 0:>8.0f} {total['p95_ms'] or 0:>8.0f}")
    for failure in result["failure_samples"]:
        print(f"  FAIL {failure['page']}: {failure['error']} × {failure['count']}")
    print("zero failures: OK" if result["failures"] == 0
          else f"FAIL: {result['failures']} failed requests")


def run(args) -> int:
    folder = Path(tempfile.mkdtemp(prefix="klynge-load-"))
    env = environment(folder)
    server = None
    try:
        print(f"building the {'small ' if args.small else ''}demo database ...", flush=True)
        build_seconds = build_database(env, args.small)
        targets = prepare_targets(env)
        port = free_port()
        measured = pages(targets)
        server = start_server(env, port, args.workers)
        before = os.getloadavg()
        print(f"locust: {args.users} users for {args.seconds} s against 127.0.0.1:{port} ...",
              flush=True)
        run_data = run_locust(folder, env, port, args, {**targets, "pages": measured})
        after = os.getloadavg()
        pages_figures, total = summarise(run_data, measured)
        result = {
            "benchmark": "load", "machine": machine(env),
            "users": args.users, "spawn_rate": args.spawn_rate, "seconds": args.seconds,
            "workers": args.workers, "think_time_s": 0,
            "load_average": {"before": [round(x, 2) for x in before],
                             "after": [round(x, 2) for x in after]},
            "database": {"organisations": targets["organisations"],
                         "activities": targets["activities"], "build_seconds": build_seconds},
            "api_list": targets["api"],
            "pages": pages_figures,
            "total": total,
            "failures": total["failures"],
            "failure_samples": [
                {"page": error["name"], "error": error["error"], "count": error["occurrences"]}
                for error in run_data["errors"]],
        }
        unmeasured = [page["name"] for page in measured
                      if result["pages"][page["name"]]["requests"] == 0]
        result["unmeasured"] = unmeasured
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
        print_table(result)
        print(f"→ {args.json}")
        return 0 if result["failures"] == 0 and not unmeasured else 1
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
