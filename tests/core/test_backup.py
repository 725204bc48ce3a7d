"""`klynge backup` and `klynge restore` on the suite's real database (SQLite in memory or the
PostgreSQL of CI): a restore gives back the same KPI figures and uploaded files; files that
are not backups, backups of the other engine, damaged backups and a database holding data
without --yes are refused, and nothing is changed by a refused or failed restore."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from klynge.core import backup
from klynge.core.models import User
from klynge.ecosystem.models import Membership, Organisation
from klynge.kpis import selectors
from klynge.kpis.domain import keys
from klynge.kpis.domain.counting import Period
from klynge.projects.choices import ProjectKind
from klynge.projects.models import Project
from tests.factories import UserFactory
from tests.kpis.factories import company, held, member, project_with, took_part, yes

# The commands close and reopen the connection and replace whole tables: no test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

YEAR = Period.year(2025)
OTHER_ENGINE = {"sqlite": "postgresql", "postgresql": "sqlite"}


@pytest.fixture(autouse=True)
def _backup_dir(settings, tmp_path):
    settings.KLYNGE_BACKUP_DIR = tmp_path / "backups"
    return settings.KLYNGE_BACKUP_DIR


def _ecosystem():
    """Four paying members (B with two people at a seminar, C said yes to innovation), one
    EU application with A and B, and a user (the database is not empty)."""
    a, b, c, d = (member(company(name=name)) for name in ("A ApS", "B ApS", "C ApS", "D ApS"))
    seminar = held(date(2025, 3, 10))
    took_part(seminar, b)
    took_part(seminar, b)
    yes(c, "innovation_started", date(2025, 3, 11), activity=seminar)
    project_with(a, b, kind=ProjectKind.EU_APPLICATION, submitted_on=date(2025, 5, 1))
    UserFactory(email="admin@example.org")


def _figures():
    return {row.key: (row.figure.value, sorted(row.figure.counted), row.figure.numerator,
                      row.figure.denominator)
            for row in selectors.kpi_rows(YEAR)}


def _run(name, *args):
    out = io.StringIO()
    call_command(name, *[str(a) for a in args], stdout=out)
    return out.getvalue()


def _upload(settings, relative, text):
    path = settings.MEDIA_ROOT / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _wipe():
    Project.objects.all().delete()
    Membership.objects.all().delete()


def test_a_restored_backup_gives_the_same_kpi_figures_and_uploaded_files(settings, tmp_path):
    _ecosystem()
    _upload(settings, "imports/2025/01/members.csv", "cvr;name\n12345678;A ApS\n")
    before = _figures()
    assert before[keys.PAYING_MEMBERS][0] == 4
    assert before[keys.INNOVATIVE_MEMBERS][:1] == (Decimal("25.0"),)
    assert before[keys.INNOVATIVE_MEMBERS][2:] == (1, 4)
    assert before[keys.EU_APPLICATIONS][0] == 2
    archive = tmp_path / "nightly.tar.gz"

    written = _run("backup", archive)

    assert f"Wrote {archive} (" in written
    assert "database and 1 uploaded file." in written
    _wipe()
    (settings.MEDIA_ROOT / "imports/2025/01/members.csv").unlink()
    _upload(settings, "stray.txt", "written after the backup")
    assert _figures()[keys.PAYING_MEMBERS][0] == 0
    assert _figures()[keys.EU_APPLICATIONS][0] == 0

    restored = _run("restore", archive, "--yes")

    assert _figures() == before
    assert Organisation.objects.count() == 4
    assert User.objects.get().email == "admin@example.org"
    media = settings.MEDIA_ROOT
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) \
        == ["imports/2025/01/members.csv"]
    assert (media / "imports/2025/01/members.csv").read_text() == "cvr;name\n12345678;A ApS\n"
    assert f"Restored the {backup.ENGINE_NAMES[connection.vendor]} database from {archive}." \
        in restored
    assert "Restored 1 uploaded file." in restored
    # The wiped database was saved first, and restoring that brings the wipe back.
    safety = sorted((tmp_path / "backups").glob("klynge-before-restore-*.tar.gz"))
    assert len(safety) == 1
    assert f"Saved the database as it was to {safety[0]}" in restored
    _run("restore", safety[0], "--yes", "--no-safety-backup")
    assert _figures()[keys.EU_APPLICATIONS][0] == 0
    assert [p.name for p in media.rglob("*") if p.is_file()] == ["stray.txt"]


def test_backup_writes_to_the_backup_folder_by_default_and_never_overwrites(tmp_path):
    _ecosystem()

    written = _run("backup")

    archives = sorted((tmp_path / "backups").glob("klynge-*.tar.gz"))
    assert len(archives) == 1
    assert archives[0].name.startswith("klynge-2") and len(archives[0].name) == len(
        "klynge-20260101-120000.tar.gz")
    assert str(archives[0]) in written
    assert archives[0].stat().st_mode & 0o777 == 0o600  # personal data: the owner only
    with tarfile.open(archives[0]) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("klynge-backup.json"))
    member_name = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}[connection.vendor]
    assert names == ["klynge-backup.json", member_name, "media"]
    assert (manifest["format"], manifest["version"], manifest["engine"], manifest["database"],
            manifest["media_files"]) == ("klynge-backup", 1, connection.vendor, member_name, 0)
    assert ["core", "0001_initial"] in manifest["migrations"]
    with pytest.raises(CommandError, match="already exists; choose another file name"):
        call_command("backup", str(archives[0]))


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    _ecosystem()
    before = _figures()
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    foreign = tmp_path / "photos.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        archive.add(text, arcname="notes.txt")

    for path in (text, foreign):
        with pytest.raises(CommandError, match=r"is not a Klynge backup \(expected an archive "
                                               r"written by `klynge backup`"):
            call_command("restore", str(path), "--yes")
    with pytest.raises(CommandError, match="does not exist or is not a file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes")

    assert _figures() == before


def test_restore_refuses_a_backup_of_the_other_database_engine(tmp_path):
    _ecosystem()
    other = OTHER_ENGINE[connection.vendor]
    path = tmp_path / "other.tar.gz"
    manifest = {"format": "klynge-backup", "version": 1, "engine": other,
                "database": {"sqlite": "database.sqlite3", "postgresql": "database.dump"}[other],
                "media_files": 0, "migrations": []}
    with tarfile.open(path, "w:gz") as archive:
        for name, data in (("klynge-backup.json", json.dumps(manifest).encode()),
                           (manifest["database"], b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--yes")

    names = backup.ENGINE_NAMES
    assert str(refused.value) == (
        f"{path} is a backup of a {names[other]} database, but this installation uses "
        f"{names[connection.vendor]}. Restore it into a {names[other]} installation, or move "
        "the data with `klynge dumpdata` and `klynge loaddata`.")


def test_restore_refuses_a_database_holding_data_without_yes(tmp_path):
    _ecosystem()
    archive = tmp_path / "backup.tar.gz"
    _run("backup", archive)
    _wipe()
    UserFactory(email="second@example.org")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    assert str(refused.value) == ("The database holds 2 users; restoring replaces all of it. "
                                  "Run again with --yes to confirm.")
    assert _figures()[keys.EU_APPLICATIONS][0] == 0
    assert list(tmp_path.glob("backups/klynge-before-restore-*")) == []


def _damaged_copy(good, damaged, damage):
    """`good` with its database member passed through damage(bytes) -> bytes."""
    with tarfile.open(good) as archive:
        members = [(m, archive.extractfile(m).read() if m.isfile() else None)
                   for m in archive.getmembers()]
    with tarfile.open(damaged, "w:gz") as archive:
        for info, data in members:
            if info.name.startswith("database."):
                data = damage(data)
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return damaged


def test_a_damaged_backup_is_refused_and_changes_nothing(settings, tmp_path):
    _ecosystem()
    _upload(settings, "evidence/report.pdf", "original")
    good = tmp_path / "good.tar.gz"
    _run("backup", good)
    damaged = _damaged_copy(good, tmp_path / "damaged.tar.gz", lambda d: d[: len(d) // 2])
    _wipe()
    _upload(settings, "evidence/report.pdf", "changed after the backup")

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), "--yes", "--no-safety-backup")

    assert str(refused.value).startswith({
        "sqlite": "The database in the backup is damaged: ",
        "postgresql": "Reading the database dump in the backup failed: ",
    }[connection.vendor])

    assert _figures()[keys.EU_APPLICATIONS][0] == 0
    assert Organisation.objects.count() == 4
    assert (settings.MEDIA_ROOT / "evidence/report.pdf").read_text() == "changed after the backup"
    assert not list(settings.MEDIA_ROOT.parent.glob(".media.*"))


def test_a_pg_restore_failing_half_way_rolls_back_and_changes_nothing(tmp_path):
    """A dump whose table of contents reads well but whose last compressed data block is
    garbage: pg_restore has dropped and re-created tables when it fails, and its single
    transaction puts everything back. (SQLite's restore is one backup-API step, checked
    beforehand with quick_check: the test above.)"""
    if connection.vendor != "postgresql":
        pytest.skip("pg_restore runs on PostgreSQL only")
    _ecosystem()
    good = tmp_path / "good.tar.gz"
    _run("backup", good)

    def garble_last_data_block(data):
        start = data.rfind(b"\x78\x9c") + 2  # the last zlib stream (a table's rows)
        assert start > 2
        return data[:start] + bytes(b ^ 0xFF for b in data[start:start + 16]) + data[start + 16:]

    damaged = _damaged_copy(good, tmp_path / "damaged.tar.gz", garble_last_data_block)
    _wipe()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), "--yes", "--no-safety-backup")

    assert str(refused.value).startswith(
        "pg_restore (the database is unchanged: the restore ran in one transaction) failed: ")
    assert _figures()[keys.EU_APPLICATIONS][0] == 0
    assert Organisation.objects.count() == 4
    assert User.objects.get().email == "admin@example.org"


def test_restore_into_an_empty_database_needs_no_confirmation(tmp_path):
    _ecosystem()
    before = _figures()
    archive = tmp_path / "backup.tar.gz"
    _run("backup", archive)
    _wipe()
    User.objects.all().delete()

    restored = _run("restore", archive)

    assert _figures() == before
    assert "Saved the database" not in restored


def test_the_postgresql_tools_are_found_on_path_or_in_the_newest_server_folder(tmp_path):
    for version in ("13", "15", "9.6"):
        folder = tmp_path / "postgresql" / version / "bin"
        folder.mkdir(parents=True)
        tool = folder / "pg_dump"
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    roots = str(tmp_path / "postgresql" / "*" / "bin")

    assert backup.find_pg_tool("pg_dump", search_path="", roots=roots) == str(
        tmp_path / "postgresql/15/bin/pg_dump")
    with pytest.raises(backup.BackupError) as missing:
        backup.find_pg_tool("pg_restore", search_path="", roots=roots)
    assert str(missing.value).startswith(
        "pg_restore was not found on PATH or in /usr/lib/postgresql/*/bin.")


def test_a_sqlite_copy_sees_committed_data_only_while_another_connection_writes(tmp_path):
    """The online backup API on a WAL database with a writer mid-transaction (as when the
    server runs): the copy holds what was committed and is a self-contained file."""
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (n INTEGER)")
    writer.execute("INSERT INTO t VALUES (1), (2)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (3)")
    reader = sqlite3.connect(live)
    copy = tmp_path / "copy.sqlite3"

    backup.copy_sqlite(reader, copy)

    writer.execute("COMMIT")
    reader.close()
    writer.close()
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    copied = sqlite3.connect(copy)
    assert copied.execute("SELECT n FROM t ORDER BY n").fetchall() == [(1,), (2,)]
    assert copied.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copied.close()


def _database_member(archive_path, target):
    """The bare database file (SQLite file or pg_dump custom format) out of an archive."""
    with tarfile.open(archive_path) as archive:
        name = json.load(archive.extractfile("klynge-backup.json"))["database"]
        target.write_bytes(archive.extractfile(name).read())
    return target


def test_a_bare_database_file_restores_and_leaves_the_uploaded_files(settings, tmp_path):
    _ecosystem()
    before = _figures()
    _run("backup", tmp_path / "backup.tar.gz")
    bare = _database_member(tmp_path / "backup.tar.gz", tmp_path / "klynge.db")
    _wipe()
    _upload(settings, "evidence/later.pdf", "kept")

    restored = _run("restore", bare, "--yes", "--no-safety-backup")

    assert _figures() == before
    assert "The backup holds no uploaded files; the media folder was left as it was." in restored
    assert (settings.MEDIA_ROOT / "evidence/later.pdf").read_text() == "kept"


def test_restore_at_a_terminal_asks_before_replacing_a_database_holding_data(
        monkeypatch, tmp_path):
    _ecosystem()
    before = _figures()
    archive = tmp_path / "backup.tar.gz"
    _run("backup", archive)
    _wipe()
    questions = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "no")

    with pytest.raises(CommandError, match="Restore cancelled; nothing was changed."):
        call_command("restore", str(archive))

    assert questions == [f"The database holds 1 user; restoring {archive} replaces all of it. "
                         "Type 'yes' to continue: "]
    assert _figures()[keys.EU_APPLICATIONS][0] == 0
    monkeypatch.setattr("builtins.input", lambda q: "yes")
    _run("restore", archive, "--no-safety-backup")
    assert _figures() == before


def test_a_backup_made_by_a_newer_klynge_is_refused(tmp_path):
    _ecosystem()
    good = tmp_path / "good.tar.gz"
    _run("backup", good)
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(good) as source, tarfile.open(newer, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read() if info.isfile() else None
            if info.name == "klynge-backup.json":
                manifest = json.loads(data)
                manifest["migrations"].append(["core", "9999_from_the_future"])
                data = json.dumps(manifest).encode()
                info.size = len(data)
            target.addfile(info, io.BytesIO(data) if data is not None else None)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(newer), "--yes")

    assert str(refused.value) == (
        f"{newer} was made by a newer version of Klynge (it has migrations this version does "
        "not know: core.9999_from_the_future). Upgrade Klynge first.")


def test_the_commands_on_a_sqlite_file_in_wal_mode_held_open_by_another_process(tmp_path):
    """The `klynge` console script on a database file (as in production, not the suite's
    in-memory database) while another connection keeps it open, as the server does."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite file database; PostgreSQL is covered by the tests above")
    _ecosystem()
    database = tmp_path / "klynge.sqlite3"
    backup.copy_sqlite(connection.connection, database)
    server = sqlite3.connect(database, isolation_level=None)
    server.execute("PRAGMA journal_mode=WAL")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}",
           "KLYNGE_VAR_DIR": str(tmp_path / "var"), "KLYNGE_BACKUP_DIR": str(tmp_path / "b")}
    klynge = str(Path(sys.executable).parent / "klynge")
    archive = tmp_path / "b" / "file.tar.gz"

    made = subprocess.run([klynge, "backup", str(archive)], env=env, capture_output=True,
                          text=True, check=False)

    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith((f"Wrote {archive} (", f"Skrev {archive} ("))  # EN or DA
    server.execute("DELETE FROM projects_projectpartner")
    assert server.execute("SELECT count(*) FROM projects_projectpartner").fetchone() == (0,)

    restored = subprocess.run([klynge, "restore", str(archive), "--yes"], env=env,
                              capture_output=True, text=True, check=False)

    assert restored.returncode == 0, restored.stderr
    assert server.execute("SELECT count(*) FROM projects_projectpartner").fetchone() == (2,)
    assert server.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert server.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert len(list((tmp_path / "b").glob("klynge-before-restore-*.tar.gz"))) == 1
    server.close()
