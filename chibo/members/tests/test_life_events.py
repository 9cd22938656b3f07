"""Life-cycle decisions (C15): discipline, suspension, recognition as official, removal apart from expulsion."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.core.errors import ChiboError
from chibo.members import services
from chibo.members.models import LifeEvent, Member
from chibo.tasks.record import member_record
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db

WARD = "Đảng ủy phường Bình Thạnh"


def test_a_warning_is_recorded_with_its_number_date_and_issuing_body(world):
    member = world.member_of_anhoa
    event = services.member_discipline(
        actor=world.ward_officer,
        member=member,
        discipline=LifeEvent.Discipline.WARNING,
        decided_on=date(2021, 8, 20),
        decision_number="15-QĐ/ĐU",
        issued_by=WARD,
        reason="Vi phạm quy định về những điều đảng viên không được làm.",
    )
    assert (event.kind, event.discipline, event.decision_number, event.issued_by) == (
        "discipline",
        "warning",
        "15-QĐ/ĐU",
        WARD,
    )
    assert event.recorded_by == world.ward_officer
    member.refresh_from_db()
    assert member.is_active  # a warning keeps the member on the roll


def test_expulsion_takes_the_member_off_the_roll_as_expelled_not_removed(world):
    member = world.member_of_anhoa
    services.member_discipline(
        actor=None,
        member=member,
        discipline=LifeEvent.Discipline.EXPULSION,
        decided_on=date(2024, 5, 2),
        decision_number="7-QĐ/ĐU",
        issued_by=WARD,
    )
    member.refresh_from_db()
    assert (member.left_on, member.left_reason) == (date(2024, 5, 2), Member.LeftReason.EXPELLED)
    assert not member.memberships.filter(ended_on__isnull=True).exists()


def test_removal_from_the_rolls_is_its_own_decision_and_reason(world):
    member = MemberFactory(org=world.anhoa)
    event = services.member_remove_from_rolls(
        actor=None, member=member, decided_on=date(2024, 6, 1), decision_number="9-QĐ/ĐU", issued_by=WARD
    )
    member.refresh_from_db()
    assert event.kind == LifeEvent.Kind.REMOVAL and event.discipline == ""
    assert member.left_reason == Member.LeftReason.REMOVED != Member.LeftReason.EXPELLED
    assert not LifeEvent.objects.disciplines().filter(member=member).exists()


def test_a_decision_without_number_or_issuing_body_is_refused_and_nothing_is_saved(world):
    member = world.member_of_anhoa
    with pytest.raises(ChiboError) as err:
        services.member_discipline(
            actor=None,
            member=member,
            discipline="reprimand",
            decided_on=date(2024, 1, 1),
            decision_number=" ",
            issued_by=WARD,
        )
    assert err.value.field == "decision_number"
    with pytest.raises(ChiboError) as err:
        services.member_suspend(
            actor=None, member=member, decided_on=date(2024, 1, 1), decision_number="1", issued_by=""
        )
    assert err.value.field == "issued_by"
    with pytest.raises(ChiboError) as err:
        services.member_discipline(
            actor=None,
            member=member,
            discipline="fine",
            decided_on=date(2024, 1, 1),
            decision_number="1",
            issued_by=WARD,
        )
    assert err.value.field == "discipline"
    assert not LifeEvent.objects.exists()


def test_suspensions_do_not_overlap_and_end_after_they_start(world):
    member = world.member_of_anhoa
    services.member_suspend(
        actor=None,
        member=member,
        decided_on=date(2024, 3, 1),
        ends_on=date(2024, 9, 1),
        decision_number="3",
        issued_by=WARD,
    )
    with pytest.raises(ChiboError, match="đã bị đình chỉ"):
        services.member_suspend(
            actor=None, member=member, decided_on=date(2024, 8, 1), decision_number="4", issued_by=WARD
        )
    with pytest.raises(ChiboError) as err:
        services.member_suspend(
            actor=None,
            member=member,
            decided_on=date(2024, 10, 1),
            ends_on=date(2024, 10, 1),
            decision_number="5",
            issued_by=WARD,
        )
    assert err.value.field == "ends_on"
    during = LifeEvent.objects.suspensions_during(date(2024, 1, 1), date(2025, 1, 1))
    assert list(during.values_list("decision_number", flat=True)) == ["3"]
    assert not LifeEvent.objects.suspensions_during(date(2024, 9, 1), date(2025, 1, 1)).exists()


def test_recognition_as_official_makes_a_probationary_member_official_once(world):
    member = MemberFactory(org=world.anhoa, joined_on=date(2024, 2, 3), official_on=None)
    services.member_recognize_official(
        actor=None, member=member, decided_on=date(2025, 2, 10), decision_number="21-QĐ/ĐU", issued_by=WARD
    )
    member.refresh_from_db()
    assert (member.status, member.official_on) == (Member.Status.OFFICIAL, date(2025, 2, 10))
    with pytest.raises(ChiboError, match="đã là đảng viên chính thức"):
        services.member_recognize_official(
            actor=None, member=member, decided_on=date(2025, 3, 1), decision_number="22", issued_by=WARD
        )


def test_the_members_page_and_record_show_the_decisions_of_each_year(world, client):
    member = world.member_of_anhoa
    services.member_discipline(
        actor=None,
        member=member,
        discipline="reprimand",
        decided_on=date(2021, 8, 20),
        decision_number="15-QĐ/ĐU",
        issued_by=WARD,
    )
    record = member_record(member, sensitive=True)
    y2021 = record.year(2021)
    assert y2021 is not None and [e.discipline for e in y2021.disciplines] == ["reprimand"]
    client.force_login(world.anhoa_secretary)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "Kỷ luật: Khiển trách" in page and "15-QĐ/ĐU" in page and "20/08/2021" in page
    body = client.get(reverse("tasks:record", args=[member.pk])).content.decode()
    assert "Khiển trách" in body and "15-QĐ/ĐU" in body


def test_the_discipline_form_records_through_the_service_and_shows_errors_beside_the_field(world, client):
    member = world.member_of_anhoa
    client.force_login(world.anhoa_secretary)
    url = reverse("members:decision", args=[member.pk, "discipline"])
    bad = client.post(
        url, {"discipline": "warning", "decided_on": "20/08/2021", "decision_number": "", "issued_by": WARD}
    )
    assert bad.status_code == 400 and "Hãy nhập số quyết định." in bad.content.decode()
    ok = client.post(
        url, {"discipline": "warning", "decided_on": "20/08/2021", "decision_number": "15-QĐ/ĐU", "issued_by": WARD}
    )
    assert ok.status_code == 302
    assert LifeEvent.objects.get().recorded_by == world.anhoa_secretary
    assert client.get(reverse("members:decision", args=[member.pk, "promotion"])).status_code == 404


def test_the_leave_form_offers_neither_removal_nor_expulsion(world, client):
    client.force_login(world.anhoa_secretary)
    page = client.get(reverse("members:leave", args=[world.member_of_anhoa.pk])).content.decode()
    assert 'value="removed"' not in page and 'value="expelled"' not in page and 'value="deceased"' in page


def test_the_record_api_lists_the_years_decisions(world, client):
    from chibo.accounts.tokens import token_issue

    member = world.member_of_anhoa
    services.member_suspend(
        actor=None,
        member=member,
        decided_on=date(2023, 4, 1),
        ends_on=date(2023, 10, 1),
        decision_number="2",
        issued_by=WARD,
    )
    _t, raw = token_issue(user=world.anhoa_secretary, label="t")
    body = client.get(f"/api/v1/members/{member.pk}/record", headers={"Authorization": f"Bearer {raw}"}).json()
    year = next(y for y in body["years"] if y["year"] == 2023)
    assert year["events"] == [
        {
            "kind": "suspension",
            "discipline": "",
            "decided_on": "2023-04-01",
            "decision_number": "2",
            "issued_by": WARD,
            "ends_on": "2023-10-01",
        }
    ]
