"""Retention of uploaded member spreadsheets: files past CHIBO_IMPORT_FILE_RETENTION_DAYS go, the records stay."""

import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from chibo.members.models import ImportJob
from chibo.operations.jobs import purge_old_import_files
from chibo.operations.services import purge_import_files

pytestmark = pytest.mark.django_db


def _job(world, days_old: int, status: str = ImportJob.Status.IMPORTED) -> ImportJob:  # type: ignore[no-untyped-def]
    job = ImportJob(
        created_by=world.ward_officer,
        original_name="danh-sach.xlsx",
        status=status,
        imported_count=3,
        errors=[{"row": 7, "column": "Ngày sinh", "letter": "C", "message": "…"}],
    )
    job.file.save("upload.xlsx", ContentFile(b"PK\x03\x04 members"), save=False)
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return job


def _on_disk(name: str) -> bool:
    return (Path(settings.MEDIA_ROOT) / name).exists()


def _stray(name: str, days_old: int) -> str:
    saved = default_storage.save(name, ContentFile(b"left behind"))
    old = (timezone.now() - timedelta(days=days_old)).timestamp()
    os.utime(Path(settings.MEDIA_ROOT) / saved, (old, old))
    return saved


def test_files_past_the_retention_period_go_and_their_records_stay(world, settings, django_capture_on_commit_callbacks):
    settings.CHIBO_IMPORT_FILE_RETENTION_DAYS = 30
    old, recent = _job(world, 31), _job(world, 29)
    old_name = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 1
    old.refresh_from_db()
    assert not old.file and not _on_disk(old_name)
    # The record of who imported what, when, with which report, is kept.
    assert old.imported_count == 3 and old.errors[0]["row"] == 7 and old.original_name == "danh-sach.xlsx"
    recent.refresh_from_db()
    assert recent.file and _on_disk(recent.file.name)


def test_a_job_still_waiting_or_running_keeps_its_file(world, django_capture_on_commit_callbacks):
    pending = _job(world, 90, status=ImportJob.Status.PENDING)
    running = _job(world, 90, status=ImportJob.Status.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 0
    for job in (pending, running):
        job.refresh_from_db()
        assert _on_disk(job.file.name)


def test_old_files_no_job_names_go_too_and_other_media_stays(world, django_capture_on_commit_callbacks):
    orphan = _stray("imports/members/2024/01/orphan.xlsx", days_old=60)
    fresh = _stray("imports/members/2024/01/fresh.xlsx", days_old=1)
    attachment = _stray("meetings/2024/report.pdf", days_old=400)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_import_files() == 1
    assert not _on_disk(orphan) and _on_disk(fresh) and _on_disk(attachment)


def test_nothing_is_deleted_before_the_purge_commits(world, django_capture_on_commit_callbacks):
    old = _job(world, 31)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge_import_files()
    assert _on_disk(old.file.name) and len(callbacks) == 1


def test_the_command_takes_a_shorter_period_and_refuses_zero(world, django_capture_on_commit_callbacks):
    ten_days = _job(world, 10)
    stdout = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_import_files", "--days", "7", stdout=stdout)
    ten_days.refresh_from_db()
    assert not ten_days.file and "1" in stdout.getvalue()
    with pytest.raises(CommandError):
        call_command("purge_import_files", "--days", "0", stdout=StringIO())


def test_the_daily_task_purges_the_same_way(world, django_capture_on_commit_callbacks):
    old = _job(world, 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_old_import_files.delay().get() == 1
    old.refresh_from_db()
    assert not old.file
    assert settings.CELERY_BEAT_SCHEDULE["operations-purge-import-files"]["task"] == purge_old_import_files.name
