"""Backup and restore on PostgreSQL (C18): pg_dump, then pg_restore in one transaction, on a database of its own.

The commands run as processes against `chibo_backup_test_<pid>`, created and migrated here and dropped
after, so that the suite's shared test database is never touched.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from chibo.operations.backups import list_backups

pytestmark = pytest.mark.postgres

MAKE_DATA = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from chibo.testing.factories import MemberFactory, make_org
from chibo.organizations.models import Organization
ward = make_org("Đảng bộ phường Bình Thạnh", Organization.Kind.GRASSROOTS_COMMITTEE)
cell = make_org("Chi bộ khu vực An Hòa", Organization.Kind.CELL, ward)
MemberFactory(full_name="Lê Văn Sao Lưu", org=cell)
default_storage.save("imports/members/list.xlsx", ContentFile(b"the uploaded list"))
"""


def _admin(statement: str) -> None:
    import psycopg

    admin = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(statement)


def _url(name: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A database migrated once, holding a cell, a member and an uploaded file (in its own media)."""
    name = f"chibo_backup_test_{os.getpid()}_template"
    media = tmp_path_factory.mktemp("media")
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}"')
    try:
        _manage(_url(name), media, "migrate", "--no-input", "-v", "0")
        _manage(_url(name), media, "shell", "-c", MAKE_DATA)
        yield name, media
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database(template: tuple[str, Path], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of the template database and its media for one test: (url, media root)."""
    source, source_media = template
    name = f"chibo_backup_test_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    media = tmp_path / "media"
    shutil.copytree(source_media, media)
    try:
        yield _url(name), media
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(url: str, media: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media)}
    command = [sys.executable, "manage.py", *args]
    result = subprocess.run(  # noqa: S603 - our own command
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=600
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _sql(url: str, statement: str) -> list[tuple]:  # type: ignore[type-arg]
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def test_a_postgresql_backup_restores_data_files_and_drops_tables_made_after_it(database, tmp_path):
    url, media = database
    out = tmp_path / "backups"
    _manage(url, media, "backup", "--output", str(out))
    path = list_backups(out)[0]
    assert (path / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    _sql(url, "UPDATE members_member SET full_name = 'Tên Đã Đổi'")
    _sql(url, "CREATE TABLE made_by_a_later_migration (id int)")
    (media / "imports" / "members" / "list.xlsx").unlink()

    restored = _manage(url, media, "restore", str(path), "--yes")

    assert "restored" in restored.stdout
    assert _sql(url, "SELECT full_name FROM members_member") == [("Lê Văn Sao Lưu",)]
    assert _sql(url, "SELECT to_regclass('made_by_a_later_migration')") == [(None,)]
    assert (media / "imports" / "members" / "list.xlsx").read_bytes() == b"the uploaded list"
    # The restored database is the code's: no migration left to run, none unknown.
    _manage(url, media, "migrate", "--check")


def test_a_postgresql_restore_failing_half_way_changes_nothing(database, tmp_path):
    url, media = database
    out = tmp_path / "backups"
    _manage(url, media, "backup", "--output", str(out))
    path = list_backups(out)[0]
    _sql(url, "UPDATE members_member SET full_name = 'Tên Đã Đổi'")
    _sql(url, "CREATE TABLE made_by_a_later_migration (id int)")
    # A view where the dump has a table: the script fails there, after every table was dropped.
    _sql(url, "DROP TABLE auditlog_logentry CASCADE; CREATE VIEW auditlog_logentry AS SELECT 1 AS id")
    (media / "later.txt").write_text("after the backup")

    refused = _manage(url, media, "restore", str(path), "--yes", check=False)

    assert refused.returncode != 0 and "Nothing was changed" in refused.stderr
    assert "auditlog_logentry" in refused.stderr and "not supported for views" in refused.stderr
    assert _sql(url, "SELECT full_name FROM members_member") == [("Tên Đã Đổi",)]
    assert _sql(url, "SELECT to_regclass('made_by_a_later_migration') IS NOT NULL") == [(True,)]
    assert (media / "later.txt").exists()
    assert sorted(p.name for p in media.iterdir()) == ["imports", "later.txt"]  # no scratch left
