"""Backup and restore (C18): a round trip brings data and files back; a damaged or foreign backup changes nothing."""

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from chibo.members import services as member_services
from chibo.members.models import Member
from chibo.operations import backups
from chibo.operations.backups import MANIFEST, MEDIA_TAR, SUMS, list_backups
from chibo.testing.factories import MemberFactory

# Real transactions: a backup reads committed data (SQLite's copy would wait on an open transaction).
pytestmark = pytest.mark.django_db(transaction=True)

sqlite_only = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="the SQLite round trips; see test_backup_postgres"
)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "backups"


def _media(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _backup(out: Path, *args: str) -> Path:
    call_command("backup", "--output", str(out), *args, stdout=StringIO())
    return list_backups(out)[-1]


def _flip_a_byte(path: Path, offset: int | None = None) -> None:
    data = bytearray(path.read_bytes())
    at = len(data) // 2 if offset is None else offset
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _rewrite_manifest(backup: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Edit the manifest as a newer version or another server would have written it, checksums kept right."""
    manifest = json.loads((backup / MANIFEST).read_text())
    change(manifest)
    (backup / MANIFEST).write_text(json.dumps(manifest))
    digest = hashlib.sha256((backup / MANIFEST).read_bytes()).hexdigest()
    lines = [ln for ln in (backup / SUMS).read_text().splitlines() if not ln.endswith(f"  {MANIFEST}")]
    (backup / SUMS).write_text("\n".join([*lines, f"{digest}  {MANIFEST}"]) + "\n")


def test_a_backup_holds_the_database_the_media_and_checksums_of_every_file(world, out):
    default_storage.save("imports/members/2025/01/list.xlsx", ContentFile(b"PK\x03\x04 spreadsheet"))
    default_storage.save("meetings/attachments/report.pdf", ContentFile(b"%PDF report"))
    path = _backup(out)
    manifest = json.loads((path / MANIFEST).read_text())
    database_file = manifest["database"]["file"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["media"]["count"] == 2
    assert manifest["migrations"]["members"].startswith("00")
    assert sorted(manifest["files"]) == sorted([database_file, MEDIA_TAR])
    for name, entry in manifest["files"].items():
        assert entry["sha256"] == hashlib.sha256((path / name).read_bytes()).hexdigest()
        assert entry["size"] == (path / name).stat().st_size
    # SHA256SUMS checks with coreutils on a machine without the app.
    check = subprocess.run(["sha256sum", "--check", SUMS], cwd=path, capture_output=True, text=True)  # noqa: S603, S607
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{MANIFEST}: OK" in check.stdout


def test_the_command_reports_the_backup_with_a_dd_mm_yyyy_date(world, out):
    stdout = StringIO()
    call_command("backup", "--output", str(out), stdout=stdout)
    created = json.loads((list_backups(out)[0] / MANIFEST).read_text())["created_at"]
    from datetime import datetime

    from django.utils import timezone

    assert timezone.localtime(datetime.fromisoformat(created)).strftime("%d/%m/%Y") in stdout.getvalue()


@sqlite_only
def test_a_restore_brings_back_the_data_and_files_of_the_backup(world, out):
    """The round trip in the test's own database: made through services, backed up, changed, restored."""
    member = MemberFactory(full_name="Lê Văn Sao Lưu", org=world.anhoa)
    default_storage.save("imports/members/2025/01/list.xlsx", ContentFile(b"the uploaded list"))
    path = _backup(out)

    member_services.member_update(actor=None, member=member, full_name="Tên Đã Đổi")
    MemberFactory(full_name="Người Đến Sau", org=world.anhoa)
    _media("imports/members/2025/01/list.xlsx").unlink()
    default_storage.save("later.txt", ContentFile(b"after the backup"))

    stdout = StringIO()
    call_command("restore", str(path), "--yes", stdout=stdout)

    assert Member.objects.get(pk=member.pk).full_name == "Lê Văn Sao Lưu"
    assert not Member.objects.filter(full_name="Người Đến Sau").exists()
    assert _media("imports/members/2025/01/list.xlsx").read_bytes() == b"the uploaded list"
    assert not _media("later.txt").exists()
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).iterdir()) == ["imports"]  # no scratch left
    assert "restored" in stdout.getvalue()


