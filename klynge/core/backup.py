"""Backups and restores of a whole installation: the database and the uploaded files.

A backup is one `.tar.gz` archive holding

- `klynge-backup.json`: the manifest (format, version, database engine, time, the applied
  migrations, the number of uploaded files);
- `database.sqlite3` (SQLite, written with SQLite's online backup API: a consistent copy even
  while the server and the worker write, in WAL mode) or `database.dump` (PostgreSQL,
  `pg_dump --format=custom`);
- `media/`: every uploaded file under MEDIA_ROOT (imports and their error files, evidence,
  frozen reports), which hold personal data and belong with the rows that point at them.

A restore checks the archive first (a file that is not a Klynge backup, a backup of the other
database engine, a backup made by a newer Klynge and a damaged database are refused before
anything changes), saves the current database to a safety backup when it holds data, then
replaces the database in one transaction (SQLite: the backup API into the live database in a
single step; PostgreSQL: `pg_restore --clean --if-exists --no-owner --single-transaction`) and
last swaps the uploaded files into place. A failed restore leaves the database as it was.

A bare SQLite database file or a bare `pg_dump --format=custom` file (the manual commands
docs/operations.md used to give) restores too, without uploaded files.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klynge.core.backup_engines import (  # noqa: F401 - BackupError is public here too
    BackupError,
    check_pgdump,
    check_sqlite,
    copy_sqlite,
    find_pg_tool,
    pg_connection_arguments,
    restore_postgresql,
    restore_sqlite,
    run_tool,
)

FORMAT = "klynge-backup"
VERSION = 1
MANIFEST = "klynge-backup.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.dump"
MEDIA_MEMBER = "media"
SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
SQLITE = "sqlite"
POSTGRESQL = "postgresql"
ENGINE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    engine: str
    media_files: int


@dataclass
class BackupFile:
    """What a file offered for restoring holds, found without changing anything."""

    path: Path
    kind: str  # "archive", "sqlite" (a bare database file) or "pgdump" (a bare dump)
    engine: str
    manifest: dict = field(default_factory=dict)

    @property
    def has_media(self) -> bool:
        return self.kind == "archive"


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    engine: str
    media_files: int | None  # None: the backup held no uploaded files, MEDIA_ROOT untouched
    safety_backup: BackupResult | None
    unapplied_migrations: int  # the backup is older than the code: run `klynge migrate`


# --- settings and helpers --------------------------------------------------------------------


def backup_dir() -> Path:
    """Where backups go by default: $KLYNGE_BACKUP_DIR, else <var>/backups."""
    configured = getattr(settings, "KLYNGE_BACKUP_DIR", None) or os.environ.get(
        "KLYNGE_BACKUP_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"


def default_path(prefix: str = "klynge") -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return backup_dir() / f"{prefix}-{stamp}.tar.gz"


def engine_of(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor in (SQLITE, POSTGRESQL):
        return vendor
    raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.")
                      % {"vendor": vendor})


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files(root: Path | None = None) -> list[Path]:
    """Every uploaded file under MEDIA_ROOT, as paths relative to it, sorted."""
    root = root or media_root()
    if not root.is_dir():
        return []
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


def applied_migrations(using: str = "default") -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def database_contents(using: str = "default") -> dict[str, int]:
    """What makes a database 'not empty': its users and its audit entries (every change made
    through the product writes one). Empty dict for a database without them or without
    tables at all (never migrated)."""
    from klynge.core.models import AuditEntry, User

    connection = connections[using]
    try:
        tables = set(connection.introspection.table_names())
    except DatabaseError:
        return {}
    contents = {}
    for key, model in (("users", User), ("audit_entries", AuditEntry)):
        if model._meta.db_table in tables:
            count = model.objects.using(using).count()
            if count:
                contents[key] = count
    return contents


def describe_contents(contents: dict[str, int]) -> str:
    users, entries = contents.get("users", 0), contents.get("audit_entries", 0)
    said_users = ngettext("%(count)d user", "%(count)d users", users) % {"count": users}
    said_entries = ngettext("%(count)d audit entry", "%(count)d audit entries",
                            entries) % {"count": entries}
    if users and entries:
        return _("%(users)s and %(entries)s") % {"users": said_users, "entries": said_entries}
    return said_users if users else said_entries


# --- backup ----------------------------------------------------------------------------------


def create_backup(path: Path | str | None = None, *, using: str = "default",
                  prefix: str = "klynge") -> BackupResult:
    """Write a backup archive of the database and the uploaded files to `path` (default
    <backup dir>/klynge-YYYYmmdd-HHMMSS.tar.gz). Never overwrites a file; a failed backup
    leaves no partial archive behind."""
    engine = engine_of(using)
    target = Path(path) if path else default_path(prefix)
    if target.exists():
        raise BackupError(_("%(path)s already exists; choose another file name.")
                          % {"path": target})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(_("The folder %(folder)s cannot be created: %(error)s")
                          % {"folder": target.parent, "error": error}) from error
    connection = connections[using]
    files = media_files()
    try:
        with tempfile.TemporaryDirectory(prefix=".klynge-backup-", dir=target.parent) as tmp:
            work = Path(tmp)
            if engine == SQLITE:
                member = SQLITE_MEMBER
                connection.ensure_connection()
                copy_sqlite(connection.connection, work / member)
            else:
                member = POSTGRES_MEMBER
                arguments, env = pg_connection_arguments(using)
                run_tool([find_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                      "--file", str(work / member), *arguments,
                      "--dbname", str(connection.settings_dict["NAME"])], env, "pg_dump")
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "engine": engine,
                "created": timezone.now().isoformat(),
                "database": member,
                "media_files": len(files),
                "migrations": applied_migrations(using),
            }
            partial = work / "archive.tar.gz"
            with tarfile.open(partial, "w:gz") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
                archive.add(work / member, arcname=member)
                _add_media(archive, files)
            partial.chmod(0o600)  # personal data: readable by the owner only
            os.replace(partial, target)
    except OSError as error:
        raise BackupError(_("The backup could not be written: %(error)s")
                          % {"error": error}) from error
    return BackupResult(path=target, size=target.stat().st_size, engine=engine,
                        media_files=len(files))


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _add_media(archive: tarfile.TarFile, files: list[Path]) -> None:
    root = media_root()
    folder = tarfile.TarInfo(MEDIA_MEMBER)
    folder.type = tarfile.DIRTYPE
    folder.mode = 0o700
    folder.mtime = int(datetime.now().timestamp())
    archive.addfile(folder)
    for relative in files:
        archive.add(root / relative, arcname=f"{MEDIA_MEMBER}/{relative.as_posix()}",
                    recursive=False)


# --- restore ---------------------------------------------------------------------------------


def inspect_backup(path: Path | str) -> BackupFile:
    """What `path` holds, or BackupError when it is not a Klynge backup."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist or is not a file.") % {"path": path})
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return BackupFile(path=path, kind="sqlite", engine=SQLITE)
    if head.startswith(PGDUMP_MAGIC):
        return BackupFile(path=path, kind="pgdump", engine=POSTGRESQL)
    not_a_backup = BackupError(
        _("%(path)s is not a Klynge backup (expected an archive written by `klynge "
          "backup`, a SQLite database or a pg_dump custom-format file).") % {"path": path})
    try:
        if not tarfile.is_tarfile(path):
            raise not_a_backup
        with tarfile.open(path, "r:*") as archive:
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except (KeyError, AttributeError, ValueError):
                raise not_a_backup from None
            names = set(archive.getnames())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(_("%(path)s cannot be read as a backup archive: %(error)s")
                          % {"path": path, "error": error}) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_a_backup
    if manifest.get("version") != VERSION:
        raise BackupError(_("%(path)s is a Klynge backup of format version %(version)s, "
                            "which this Klynge cannot read.")
                          % {"path": path, "version": manifest.get("version")})
    engine = manifest.get("engine")
    member = {SQLITE: SQLITE_MEMBER, POSTGRESQL: POSTGRES_MEMBER}.get(engine)
    if member is None or member not in names:
        raise BackupError(_("%(path)s is damaged: its database is missing.") % {"path": path})
    return BackupFile(path=path, kind="archive", engine=engine, manifest=manifest)


