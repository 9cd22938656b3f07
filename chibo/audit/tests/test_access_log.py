"""Who viewed which member's personal record, and who exported which list (C19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.accounts.models import Role
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.testing.factories import MemberFactory, make_user

pytestmark = pytest.mark.django_db


def test_record_access_notes_who_read_whose_record_and_where(world):
    row = record_access(user=world.ward_officer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    assert row is not None
    row.refresh_from_db()
    assert (row.user, row.member, row.org, row.action) == (
        world.ward_officer,
        world.member_of_anhoa,
        world.anhoa,
        AccessLog.Action.VIEW,
    )


def test_an_export_is_noted_with_its_list_and_size(world):
    record_access(
        user=world.ward_officer, org=world.ward, action=AccessLog.Action.EXPORT, detail="Đảng viên, q=An", row_count=37
    )
    row = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (row.member, row.org, row.detail, row.row_count) == (None, world.ward, "Đảng viên, q=An", 37)


def test_an_export_of_all_ones_members_belongs_to_the_root_of_ones_scope(world):
    record_access(user=world.ward_officer, action=AccessLog.Action.EXPORT, detail="members.xlsx", row_count=2)
    assert AccessLog.objects.get().org == world.ward


def test_an_export_across_two_separate_subtrees_has_no_single_node(world):
    both = make_user("both", (Role.VIEWER, world.anhoa), (Role.VIEWER, world.other_ward))
    record_access(user=both, action=AccessLog.Action.EXPORT, row_count=2)
    assert AccessLog.objects.get().org is None


def test_reading_ones_own_record_is_not_noted(world):
    assert record_access(user=world.anhoa_member, member=world.member_of_anhoa, action=AccessLog.Action.VIEW) is None
    assert not AccessLog.objects.exists()


def test_an_anonymous_reader_is_not_noted(world):
    from django.contrib.auth.models import AnonymousUser

    assert record_access(user=AnonymousUser(), member=world.member_of_anhoa, action=AccessLog.Action.VIEW) is None


def test_the_who_viewed_page_lists_the_readers_newest_first(client, world):
    record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    record_access(user=world.town_officer, member=world.member_of_anhoa, action=AccessLog.Action.API_VIEW)
    record_access(user=world.viewer, member=MemberFactory(org=world.anhoa), action=AccessLog.Action.VIEW)
    client.force_login(world.anhoa_secretary)
    response = client.get(reverse("audit:member_views", args=[world.member_of_anhoa.pk]))
    assert [(v.user, v.action) for v in response.context["page"]] == [
        (world.town_officer, AccessLog.Action.API_VIEW),
        (world.viewer, AccessLog.Action.VIEW),
    ]


def test_the_who_viewed_page_costs_the_same_queries_with_more_readers(client, world):
    client.force_login(world.ward_officer)
    url = reverse("audit:member_views", args=[world.member_of_anhoa.pk])
    record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(10):
        record_access(user=make_user(f"reader{i}"), member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    assert count() == before


def test_the_access_log_shows_an_admin_the_rows_of_their_subtree_only(client, world):
    ward_admin = make_user("ward_admin", (Role.ADMIN, world.ward))
    record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    stranger = MemberFactory(org=world.other_ward_cell)
    record_access(user=world.outsider, member=stranger, action=AccessLog.Action.VIEW)
    record_access(user=world.town_officer, org=None, action=AccessLog.Action.EXPORT, detail="toàn thị xã")
    client.force_login(ward_admin)
    rows = list(client.get(reverse("audit:access_log")).context["page"])
    assert [(r.user, r.member) for r in rows] == [(world.viewer, world.member_of_anhoa)]


def test_the_access_log_filters_by_action(client, world):
    record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    record_access(user=world.ward_officer, org=world.ward, action=AccessLog.Action.EXPORT, row_count=3)
    client.force_login(world.admin)
    response = client.get(reverse("audit:access_log"), {"action": "export"})
    assert [r.action for r in response.context["page"]] == ["export"]
    assert "3 dòng" in response.content.decode()


@pytest.mark.parametrize("persona", ["town_officer", "ward_officer", "anhoa_secretary", "anhoa_member", "viewer"])
def test_the_access_log_is_for_administrators(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("audit:access_log")).status_code == 404


def test_the_access_log_costs_the_same_queries_with_more_rows(client, world):
    client.force_login(world.admin)
    url = reverse("audit:access_log")
    record_access(user=world.viewer, member=world.member_of_anhoa, action=AccessLog.Action.VIEW)
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(10):
        member = MemberFactory(org=world.anhoa if i % 2 else world.other_cell)
        record_access(user=world.viewer, member=member, action=AccessLog.Action.VIEW)
        record_access(user=world.ward_officer, org=world.ward, action=AccessLog.Action.EXPORT, row_count=i)
    assert count() == before
