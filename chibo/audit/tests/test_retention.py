"""Retention (C19): the access log is purged past CHIBO_ACCESS_LOG_RETENTION_DAYS; logs hold nothing personal."""

import logging
from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessLog as SignInLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from chibo.audit.logfilters import DropQueryStrings
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access

pytestmark = pytest.mark.django_db


def _aged(days: int, world) -> AccessLog:  # type: ignore[no-untyped-def]
    row = record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    assert row is not None
    AccessLog.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=days))
    return row


def test_the_purge_deletes_rows_past_the_retention_period_only(world, settings):
    settings.CHIBO_ACCESS_LOG_RETENTION_DAYS = 730
    old, recent = _aged(731, world), _aged(729, world)
    out = StringIO()
    call_command("purge_access_logs", stdout=out)
    assert list(AccessLog.objects.all()) == [recent]
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert "1" in out.getvalue()


def test_the_purge_takes_a_shorter_period_on_the_command_line(world):
    _aged(40, world)
    keep = _aged(10, world)
    call_command("purge_access_logs", "--days", "30", stdout=StringIO())
    assert list(AccessLog.objects.all()) == [keep]


def test_the_purge_refuses_a_period_under_a_day(world):
    with pytest.raises(CommandError):
        call_command("purge_access_logs", "--days", "0")


def test_the_purge_also_drops_old_sign_in_records(world, settings):
    settings.CHIBO_ACCESS_LOG_RETENTION_DAYS = 30
    old = SignInLog.objects.create(username="viewer", ip_address="10.0.0.1", user_agent="x")
    SignInLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=31))
    fresh = SignInLog.objects.create(username="viewer", ip_address="10.0.0.1", user_agent="x")
    call_command("purge_access_logs", stdout=StringIO())
    assert list(SignInLog.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_request_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /members/?q=Nguyễn+Văn HTTP/1.1", "200", "9"),
        None,
    )
    DropQueryStrings().filter(record)
    assert record.getMessage() == '"GET /members/ HTTP/1.1" 200 9'


def test_the_development_server_log_goes_through_the_filter():
    assert any(isinstance(f, DropQueryStrings) for f in logging.getLogger("django.server").filters)


def test_the_daily_task_purges_the_same_way(world, settings):
    from chibo.audit.jobs import purge_old_access_logs

    settings.CHIBO_ACCESS_LOG_RETENTION_DAYS = 730
    _aged(800, world)
    keep = _aged(1, world)
    assert purge_old_access_logs.delay().get() == 1
    assert list(AccessLog.objects.all()) == [keep]
    assert "audit-purge-access-logs" in settings.CELERY_BEAT_SCHEDULE
