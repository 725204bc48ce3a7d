"""The database engines' side of backups and restores: SQLite's online backup API and the
PostgreSQL client tools (pg_dump, pg_restore), with the errors they can give in words.

Used by klynge.core.backup, which holds the archive format and the order of the steps.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for a person."""


# --- PostgreSQL tools ----------------------------------------------------------------------


def _version_key(directory: str) -> tuple:
    match = re.search(r"/postgresql/([\d.]+)/bin", directory)
    return tuple(int(p) for p in match.group(1).split(".")) if match else (0,)


def find_pg_tool(name: str, *, search_path: str | None = None,
                 roots: str = "/usr/lib/postgresql/*/bin") -> str:
    """`pg_dump` or `pg_restore`: the one on PATH, else the newest PostgreSQL's in
    /usr/lib/postgresql/*/bin. BackupError naming both places when neither has it."""
    found = shutil.which(name, path=search_path)
    if found:
        return found
    for directory in sorted(glob.glob(roots), key=_version_key, reverse=True):
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise BackupError(
        _("%(tool)s was not found on PATH or in /usr/lib/postgresql/*/bin. Install the "
          "PostgreSQL client tools (Debian: apt-get install postgresql-client) of the "
          "server's version or newer.") % {"tool": name})


def pg_connection_arguments(using: str) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for the PostgreSQL tools from
    DATABASES[using]: the password only ever in PGPASSWORD, never on the command line."""
    params = connections[using].settings_dict
    arguments = []
    if params.get("HOST"):
        arguments += ["--host", str(params["HOST"])]  # a socket directory works too
    if params.get("PORT"):
        arguments += ["--port", str(params["PORT"])]
    if params.get("USER"):
        arguments += ["--username", str(params["USER"])]
    arguments += ["--no-password"]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    options = params.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY")):
        if options.get(option):
            env[variable] = str(options[option])
    return arguments, env


def run_tool(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(_("%(what)s could not start: %(error)s")
                          % {"what": what, "error": error}) from error
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip() or _("exit code %(code)d") % {
            "code": done.returncode}
        raise BackupError(_("%(what)s failed: %(detail)s") % {"what": what, "detail": detail})


# --- SQLite ----------------------------------------------------------------------------------


def copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    """A consistent copy of the database behind `source` in a new file `target` (the online
    backup API in one step: it sees committed data only, whoever else writes meanwhile)."""
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
        # One self-contained file in the archive, not a database expecting a -wal beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def check_sqlite(path: Path) -> list[list[str]]:
    """Refuses a damaged file or a database that is not Klynge's; returns its migrations."""
    try:
        database = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(_("The database in the backup cannot be opened: %(error)s")
                          % {"error": error}) from error
    try:
        result = database.execute("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise BackupError(_("The database in the backup is damaged: %(detail)s")
                              % {"detail": result})
        tables = {row[0] for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "django_migrations" not in tables or "core_user" not in tables:
            raise BackupError(_("The database in the backup is not a Klynge database."))
        return sorted([app, name] for app, name in database.execute(
            "SELECT app, name FROM django_migrations"))
    except sqlite3.DatabaseError as error:
        raise BackupError(_("The database in the backup is damaged: %(detail)s")
                          % {"detail": error}) from error
    finally:
        database.close()


def check_pgdump(path: Path) -> None:
    """Refuses a dump pg_restore cannot read (reads its table of contents only)."""
    run_tool([find_pg_tool("pg_restore"), "--list", str(path)], dict(os.environ),
         _("Reading the database dump in the backup"))


def restore_sqlite(database_file: Path, connection) -> None:
    """The backup API from the checked file into the live database, all pages in one step:
    one write transaction on the target, so a failure leaves it as it was, and the server
    and worker (WAL) see either the old or the new database, never a mixture."""
    source = sqlite3.connect(f"{database_file.resolve().as_uri()}?mode=ro",
                             uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(_("The database could not be restored (it is unchanged): "
                            "%(error)s") % {"error": error}) from error
    finally:
        source.close()


def restore_postgresql(dump: Path, using: str) -> None:
    """pg_restore in a single transaction: an error rolls everything back."""
    arguments, env = pg_connection_arguments(using)
    name = str(connections[using].settings_dict["NAME"])
    run_tool([find_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
          "--no-privileges", "--single-transaction", "--exit-on-error", *arguments,
          "--dbname", name, str(dump)], env,
         _("pg_restore (the database is unchanged: the restore ran in one transaction)"))
