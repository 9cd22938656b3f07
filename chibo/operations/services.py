"""Retention of uploaded files (C18, C19): member spreadsheets are personal data, kept only as long as needed."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from chibo.members.models import ImportJob

# Where the member import stores its uploads (chibo.members.models._import_upload_to).
IMPORT_FILES_DIR = "imports"


@transaction.atomic
def purge_import_files(*, older_than_days: int | None = None) -> int:
    """Delete uploaded import files older than CHIBO_IMPORT_FILE_RETENTION_DAYS; returns how many went.

    The ImportJob rows stay (who imported what, when, with which report); only their file goes, and the
    row's `file` becomes empty. Jobs still waiting or running keep theirs. Files under imports/ that no
    job names (an upload refused half-way, a purge cut short) go once they are as old.
    """
    days = settings.CHIBO_IMPORT_FILE_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    storage = ImportJob._meta.get_field("file").storage  # type: ignore[union-attr]
    expired = ImportJob.objects.filter(created_at__lt=cutoff, status__in=ImportJob.FINISHED).exclude(file="")
    names = list(expired.values_list("file", flat=True))
    expired.update(file="")
    named = set(ImportJob.objects.exclude(file="").values_list("file", flat=True))
    strays = [n for n in _files_under(storage, IMPORT_FILES_DIR) if n not in named and n not in names]
    strays = [n for n in strays if storage.get_modified_time(n) < cutoff]
    gone = [*names, *strays]
    # Files go once the rows no longer name them: a rolled-back purge leaves every file in place.
    transaction.on_commit(partial(_delete_files, storage, gone))
    return len(gone)


def _files_under(storage: Storage, directory: str) -> list[str]:
    if not storage.exists(directory):
        return []
    subdirs, files = storage.listdir(directory)
    found = [f"{directory}/{f}" for f in files]
    for sub in subdirs:
        found += _files_under(storage, f"{directory}/{sub}")
    return found


def _delete_files(storage: Storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)
