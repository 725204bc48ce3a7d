"""`klynge serve [ADDRPORT]`: the development server with its background worker beside it.

Starts django-tasks-db's `db_worker` as a child process, prints the demo logins (when the
demo is there), runs Django's runserver on the address, and stops the worker when the
server stops (Ctrl+C, SIGTERM or an error). With the autoreloader, runserver restarts
itself in a child process; only the outer process starts the worker and prints the logins.
The worker runs in its own process group, so the whole group (the worker's own reloader
included) is stopped together.
"""

import os
import signal
import subprocess
import sys

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django.utils.translation import gettext as _

DEFAULT_ADDRESS = "127.0.0.1:8000"
STOP_TIMEOUT = 10  # seconds the worker gets to finish its current task


class Command(BaseCommand):
    help = (
        "Run the web server and the background-job worker together (the worker stops when "
        "the server stops)."
    )
    requires_system_checks: list[str] = []  # runserver runs them

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=DEFAULT_ADDRESS,
                            help=f"address and port (default {DEFAULT_ADDRESS})")
        parser.add_argument("--noreload", action="store_false", dest="use_reloader",
                            help="do not restart the server and the worker on code changes")
        parser.add_argument("--no-worker", action="store_false", dest="worker",
                            help="run the web server only")

    def handle(self, *args, addrport: str, use_reloader: bool, worker: bool, **options):
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # The reloader's child: the outer process already started the worker.
            call_command("runserver", addrport, use_reloader=use_reloader)
            return
        process = self.start_worker(use_reloader) if worker else None
        self.exit_on_signals()
        try:
            self.print_demo_logins()
            call_command("runserver", addrport, use_reloader=use_reloader)
        finally:
            if process is not None:
                self.stop_worker(process)

    def print_demo_logins(self) -> None:
        """The demo app's logins, if it is installed and the database is ready."""
        if "demo" not in get_commands():
            return
        try:
            call_command("demo", logins=True, stdout=self.stdout)
        except DatabaseError:
            self.stdout.write(_("No demo logins yet: run `klynge migrate` and `klynge demo`."))

    @staticmethod
    def exit_on_signals() -> None:
        """Turn SIGTERM and SIGHUP into a normal exit, so the worker is stopped too."""

        def leave(signum, frame):
            sys.exit(0)

        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), leave)

    def start_worker(self, use_reloader: bool) -> subprocess.Popen:
        env = {**os.environ}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        command = [sys.executable, "-m", "django", "db_worker",
                   "--reload" if use_reloader else "--no-reload"]
        process = subprocess.Popen(command, env=env, start_new_session=os.name == "posix")
        self.stdout.write(_("Background worker started (process %(pid)d).") % {"pid": process.pid})
        return process

    def stop_worker(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            self._signal(process, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self._signal(process, signal.SIGKILL if os.name == "posix" else signal.SIGTERM)
                process.wait()
        self.stdout.write(_("Background worker stopped."))

    @staticmethod
    def _signal(process: subprocess.Popen, signum: int) -> None:
        try:
            if os.name == "posix":
                os.killpg(process.pid, signum)  # the worker and its reloader child
            else:
                process.terminate()
        except ProcessLookupError:
            pass
