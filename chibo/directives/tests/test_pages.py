"""The directives pages as the ward's officer and An Hòa's secretary use them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.directives.models import Directive, Dissemination
from chibo.meetings import services as meetings
from chibo.meetings.models import Attendance
from chibo.meetings.tests.conftest import Cell
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _register(c: Client, w: World, **kw: object):  # type: ignore[no-untyped-def]
    form = {
        "kind": "directive",
        "number": "45-CT/TW",
        "issued_on": "20/06/2020",
        "issuer": "Bộ Chính trị",
        "summary": "Lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV",
        "deadline": "30/09/2020",
        "upload": SimpleUploadedFile("ct45.pdf", b"%PDF-1.4 ct45"),
    } | kw
    return c.post(f"{reverse('directives:list')}?org={w.ward.pk}", form)


def test_the_ward_registers_a_directive_with_its_file_and_sees_its_compliance(world: World) -> None:
    c = client_for(world.ward_officer)
    assert _register(c, world).status_code == 302
    directive = Directive.objects.get()
    assert directive.targets.count() == 2
    html = c.get(f"{reverse('directives:list')}?org={world.ward.pk}").content.decode()
    assert "Chỉ thị số 45-CT/TW ngày 20/6/2020" in html and "0/2 (0%)" in html
    html = c.get(reverse("directives:detail", args=[directive.pk])).content.decode()
    assert "Quá hạn" in html and "Chi bộ khu vực An Hòa" in html
    r = client_for(world.anhoa_member).get(reverse("directives:file", args=[directive.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_bad_deadline_is_shown_at_its_field_and_nothing_is_saved(world: World) -> None:
    r = _register(client_for(world.ward_officer), world, deadline="01/06/2020")
    assert r.status_code == 400 and "không được trước ngày ban hành" in r.content.decode()
    assert not Directive.objects.exists()


def test_the_secretary_records_the_dissemination_in_one_action_from_the_live_page(cell: Cell) -> None:
    w = cell.world
    _register(
        client_for(w.ward_officer),
        w,
        issued_on=(today() - timedelta(days=3)).strftime("%d/%m/%Y"),
        deadline=(today() + timedelta(days=20)).strftime("%d/%m/%Y"),
    )
    directive = Directive.objects.get()
    meeting = meetings.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    c = client_for(w.anhoa_secretary)
    html = c.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert "Chi bộ chưa quán triệt" in html and directive.label in html
    c.post(
        reverse("directives:disseminate", args=[meeting.pk]),
        {"directive": directive.pk, "presenter": cell.official[0].pk},
    )
    done = Dissemination.objects.get()
    assert (done.meeting, done.presenter, done.present_count) == (meeting, cell.official[0], 18)
    assert "Đã quán triệt" in c.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