def _manage(*args: str, database: Path, media: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SQLITE_PATH": str(database), "MEDIA_ROOT": str(media)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@sqlite_only
def test_a_restore_replaces_a_sqlite_file_in_write_ahead_mode_atomically(world, tmp_path, out):
    """As in production: a database file in WAL mode, the commands run as processes of their own."""
    member = MemberFactory(full_name="Lê Văn Sao Lưu", org=world.anhoa)
    live, media = tmp_path / "live.sqlite3", tmp_path / "media"
    (media / "imports").mkdir(parents=True)
    (media / "imports" / "list.xlsx").write_bytes(b"the uploaded list")
    copy = sqlite3.connect(live)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()

    made = _manage("backup", "--output", str(out), database=live, media=media)
    assert made.returncode == 0, made.stderr
    path = list_backups(out)[0]

    writer = sqlite3.connect(live)
    writer.execute("UPDATE members_member SET full_name = 'Tên Đã Đổi' WHERE id = ?", [member.pk])
    writer.commit()
    writer.close()
    (media / "imports" / "list.xlsx").unlink()

    restored = _manage("restore", str(path), "--yes", database=live, media=media)
    assert restored.returncode == 0, restored.stderr

    check = sqlite3.connect(live)
    assert check.execute("SELECT full_name FROM members_member WHERE id = ?", [member.pk]).fetchone() == (
        "Lê Văn Sao Lưu",
    )
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    check.close()
    assert (media / "imports" / "list.xlsx").read_bytes() == b"the uploaded list"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".live")) == []


@pytest.mark.parametrize("damaged", ["database", MEDIA_TAR, MANIFEST])
def test_a_flipped_byte_is_named_and_nothing_is_restored(world, out, damaged):
    member = MemberFactory(full_name="Lê Văn Sao Lưu", org=world.anhoa)
    default_storage.save("list.xlsx", ContentFile(b"the uploaded list"))
    path = _backup(out)
    name = json.loads((path / MANIFEST).read_text())["database"]["file"] if damaged == "database" else damaged
    _flip_a_byte(path / name, offset=2 if damaged == MANIFEST else None)
    member_services.member_update(actor=None, member=member, full_name="Tên Đã Đổi")
    default_storage.save("later.txt", ContentFile(b"after the backup"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), "--yes", stdout=StringIO())

    assert f"tệp {name}" in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert Member.objects.get(pk=member.pk).full_name == "Tên Đã Đổi"
    assert _media("later.txt").exists() and _media("list.xlsx").exists()
    with pytest.raises(CommandError, match=name):
        call_command("backup", "--verify", str(path), stdout=StringIO())


def test_verify_passes_an_intact_backup_without_changing_it(world, out):
    path = _backup(out)
    before = {p.name: p.stat().st_mtime_ns for p in path.iterdir()}
    stdout = StringIO()
    call_command("backup", "--verify", str(path), stdout=stdout)
    assert "intact" in stdout.getvalue()
    assert {p.name: p.stat().st_mtime_ns for p in path.iterdir()} == before


def test_a_backup_with_migrations_newer_than_the_code_is_refused(world, out):
    member = MemberFactory(full_name="Lê Văn Sao Lưu", org=world.anhoa)
    path = _backup(out)
    _rewrite_manifest(path, lambda m: m["migrations"].update(members="9999_from_a_newer_version"))
    member_services.member_update(actor=None, member=member, full_name="Tên Đã Đổi")

    with pytest.raises(CommandError, match="members.9999_from_a_newer_version"):
        call_command("restore", str(path), "--yes", stdout=StringIO())
    assert Member.objects.get(pk=member.pk).full_name == "Tên Đã Đổi"


def test_a_backup_of_another_database_vendor_is_refused(world, out):
    path = _backup(out)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite_manifest(path, lambda m: m["database"].update(vendor=other))
    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(path), "--yes", stdout=StringIO())


def test_a_restore_asks_first_and_a_no_changes_nothing(world, out):
    member = MemberFactory(full_name="Lê Văn Sao Lưu", org=world.anhoa)
    path = _backup(out)
    member_services.member_update(actor=None, member=member, full_name="Tên Đã Đổi")
    with mock.patch("builtins.input", return_value="no"), pytest.raises(CommandError, match="Cancelled"):
        call_command("restore", str(path), stdout=StringIO())
    assert Member.objects.get(pk=member.pk).full_name == "Tên Đã Đổi"


def test_keep_deletes_the_oldest_backups_of_the_directory(world, out):
    made = [_backup(out) for _ in range(3)]
    (out / "notes.txt").write_text("not a backup")
    newest = _backup(out, "--keep", "2")
    assert list_backups(out) == [made[2], newest]
    assert (out / "notes.txt").exists()


def test_a_backup_cut_short_leaves_nothing_that_looks_like_a_backup(world, out):
    with mock.patch.object(backups, "_tar_media", side_effect=OSError("disk full")), pytest.raises(OSError):
        call_command("backup", "--output", str(out), stdout=StringIO())
    assert list(out.iterdir()) == []


def test_a_backup_directory_inside_media_root_is_refused(world):
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("backup", "--output", str(_media("backups")), stdout=StringIO())


def test_a_missing_pg_dump_is_explained(world, out):
    with (
        mock.patch.object(connection, "vendor", "postgresql"),
        mock.patch.object(backups.shutil, "which", return_value=None),
        pytest.raises(CommandError, match="postgresql-client") as refused,
    ):
        call_command("backup", "--output", str(out), stdout=StringIO())
    assert "pg_dump" in str(refused.value)
    assert list(out.iterdir()) == []
