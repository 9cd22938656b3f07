"""Who changed what and when (C19): auditlog registrations, a member's history page, scoped."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.accounts.models import User
from chibo.audit.context import acting_as
from chibo.audit.models import AccessLog, MemberChange
from chibo.members import services as member_services
from chibo.members.models import Exemption, Position
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _history_url(member) -> str:  # type: ignore[no-untyped-def]
    return reverse("audit:member_history", args=[member.pk])


def test_a_change_to_a_member_is_logged_with_its_actor_and_without_derived_fields(world):
    member = world.member_of_anhoa
    with acting_as(world.anhoa_secretary):
        member_services.member_update(actor=world.anhoa_secretary, member=member, phone="0912345678")
    entry = LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == world.anhoa_secretary
    assert entry.changes_dict["phone"] == ["", "0912345678"]
    assert not set(entry.changes_dict) & {"search_text", "updated_at", "name_sort_key"}


def test_changes_to_rolls_positions_and_exemptions_are_linked_to_the_member(world):
    member = world.member_of_anhoa
    member_services.member_exempt(
        actor=None, member=member, reason=Exemption.Reason.OLD_AGE, started_on=date(2024, 1, 1)
    )
    member_services.position_assign(
        actor=None, member=member, title=Position.Title.COMMITTEE_MEMBER, started_on=date(2024, 2, 1)
    )
    member_services.member_transfer(actor=None, member=member, to_org=world.other_cell, effective_on=date(2024, 3, 1))
    kinds = {e.content_type.model for e in LogEntry.objects.filter(member_change__member_id=member.pk)}
    assert {"member", "membership", "position", "exemption"} <= kinds
    assert (
        not MemberChange.objects.exclude(member_id=member.pk)
        .filter(log_entry__content_type__model__in=["exemption", "position"])
        .exists()
    )


def test_a_password_never_reaches_the_change_history(world):
    user = world.anhoa_member
    user.set_password("mot-mat-khau-moi-rat-dai")
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        assert "password" not in entry.changes_dict
        assert "mot-mat-khau-moi-rat-dai" not in str(entry.changes) and "md5$" not in str(entry.changes)


def test_the_history_page_shows_what_changed_in_vietnamese_with_dates_in_local_order(client, world):
    member = world.member_of_anhoa
    with acting_as(world.anhoa_secretary):
        member_services.member_update(actor=world.anhoa_secretary, member=member, birth_date=date(1971, 2, 3))
    client.force_login(world.anhoa_secretary)
    html = client.get(_history_url(member)).content.decode()
    assert "Ngày sinh" in html and "03/02/1971" in html and "17/05/1970" in html
    assert "Trần Văn Bí Thư" in html or "anhoa_secretary" in html


def test_the_history_page_names_related_rows_and_choices(client, world):
    member = world.member_of_anhoa
    member_services.member_transfer(actor=None, member=member, to_org=world.other_cell, effective_on=date(2024, 3, 1))
    client.force_login(world.ward_officer)
    html = client.get(_history_url(member)).content.decode()
    assert world.other_cell.name in html
    assert "Chính thức" in html  # the membership kind by its label


@pytest.mark.parametrize("persona", ["admin", "town_officer", "ward_officer", "anhoa_secretary"])
def test_the_cell_committee_and_above_see_the_history(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_history_url(world.member_of_anhoa)).status_code == 200


@pytest.mark.parametrize("persona", ["anhoa_member", "other_cell_secretary", "outsider", "viewer", "supervisor"])
def test_others_get_404_for_the_history(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(_history_url(world.member_of_anhoa)).status_code == 404
    assert client.get(reverse("audit:member_views", args=[world.member_of_anhoa.pk])).status_code == 404


def test_reading_the_history_is_itself_logged(client, world):
    client.force_login(world.ward_officer)
    client.get(_history_url(world.member_of_anhoa))
    assert AccessLog.objects.filter(
        user=world.ward_officer, member=world.member_of_anhoa, action=AccessLog.Action.HISTORY
    ).exists()


def test_the_history_page_costs_the_same_queries_with_more_changes(client, world):
    member = world.member_of_anhoa
    client.force_login(world.ward_officer)
    client.get(_history_url(member))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_history_url(member)).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(6):
        member_services.member_update(actor=None, member=member, phone=f"09000000{i:02d}", occupation=f"Nghề {i}")
        member_services.member_transfer(
            actor=None,
            member=member,
            to_org=world.other_cell if i % 2 == 0 else world.anhoa,
            effective_on=date(2020, 1, i + 1),
        )
    assert count() == before


def test_a_deleted_member_keeps_their_change_history(world):
    member = MemberFactory(org=world.anhoa)
    pk = member.pk
    member.delete()
    assert LogEntry.objects.filter(member_change__member_id=pk, action=LogEntry.Action.DELETE).exists()
    assert not User.objects.filter(member_id=pk).exists()