def _check_engine(backup: BackupFile, engine: str) -> None:
    if backup.engine != engine:
        raise BackupError(
            _("%(path)s is a backup of a %(backup)s database, but this installation uses "
              "%(current)s. Restore it into a %(backup)s installation, or move the data with "
              "`klynge dumpdata` and `klynge loaddata`.")
            % {"path": backup.path, "backup": ENGINE_NAMES[backup.engine],
               "current": ENGINE_NAMES[engine]})


def _check_migrations(backup: BackupFile, migrations: list[list[str]] | None) -> int:
    """Refuses a backup made by a newer Klynge (migrations this code does not have);
    returns how many of the code's migrations the backup lacks (run `klynge migrate`)."""
    if migrations is None:
        return 0
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    in_backup = {f"{app}.{name}" for app, name in migrations}
    unknown = sorted(in_backup - known)
    if unknown:
        raise BackupError(
            _("%(path)s was made by a newer version of Klynge (it has migrations this "
              "version does not know: %(names)s). Upgrade Klynge first.")
            % {"path": backup.path, "names": ", ".join(unknown[:5])})
    return len(known - in_backup)


def _extract(backup: BackupFile, work: Path) -> tuple[Path, Path | None]:
    """The database file and the media folder (None for a bare file) in `work`."""
    if backup.kind != "archive":
        return backup.path, None
    member = backup.manifest["database"]
    try:
        with tarfile.open(backup.path, "r:*") as archive:
            wanted = [m for m in archive.getmembers()
                      if m.name == member or m.name == MEDIA_MEMBER
                      or m.name.startswith(f"{MEDIA_MEMBER}/")]
            archive.extractall(work, members=wanted, filter="data")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(_("%(path)s is damaged and cannot be unpacked: %(error)s")
                          % {"path": backup.path, "error": error}) from error
    media = work / MEDIA_MEMBER
    if not media.is_dir():
        media.mkdir()
    return work / member, media


