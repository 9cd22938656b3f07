"""The directives register (C12): the cells a directive reaches are those under its target on its date; the
dissemination is one action; compliance per directive and per committee; reminders before the deadline."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.directives import selectors, services
from chibo.directives.models import Directive, DirectiveTarget, Dissemination
from chibo.documents import services as documents
from chibo.documents.models import MeetingDocument, Signature
from chibo.meetings import services as meetings
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.tests.conftest import Cell, plan_meeting
from chibo.notices.models import Notice
from chibo.organizations import services as org_services
from chibo.supervision.tests.conftest import held
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db


def _ct45(w: World, **kw) -> Directive:  # type: ignore[no-untyped-def]
    fields = {
        "actor": w.ward_officer,
        "target": w.ward,
        "number": "45-CT/TW",
        "issued_on": date(2020, 6, 20),
        "issuer": "Bộ Chính trị",
        "summary": "Lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp nhiệm kỳ 2021-2026",
        "deadline": date(2020, 9, 30),
    } | kw
    return services.directive_register(**fields)


def _open_all_present(cell: Cell) -> Meeting:
    meeting = meetings.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required[:15]:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    for m in cell.required[15:]:
        meetings.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.EXCUSED, reason="Ốm")
    return meeting


def test_a_directive_reaches_the_cells_under_its_target_on_its_date(world: World) -> None:
    org_services.org_move(actor=None, org=world.other_cell, new_parent=world.other_ward, effective_on=date(2022, 1, 1))
    old = _ct45(world, upload=SimpleUploadedFile("ct45.pdf", b"%PDF-1.4 chi thi"))
    assert {t.cell for t in old.targets.all()} == {world.anhoa, world.other_cell}
    assert old.file.name.endswith(".pdf") and old.original_name == "ct45.pdf"
    new = _ct45(world, number="01-CT/TW", issued_on=date(2022, 3, 9), deadline=date(2022, 6, 30))
    assert {t.cell for t in new.targets.all()} == {world.anhoa}
    # Bình Hòa's meeting cannot record a directive that never reached it.
    meeting = held(world.other_cell, date(2022, 4, 5))
    with pytest.raises(ChiboError, match="không giao cho Chi bộ khu vực Bình Hòa") as err:
        services.dissemination_record(actor=None, directive=new, meeting=meeting)
    assert err.value.field == "meeting" and not Dissemination.objects.exists()


def test_bad_registrations_are_refused_and_nothing_is_saved(world: World) -> None:
    _ct45(world)
    with pytest.raises(ChiboError, match="đã có trong sổ"):
        _ct45(world)
    with pytest.raises(ChiboError, match="không được trước ngày ban hành") as err:
        _ct45(world, number="01-CT/TW", deadline=date(2020, 6, 1))
    assert err.value.field == "deadline"
    with pytest.raises(ChiboError, match="không phải %PDF|Nội dung tệp không phải PDF"):
        _ct45(world, number="02-CT/TW", upload=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    with pytest.raises(ChiboError, match="không phải một chi bộ"):
        _ct45(world, number="03-CT/TW", target=world.anhoa)
    assert Directive.objects.count() == 1 and DirectiveTarget.objects.count() == 2


def test_the_next_meeting_shows_what_is_pending_and_dissemination_is_one_action(cell: Cell) -> None:
    w = cell.world
    directive = _ct45(w, issued_on=today() - timedelta(days=20), deadline=today() + timedelta(days=10))
    assert [t.directive for t in selectors.pending_for(w.anhoa, today())] == [directive]
    meeting = _open_all_present(cell)
    presenter = cell.official[0]
    done = services.dissemination_record(
        actor=w.anhoa_secretary, directive=directive, meeting=meeting, presenter=presenter
    )
    assert (done.present_count, done.required_count, done.held_on) == (15, 18, today())
    assert done.members_present.count() == 15 and done.recorded_by == w.anhoa_secretary
    assert selectors.pending_for(w.anhoa, today()) == []
    with pytest.raises(ChiboError, match="đã quán triệt văn bản này"):
        services.dissemination_record(actor=None, directive=directive, meeting=meeting)
    # The minutes list it.
    meetings.meeting_close(actor=None, meeting=meeting)
    minutes = documents.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    assert "Quán triệt văn bản cấp trên:" in minutes.sections["agenda"]
    assert (
        f"Chỉ thị số 45-CT/TW ngày {directive.issued_on.day}/{directive.issued_on.month}" in minutes.sections["agenda"]
    )
    assert "15/18 đảng viên có mặt" in minutes.sections["agenda"]


def test_a_presenter_absent_from_the_meeting_is_refused(cell: Cell) -> None:
    directive = _ct45(cell.world, issued_on=today() - timedelta(days=5), deadline=today() + timedelta(days=5))
    meeting = _open_all_present(cell)
    absent = cell.required[16]
    with pytest.raises(ChiboError, match="không có mặt tại buổi họp") as err:
        services.dissemination_record(actor=None, directive=directive, meeting=meeting, presenter=absent)
    assert err.value.field == "presenter" and not Dissemination.objects.exists()


def test_a_meeting_whose_minutes_are_locked_takes_no_dissemination(cell: Cell) -> None:
    w = cell.world
    directive = _ct45(w, issued_on=today() - timedelta(days=5), deadline=today() + timedelta(days=5))
    meeting = _open_all_present(cell)
    meetings.meeting_close(actor=None, meeting=meeting)
    minutes = documents.document_compose(actor=None, meeting=meeting, kind=MeetingDocument.Kind.MINUTES)
    documents.document_sign(actor=w.anhoa_secretary, document=minutes, role=Signature.Role.CHAIR)
    documents.document_sign(actor=w.anhoa_member, document=minutes, role=Signature.Role.RECORDER)
    with pytest.raises(ChiboError, match="đã ký và khóa"):
        services.dissemination_record(actor=None, directive=directive, meeting=meeting)
    assert not Dissemination.objects.exists()


def test_a_planned_meeting_takes_no_dissemination(world: World) -> None:
    directive = _ct45(world, issued_on=today() - timedelta(days=5), deadline=today() + timedelta(days=5))
    with pytest.raises(ChiboError, match="đang họp hoặc đã họp"):
        services.dissemination_record(actor=None, directive=directive, meeting=plan_meeting(world.anhoa))


def test_compliance_says_who_was_on_time_late_or_not_yet(world: World) -> None:
    directive = _ct45(world)
    services.dissemination_record(actor=None, directive=directive, meeting=held(world.anhoa, date(2020, 7, 5)))
    report = selectors.compliance(directive, day=date(2020, 9, 1))
    assert [(c.cell_name, c.status) for c in report.cells] == [
        ("Chi bộ khu vực An Hòa", selectors.ON_TIME),
        ("Chi bộ khu vực Bình Hòa", selectors.PENDING),
    ]
    services.dissemination_record(actor=None, directive=directive, meeting=held(world.other_cell, date(2020, 10, 5)))
    report = selectors.compliance(directive, day=date(2020, 11, 1))
    assert [c.status for c in report.cells] == [selectors.ON_TIME, selectors.LATE]
    assert (report.totals.targeted, report.totals.on_time, report.totals.late, report.totals.on_time_pct) == (
        2,
        1,
        1,
        50,
    )
    assert report.by_committee == [("Đảng bộ phường Bình Thạnh", report.totals)]
    [summary] = selectors.committee_compliance(world.ward, Directive.objects.all(), day=date(2020, 11, 1))
    assert (summary.counts.done, summary.counts.overdue) == (2, 0)
    [town] = selectors.committee_compliance(
        world.town, selectors.directives_for_committee(world.town), day=date(2020, 11, 1)
    )
    assert town.counts.targeted == 2


def test_reminders_before_the_deadline_go_to_late_cells_and_the_committee_once(world: World) -> None:
    directive = _ct45(world)  # deadline 30/09/2020; the default lead is 7 days
    services.dissemination_record(actor=None, directive=directive, meeting=held(world.anhoa, date(2020, 7, 5)))
    assert services.deadline_reminders_send(day=date(2020, 9, 1)) == 0
    assert services.deadline_reminders_send(day=date(2020, 9, 25)) == 2
    told = {(n.user, n.topic.split(":")[0]) for n in Notice.objects.filter(kind=Notice.Kind.DIRECTIVE)}
    assert told == {(world.other_cell_secretary, "directive"), (world.ward_officer, "directive-committee")}
    assert services.deadline_reminders_send(day=date(2020, 9, 26)) == 0
