"""The meeting pages as the secretary, a member, the supervisor and outsiders use them."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chibo.accounts.models import User
from chibo.meetings import services
from chibo.meetings.models import (
    AgendaItem,
    Attachment,
    Attendance,
    Guest,
    Meeting,
    Preparation,
    SpeakingTurn,
    SupervisorRemark,
    Vote,
)
from chibo.meetings.tests.conftest import Cell, add_members, plan_meeting
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name: str, meeting: Meeting, **kw: int) -> str:
    return reverse(f"meetings:{name}", kwargs={"pk": meeting.pk, **kw})


def opened(cell: Cell) -> Meeting:
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    return services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])


def mark_all_present(meeting: Meeting) -> None:
    for row in meeting.attendances.filter(is_exempt=False).select_related("member"):
        services.attendance_record(actor=None, meeting=meeting, member=row.member, status=Attendance.Status.PRESENT)


def test_the_secretary_opens_the_meeting_from_the_live_page(cell: Cell) -> None:
    c = client_for(cell.world.anhoa_secretary)
    page = c.get(url("live", cell.meeting))
    assert page.status_code == 200 and "Khai mạc" in page.content.decode()
    sec = cell.world.anhoa_secretary.member
    r = c.post(url("open", cell.meeting), {"chair": sec.pk, "recorder": cell.world.member_of_anhoa.pk})
    assert r.status_code == 302
    meeting = Meeting.objects.get(pk=cell.meeting.pk)
    assert meeting.status == Meeting.Status.OPEN and meeting.chair == sec
    assert meeting.attendances.count() == 20


def test_a_refused_opening_keeps_the_choices_and_says_why_at_the_field(cell: Cell) -> None:
    c = client_for(cell.world.anhoa_secretary)
    same = cell.official[2]
    r = c.post(url("open", cell.meeting), {"chair": same.pk, "recorder": same.pk})
    html = r.content.decode()
    assert r.status_code == 400 and "Chủ trì và thư ký phải là hai đồng chí khác nhau." in html
    assert html.count(f'<option value="{same.pk}" selected>') == 2  # both pickers keep the choice
    r = c.post(url("open", cell.meeting), {"chair": same.pk})
    assert r.status_code == 400 and "Chọn đồng chí thư ký." in r.content.decode()
    assert Meeting.objects.get(pk=cell.meeting.pk).status == Meeting.Status.PLANNED
    assert not cell.meeting.attendances.exists()


def test_the_pickers_tell_namesakes_apart_by_their_year_of_birth(cell: Cell) -> None:
    from datetime import date

    from chibo.testing.factories import MemberFactory

    MemberFactory(org=cell.world.anhoa, full_name="Nguyễn Văn An", birth_date=date(1958, 3, 1))
    MemberFactory(
        org=cell.world.anhoa,
        full_name="Nguyễn Văn An",
        birth_date=date(1990, 7, 9),
        joined_on=date(2012, 5, 1),
        official_on=date(2013, 5, 1),
    )
    html = client_for(cell.world.anhoa_secretary).get(url("live", cell.meeting)).content.decode()
    assert "Nguyễn Văn An (1958)" in html and "Nguyễn Văn An (1990)" in html
    assert f">{cell.official[2].full_name}</option>" in html  # no namesake: the name alone


def test_opening_twice_from_the_page_shows_the_refusal(cell: Cell) -> None:
    opened(cell)
    c = client_for(cell.world.anhoa_secretary)
    r = c.post(url("open", cell.meeting), follow=True)
    assert "Buổi sinh hoạt đã khai mạc rồi." in r.content.decode()


def test_one_tap_marks_a_member_and_answers_the_row_and_the_totals(cell: Cell) -> None:
    opened(cell)
    m = cell.official[2]
    r = client_for(cell.world.anhoa_secretary).post(
        url("attendance", cell.meeting, member_pk=m.pk), {"status": "present"}, **HX
    )
    html = r.content.decode()
    assert r.status_code == 200 and f'id="att-{m.pk}"' in html and 'id="totals"' in html and "hx-swap-oob" in html
    assert Attendance.objects.get(meeting=cell.meeting, member=m).status == Attendance.Status.PRESENT
    assert f'name="member" value="{m.pk}" class="chip"' in html  # now offered in the list of speakers (one tap)


def test_the_vote_box_follows_every_tap_of_attendance(cell: Cell) -> None:
    opened(cell)
    c = client_for(cell.world.anhoa_secretary)
    for row in cell.meeting.attendances.filter(is_exempt=False).exclude(member=cell.official[0]):
        services.attendance_record(
            actor=None, meeting=cell.meeting, member=row.member, status=Attendance.Status.PRESENT
        )
    r = c.post(url("attendance", cell.meeting, member_pk=cell.official[0].pk), {"status": "present"}, **HX)
    html = r.content.decode()
    # All 18 present: the vote box, swapped out of band, says what passes and warns of nothing.
    assert '<div id="vote-needed" hx-swap-oob="true">' in html
    assert "Cần ít nhất 9 phiếu tán thành" in html and "bị trừ điểm dự họp" not in html
    for m in cell.official[:3]:
        r = c.post(url("attendance", cell.meeting, member_pk=m.pk), {"status": "unexcused"}, **HX)
    html = r.content.decode()
    # 15 of 18 (83,3 %): warned, still votable.
    assert "Tỷ lệ dự họp 83,3% (dưới 85%): vẫn biểu quyết được" in html


def test_an_excused_tap_without_reason_is_refused_in_the_row(cell: Cell) -> None:
    opened(cell)
    m = cell.official[2]
    r = client_for(cell.world.anhoa_secretary).post(
        url("attendance", cell.meeting, member_pk=m.pk), {"status": "excused"}, **HX
    )
    assert "Ghi lý do vắng" in r.content.decode()
    assert Attendance.objects.get(meeting=cell.meeting, member=m).status == Attendance.Status.UNMARKED


def test_a_plain_member_cannot_record_attendance(cell: Cell) -> None:
    opened(cell)
    m = cell.official[2]
    r = client_for(cell.world.anhoa_member).post(url("attendance", cell.meeting, member_pk=m.pk), {"status": "present"})
    assert r.status_code == 403
    assert Attendance.objects.get(meeting=cell.meeting, member=m).status == Attendance.Status.UNMARKED


def test_a_member_present_asks_to_speak_from_their_phone(cell: Cell) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    c = client_for(cell.world.anhoa_member)
    page = c.get(url("live", cell.meeting)).content.decode()
    assert "Xin phát biểu" in page and "Mời phát biểu" not in page
    r = c.post(url("speaker_request", cell.meeting), **HX)
    assert "Bạn đã đăng ký phát biểu" in r.content.decode()
    turn = SpeakingTurn.objects.get(meeting=cell.meeting)
    assert turn.member == cell.world.member_of_anhoa and turn.requested_by_member


def test_the_secretary_runs_the_queue_and_the_summary_autosaves(cell: Cell) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    c = client_for(cell.world.anhoa_secretary)
    m = cell.official[4]
    r = c.post(url("speaker_add", cell.meeting), {"member": m.pk, "kind": "proposal"}, **HX)
    assert m.full_name in r.content.decode()
    turn = SpeakingTurn.objects.get(meeting=cell.meeting)
    r = c.post(url("turn_start", cell.meeting, turn_pk=turn.pk), **HX)
    assert "data-started-at" in r.content.decode() and "Đảng viên phát biểu" in r.content.decode()
    r = c.post(url("turn_save", cell.meeting, turn_pk=turn.pk), {"summary": "Đề nghị lắp đèn hẻm 5."}, **HX)
    assert "Đã lưu lúc" in r.content.decode()
    r = c.post(
        url("turn_finish", cell.meeting, turn_pk=turn.pk),
        {"kind": "proposal", "summary": "Đề nghị lắp đèn hẻm 5, 7."},
        **HX,
    )
    turn.refresh_from_db()
    assert (
        turn.status == SpeakingTurn.Status.DONE
        and turn.summary == "Đề nghị lắp đèn hẻm 5, 7."
        and turn.kind == "proposal"
    )


def test_the_vote_form_shows_the_result_under_the_pass_rule(cell: Cell) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    c = client_for(cell.world.anhoa_secretary)
    r = c.post(url("vote", cell.meeting), {"votes_for": 12, "votes_against": 2, "votes_abstain": 2}, **HX)
    assert "Nghị quyết được thông qua" in r.content.decode()
    r = c.post(url("vote", cell.meeting), {"votes_for": 20, "votes_against": 0, "votes_abstain": 0}, **HX)
    assert "vượt số đảng viên chính thức có mặt (16)" in r.content.decode()
    assert Vote.objects.get(meeting=cell.meeting).votes_for == 12


def test_the_supervisor_checks_in_and_the_remark_autosaves(cell: Cell) -> None:
    opened(cell)
    c = client_for(cell.world.supervisor)
    page = c.get(url("live", cell.meeting)).content.decode()
    assert "Tôi có mặt dự sinh hoạt" in page and url("close", cell.meeting) not in page
    c.post(url("checkin", cell.meeting), {"role": "Đảng ủy viên phường"}, **HX)
    assert Guest.objects.get(meeting=cell.meeting).is_supervisor
    r = c.post(url("remark", cell.meeting), {"text": "Cần phân công cụ thể hơn."}, **HX)
    assert "Đã lưu lúc" in r.content.decode()
    assert SupervisorRemark.objects.get(meeting=cell.meeting).text == "Cần phân công cụ thể hơn."


def test_the_agenda_advances_from_the_live_page(cell: Cell) -> None:
    opened(cell)
    r = client_for(cell.world.anhoa_secretary).post(url("agenda_advance", cell.meeting), **HX)
    assert "Đang tiến hành" in r.content.decode()
    assert AgendaItem.objects.get(meeting=cell.meeting, position=2).is_current


def test_closing_first_shows_what_falls_short_then_closes_on_confirmation(cell: Cell) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    c = client_for(cell.world.anhoa_secretary)
    page = c.get(url("close", cell.meeting)).content.decode()
    # Opened a moment ago: 0 of the 90 minutes of the rule set in force, no speaker, no vote.
    assert "Thời lượng 0 phút, chưa đủ tối thiểu 90 phút (thiếu 90 phút)." in page
    assert "0/18 đảng viên phát biểu (0,0%), cần ít nhất 6 (30%)." in page
    assert "Chưa biểu quyết nghị quyết." in page and "Vẫn bế mạc" in page
    # Without the confirmation the page is shown again and nothing closes.
    assert c.post(url("close", cell.meeting)).status_code == 200
    assert Meeting.objects.get(pk=cell.meeting.pk).status == Meeting.Status.OPEN
    r = c.post(url("close", cell.meeting), {"confirm": "1"}, follow=True)
    html = r.content.decode()
    assert "Đã bế mạc buổi sinh hoạt." in html and "tỷ lệ dự họp 100,0%" in html
    assert "Cảnh báo khi bế mạc" in html and "chưa đủ tối thiểu 90 phút" in html
    closed = Meeting.objects.get(pk=cell.meeting.pk)
    assert closed.status == Meeting.Status.CLOSED and closed.closed_by == cell.world.anhoa_secretary
    assert [s["key"] for s in closed.closing_shortfalls] == [
        "duration",
        "speakers",
        "agenda",
        "tasks",
        "vote",
        "criticism",
    ]


def test_the_live_page_shows_the_elapsed_time_against_the_minimum(cell: Cell) -> None:
    services.meeting_open(
        actor=None,
        meeting=cell.meeting,
        chair=cell.official[0],
        recorder=cell.official[1],
        started_at=timezone.now() - timedelta(minutes=95),
    )
    html = client_for(cell.world.anhoa_secretary).get(url("live", cell.meeting)).content.decode()
    assert 'data-min-minutes="90">95</span>' in html and "tối thiểu 90 phút" in html


def test_the_preparation_page_records_the_committee_and_the_agenda(world: World) -> None:
    meeting = plan_meeting(world.anhoa, timezone.localdate() + timedelta(days=3))
    c = client_for(world.anhoa_secretary)
    assert c.get(url("prepare", meeting)).status_code == 200
    sec = world.anhoa_secretary.member
    r = c.post(
        url("prepare", meeting),
        {"held_on": timezone.localdate().isoformat(), "attendees": [sec.pk], "decisions": "Thống nhất nội dung."},
    )
    assert r.status_code == 302, r.content
    assert Preparation.objects.get(meeting=meeting).decisions == "Thống nhất nội dung."
    r = c.post(url("agenda_template", meeting), **HX)
    assert r.status_code == 200 and meeting.agenda_items.count() == 9
    r = c.post(url("draft_save", meeting), {"text": "Dự thảo: vận động hộ."}, **HX)
    assert "Đã lưu lúc" in r.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).draft_resolution == "Dự thảo: vận động hộ."


def test_a_wrong_file_is_refused_on_the_preparation_page(world: World) -> None:
    meeting = plan_meeting(world.anhoa, timezone.localdate() + timedelta(days=3))
    c = client_for(world.anhoa_secretary)
    bad = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00not a pdf")
    r = c.post(url("attachment_add", meeting), {"file": bad, "kind": "draft_report"})
    assert r.status_code == 400 and "Nội dung tệp không phải PDF như tên tệp" in r.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 hello")
    assert c.post(url("attachment_add", meeting), {"file": good, "kind": "draft_report"}).status_code == 302
    a = Attachment.objects.get()
    assert client_for(world.anhoa_member).get(url("attachment", meeting, attachment_pk=a.pk)).status_code == 200
    assert client_for(world.outsider).get(url("attachment", meeting, attachment_pk=a.pk)).status_code == 404


def test_outsiders_get_404_on_every_meeting_page(cell: Cell) -> None:
    opened(cell)
    for user in (cell.world.outsider, cell.world.other_cell_secretary):
        c = client_for(user)
        for name in ("detail", "live", "live_panel"):
            assert c.get(url(name, cell.meeting)).status_code == 404


def test_the_live_page_costs_the_same_queries_for_20_and_60_members(
    cell: Cell, django_assert_num_queries: object
) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    for m in cell.official[:3]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=m))
    c = client_for(cell.world.anhoa_secretary)
    c.get(url("live", cell.meeting))  # warm the session
    # 16 of its own, 5 of the panels other apps add (from above, directives, remarks' follow-up).
    with django_assert_num_queries(21) as small:  # type: ignore[operator]
        c.get(url("live", cell.meeting))
    big = plan_meeting(cell.world.anhoa, kind=Meeting.Kind.EXTRAORDINARY)
    add_members(cell.world.anhoa, 40)
    services.agenda_from_template(actor=None, meeting=big)
    services.meeting_open(actor=None, meeting=big, chair=cell.official[0], recorder=cell.official[1])
    mark_all_present(big)
    for m in cell.official[:6]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=big, member=m))
    assert big.attendances.count() == 60
    with django_assert_num_queries(len(small.captured_queries)):  # type: ignore[attr-defined,operator]
        c.get(url("live", big))


def test_the_readiness_board_lists_each_cell_with_its_checklist_in_constant_queries(
    world: World, django_assert_num_queries: object
) -> None:
    soon = timezone.localdate() + timedelta(days=3)
    ready = plan_meeting(world.anhoa, soon)
    services.preparation_record(actor=None, meeting=ready, held_on=timezone.localdate(), attendees=[], decisions="x")
    plan_meeting(world.other_cell, soon)
    plan_meeting(world.other_ward_cell, soon)  # another ward: not on this board
    c = client_for(world.ward_officer)
    page = f"{reverse('meetings:readiness')}?org={world.ward.pk}&days=7"
    r = c.get(page)
    html = r.content.decode()
    assert world.anhoa.name in html and world.other_cell.name in html and world.other_ward_cell.name not in html
    with django_assert_num_queries(6) as few:  # type: ignore[operator]
        c.get(page)
    for cell in [world.anhoa, world.other_cell] * 3:
        plan_meeting(cell, soon + timedelta(days=1), kind=Meeting.Kind.EXTRAORDINARY)
    with django_assert_num_queries(len(few.captured_queries)):  # type: ignore[attr-defined,operator]
        c.get(page)
    assert client_for(world.outsider).get(page).status_code == 404


def test_the_list_and_a_held_meetings_page_cost_the_same_queries_at_two_sizes(
    cell: Cell, django_assert_num_queries: object
) -> None:
    opened(cell)
    mark_all_present(cell.meeting)
    c = client_for(cell.world.ward_officer)
    list_url = f"{reverse('meetings:list')}?org={cell.world.ward.pk}"
    detail = url("detail", cell.meeting)
    c.get(list_url)
    with django_assert_num_queries(6) as list_small:  # type: ignore[operator]
        c.get(list_url)
    # 10 of its own, 5 of the panels other apps add (directives, from above, remarks' follow-up).
    with django_assert_num_queries(15) as detail_small:  # type: ignore[operator]
        c.get(detail)
    for i in range(5):
        plan_meeting(cell.world.other_cell, timezone.localdate() + timedelta(days=i + 1), kind=Meeting.Kind.THEMATIC)
    add_members(cell.world.anhoa, 10)
    for m in cell.official[:8]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=m))
    services.attendance_record(
        actor=None,
        meeting=cell.meeting,
        member=cell.official[9],
        status=Attendance.Status.EXCUSED,
        reason="Đi công tác",
    )
    with django_assert_num_queries(len(list_small.captured_queries)):  # type: ignore[attr-defined,operator]
        c.get(list_url)
    with django_assert_num_queries(len(detail_small.captured_queries)):  # type: ignore[attr-defined,operator]
        r = c.get(detail)
    assert "Đi công tác" in r.content.decode()


def test_the_meeting_list_costs_the_same_queries_for_a_ward_and_the_province_at_two_sizes(cell: Cell) -> None:
    """bench/run.py times the list for a ward's and a province's officer: neither grows with the scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.accounts.models import Role
    from chibo.testing.factories import make_user

    province_officer = make_user("tinh.uy.hop", (Role.OFFICER, cell.world.province))
    clients = [client_for(cell.world.ward_officer), client_for(province_officer)]

    def counts() -> list[int]:
        found = []
        for c in clients:
            c.get(reverse("meetings:list"))
            with CaptureQueriesContext(connection) as captured:
                assert c.get(reverse("meetings:list")).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    small = counts()
    for i in range(6):
        day = timezone.localdate() + timedelta(days=i + 1)
        plan_meeting(cell.world.other_ward_cell, day, kind=Meeting.Kind.THEMATIC)
        plan_meeting(cell.world.other_cell, day, kind=Meeting.Kind.THEMATIC)
    assert counts() == small
    assert small[0] == small[1]
