"""Read replica routing: only reads inside replica_reads() go to the replica, and only when one is configured."""

from unittest import mock

from django.conf import settings

from chibo.members.models import Member
from chibo.operations.routers import ReplicaRouter, replica_reads

router = ReplicaRouter()


def _with_replica():  # type: ignore[no-untyped-def]
    return mock.patch.dict(settings.DATABASES, {"replica": dict(settings.DATABASES["default"])})


def test_reads_go_to_the_primary_unless_asked_for_the_replica():
    with _with_replica():
        assert router.db_for_read(Member) is None
        with replica_reads():
            assert router.db_for_read(Member) == "replica"
        assert router.db_for_read(Member) is None


def test_without_a_replica_the_block_reads_from_the_primary():
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(Member) is None


def test_writes_and_migrations_stay_on_the_primary():
    with _with_replica(), replica_reads():
        assert router.db_for_write(Member) == "default"
    assert router.allow_migrate("default", "members") and not router.allow_migrate("replica", "members")
