"""The supervision pages as the ward's officer and an assigned cadre use them."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.meetings import services as meetings
from chibo.meetings.models import Attendance
from chibo.meetings.tests.conftest import Cell
from chibo.organizations.models import Organization
from chibo.supervision.models import Assignment, RemarkFollowUp, RotaPlan
from chibo.supervision.tests.conftest import held
from chibo.testing.factories import MemberFactory, World, make_org

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_ward_assigns_a_cadre_and_a_bad_period_is_shown_at_its_field(world: World, committee_member: User) -> None:
    c = client_for(world.ward_officer)
    page = f"{reverse('supervision:assignments')}?org={world.ward.pk}"
    form = {
        "cadre": committee_member.username,
        "kind": "committee",
        "title": "Ủy viên Ban Thường vụ",
        "cell": world.anhoa.pk,
        "valid_from": "01/01/2021",
        "valid_to": "",
    }
    assert c.post(page, form).status_code == 302
    r = c.post(page, form | {"valid_from": "01/06/2021"})
    assert r.status_code == 400 and "thời gian bị trùng" in r.content.decode()
    assert Assignment.objects.count() == 1
    r = c.post(page, form | {"cadre": "khong_co"})
    assert r.status_code == 400 and "Không có tài khoản" in r.content.decode()


def test_the_coverage_page_flags_the_cell_left_alone_in_constant_queries(
    world: World, committee_member: User, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    held(world.anhoa, date(2021, 4, 5), from_above=[committee_member])
    c = client_for(world.ward_officer)
    page = f"{reverse('supervision:coverage')}?org={world.ward.pk}&period=2021-Q2"
    html = c.get(page).content.decode()
    assert "Chi bộ khu vực Bình Hòa" in html and "05/04/2021" in html
    with django_assert_num_queries(13) as small:
        c.get(page)
    for i in range(8):
        cell = make_org(f"Chi bộ số {i}", Organization.Kind.CELL, world.ward)
        MemberFactory(org=cell)
        held(cell, date(2021, 5, 3), from_above=[committee_member] if i % 2 else [])
    with django_assert_num_queries(len(small.captured_queries)):
        c.get(page)


def test_the_rota_is_proposed_shown_with_its_bound_and_accepted(world: World, committee_member: User) -> None:
    Assignment.objects.create(
        committee=world.ward,
        cadre=committee_member,
        cell=world.anhoa,
        title="Đảng ủy viên",
        valid_from=date(2021, 1, 1),
    )
    c = client_for(world.ward_officer)
    r = c.post(
        f"{reverse('supervision:rota_list')}?org={world.ward.pk}",
        {"starts_on": "01/04/2021", "months": "3", "max_per_month": ""},
    )
    plan = RotaPlan.objects.get()
    assert r.status_code == 302 and plan.visits.count() == 2
    html = c.get(reverse("supervision:rota", args=[plan.pk])).content.decode()
    assert f"cận dưới của bộ giải: {plan.bound}" in html
    c.post(reverse("supervision:rota_accept", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == RotaPlan.Status.ACCEPTED and plan.accepted_by == world.ward_officer
    assert client_for(world.viewer).post(reverse("supervision:rota_accept", args=[plan.pk])).status_code == 403


def test_the_cadre_flags_a_remark_and_the_secretary_answers_it_on_the_live_page(cell: Cell) -> None:
    w = cell.world
    meeting = meetings.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    sup = client_for(w.supervisor)
    sup.post(reverse("meetings:checkin", args=[meeting.pk]))
    sup.post(reverse("meetings:remark", args=[meeting.pk]), {"text": "Đề nghị rà soát hộ nghèo."})
    sup.post(reverse("supervision:remark_flag", args=[meeting.pk]), {"asks_action": "1"})
    follow_up = RemarkFollowUp.objects.get()
    assert follow_up.asks_action
    secretary = client_for(w.anhoa_secretary)
    html = secretary.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Chưa trả lời" in html and "Đề nghị rà soát hộ nghèo." in html
    secretary.post(
        reverse("supervision:remark_answer", args=[follow_up.remark_id]),
        {
            "answer": "task",
            "description": "Rà soát hộ nghèo",
            "assignees": [w.member_of_anhoa.pk],
            "due_on": (today() + timedelta(days=7)).strftime("%d/%m/%Y"),
        },
    )
    follow_up.refresh_from_db()
    assert follow_up.task is not None and follow_up.task.description == "Rà soát hộ nghèo"
    assert "Đang thực hiện" in secretary.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