def restore_backup(path: Path | str | BackupFile, *, using: str = "default",
                   safety_backup: bool = True) -> RestoreResult:
    """Replace the database (and MEDIA_ROOT, when the backup holds uploaded files) with the
    backup's. Checks everything it can first; with `safety_backup`, a database holding data
    is saved to <backup dir>/klynge-before-restore-....tar.gz before it is replaced."""
    backup = path if isinstance(path, BackupFile) else inspect_backup(path)
    engine = engine_of(using)
    _check_engine(backup, engine)
    migrations = backup.manifest.get("migrations") if backup.kind == "archive" else None
    connection = connections[using]
    root = media_root()
    work_parent = backup_dir()
    work_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".klynge-restore-", dir=work_parent) as tmp:
        database_file, media = _extract(backup, Path(tmp))
        if engine == SQLITE:
            found = check_sqlite(database_file)
            migrations = migrations if migrations is not None else found
        else:
            check_pgdump(database_file)
        missing = _check_migrations(backup, migrations)

        safety = None
        if safety_backup and database_contents(using):
            safety = create_backup(using=using, prefix="klynge-before-restore")

        # Stage the uploaded files beside MEDIA_ROOT (same file system: the swap is a rename).
        staged = None
        if media is not None:
            root.parent.mkdir(parents=True, exist_ok=True)
            staged = root.parent / f".{root.name}.restoring-{os.getpid()}"
            shutil.rmtree(staged, ignore_errors=True)
            shutil.copytree(media, staged)

        try:
            connection.close()  # no transaction or cursor of ours in the way
            if engine == SQLITE:
                restore_sqlite(database_file, connection)
            else:
                restore_postgresql(database_file, using)
        except BaseException:
            if staged is not None:
                shutil.rmtree(staged, ignore_errors=True)
            raise
        finally:
            connection.close()

        restored_files = None
        if staged is not None:
            _swap_media(staged, root)
            restored_files = len(media_files(root))
    return RestoreResult(path=backup.path, engine=engine, media_files=restored_files,
                         safety_backup=safety, unapplied_migrations=missing)


def _swap_media(staged: Path, root: Path) -> None:
    """The staged folder becomes MEDIA_ROOT by renaming; when MEDIA_ROOT itself cannot be
    renamed (a mount point), its contents are replaced instead."""
    old = root.parent / f".{root.name}.replaced-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    try:
        if root.exists():
            os.replace(root, old)
        os.replace(staged, root)
    except OSError:
        if old.exists() and not root.exists():
            os.replace(old, root)
        for child in list(root.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in list(staged.iterdir()):
            shutil.move(str(child), root / child.name)
        shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
