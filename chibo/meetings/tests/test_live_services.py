"""The live meeting through its services (C6), with the numbers of a cell of 20."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from chibo.core.errors import ChiboError
from chibo.meetings import selectors, services
from chibo.meetings.models import AgendaItem, Attendance, Meeting, SpeakingTurn, Vote
from chibo.meetings.tests.conftest import Cell, plan_meeting
from chibo.rules.models import RuleSetVersion

pytestmark = pytest.mark.django_db


def _open(cell: Cell) -> Meeting:
    return services.meeting_open(
        actor=cell.world.anhoa_secretary, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1]
    )


def _mark(cell: Cell, present: int, *, excused: int = 1) -> None:
    """The first `present` required members present, the next `excused` excused, the rest unexcused."""
    actor = cell.world.anhoa_secretary
    official_then_probationary = cell.probationary + cell.official  # probationary first: they are present
    for i, m in enumerate(official_then_probationary):
        if i < present:
            services.attendance_record(actor=actor, meeting=cell.meeting, member=m, status=Attendance.Status.PRESENT)
        elif i < present + excused:
            services.attendance_record(
                actor=actor, meeting=cell.meeting, member=m, status=Attendance.Status.EXCUSED, reason="Ốm"
            )
        else:
            services.attendance_record(actor=actor, meeting=cell.meeting, member=m, status=Attendance.Status.UNEXCUSED)
    for m in cell.exempt:
        services.attendance_record(
            actor=actor, meeting=cell.meeting, member=m, status=Attendance.Status.EXCUSED, reason="Miễn"
        )


def test_opening_lists_every_member_on_the_roll_with_their_standing(cell: Cell) -> None:
    meeting = _open(cell)
    assert meeting.status == Meeting.Status.OPEN and meeting.started_at is not None
    rows = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert len(rows) == 20
    assert all(rows[m.pk].is_exempt for m in cell.exempt)
    assert not any(rows[m.pk].is_official for m in cell.probationary)
    assert all(a.status == Attendance.Status.UNMARKED for a in rows.values())
    t = selectors.live_totals(meeting)
    assert (t.on_roll, t.official, t.probationary, t.exempt, t.required, t.official_required) == (20, 18, 2, 2, 18, 16)


def test_opening_starts_the_first_point_of_the_agenda(cell: Cell) -> None:
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    _open(cell)
    first = AgendaItem.objects.get(meeting=cell.meeting, position=1)
    assert first.is_current and first.kind == AgendaItem.Kind.OPENING


def test_opening_twice_is_refused_and_changes_nothing(cell: Cell) -> None:
    _open(cell)
    with pytest.raises(ChiboError, match="đã khai mạc rồi"):
        _open(cell)
    assert Attendance.objects.filter(meeting=cell.meeting).count() == 20


def test_opening_before_the_planned_day_is_refused(cell: Cell) -> None:
    meeting = plan_meeting(cell.world.anhoa, timezone.localdate() + timedelta(days=3), kind=Meeting.Kind.THEMATIC)
    with pytest.raises(ChiboError, match="Chưa đến ngày họp"):
        services.meeting_open(actor=None, meeting=meeting, chair=cell.official[0], recorder=cell.official[1])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.attendances.exists()


def test_sixteen_of_eighteen_present_meets_the_85_percent_threshold(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    t = selectors.live_totals(cell.meeting)
    assert (t.present, t.excused, t.unexcused, t.unmarked, t.voters) == (16, 1, 1, 0, 14)
    assert t.attendance_rate == 88.9 and t.attendance_met
    assert [a.member_id for a in selectors.absentees(cell.meeting)] != []
    assert {(a.status, a.reason) for a in selectors.absentees(cell.meeting)} == {
        (Attendance.Status.EXCUSED, "Ốm"),
        (Attendance.Status.UNEXCUSED, ""),
    }


def test_fifteen_of_eighteen_misses_the_quality_threshold_but_the_vote_is_recorded_and_passes(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=15)
    t = selectors.live_totals(cell.meeting)
    assert t.attendance_rate == 83.3 and not t.attendance_met and t.attendance_needed == 16
    # 16 official members required: 9 votes for are more than half of them, whatever the attendance.
    assert (t.voters, t.official_required, t.votes_needed) == (13, 16, 9)
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=9, votes_against=2, votes_abstain=2)
    assert vote.passed and (vote.voters_present, vote.official_required) == (13, 16)


def test_eight_votes_of_sixteen_official_required_do_not_pass_even_with_everyone_present(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=18, excused=0)
    t = selectors.live_totals(cell.meeting)
    assert t.attendance_met and (t.voters, t.votes_needed) == (16, 9)
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=8, votes_against=8, votes_abstain=0)
    assert not vote.passed


def test_with_too_few_official_members_present_no_vote_can_pass_but_it_is_still_recorded(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=9, excused=9)  # 2 probationary + 7 official present
    t = selectors.live_totals(cell.meeting)
    assert (t.voters, t.votes_needed, t.vote_possible) == (7, 9, False)
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=7, votes_against=0, votes_abstain=0)
    assert not vote.passed and Vote.objects.count() == 1


def test_exempt_members_who_come_count_in_the_room_but_not_against_the_cell(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    services.attendance_record(
        actor=None, meeting=cell.meeting, member=cell.exempt[0], status=Attendance.Status.PRESENT
    )
    t = selectors.live_totals(cell.meeting)
    assert (t.required, t.present, t.exempt_present, t.present_total) == (18, 16, 1, 17)
    assert t.attendance_rate == 88.9


def test_an_exempt_member_who_speaks_is_shown_apart_and_counted_in_neither_figure(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    services.attendance_record(
        actor=None, meeting=cell.meeting, member=cell.exempt[0], status=Attendance.Status.PRESENT
    )
    for m in [*cell.official[:4], cell.exempt[0]]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=m))
    t = selectors.live_totals(cell.meeting)
    # 4 of the 16 present who were required: 25 %, short of 30 % (5 needed); the exempt speaker apart.
    assert (t.speakers, t.exempt_speakers, t.present, t.speakers_needed) == (4, 1, 16, 5)
    assert t.speakers_rate == 25.0 and not t.speakers_met


def test_a_late_arrival_keeps_the_time_and_counts_as_present(cell: Cell) -> None:
    _open(cell)
    m = cell.official[3]
    row = services.attendance_record(
        actor=None, meeting=cell.meeting, member=m, status=Attendance.Status.LATE, arrived_at=time(19, 20)
    )
    assert row.arrived_at == time(19, 20) and row.is_present
    row = services.attendance_record(
        actor=None, meeting=cell.meeting, member=cell.official[4], status=Attendance.Status.LATE
    )
    assert row.arrived_at is not None
    assert selectors.live_totals(cell.meeting).late == 2


def test_an_excused_absence_needs_a_reason(cell: Cell) -> None:
    _open(cell)
    with pytest.raises(ChiboError, match="Ghi lý do vắng") as err:
        services.attendance_record(
            actor=None, meeting=cell.meeting, member=cell.official[2], status=Attendance.Status.EXCUSED
        )
    assert err.value.field == "reason"
    assert Attendance.objects.get(meeting=cell.meeting, member=cell.official[2]).status == Attendance.Status.UNMARKED


def test_attendance_on_a_closed_meeting_is_refused(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    services.meeting_close(actor=None, meeting=cell.meeting)
    with pytest.raises(ChiboError, match="đã kết thúc"):
        services.attendance_record(
            actor=None, meeting=cell.meeting, member=cell.official[0], status=Attendance.Status.UNEXCUSED
        )
    assert Attendance.objects.get(meeting=cell.meeting, member=cell.official[0]).status == Attendance.Status.PRESENT


def test_attendance_before_the_opening_is_refused(cell: Cell) -> None:
    with pytest.raises(ChiboError, match="chưa khai mạc"):
        services.attendance_record(
            actor=None, meeting=cell.meeting, member=cell.official[0], status=Attendance.Status.PRESENT
        )


def test_a_member_not_on_the_roll_cannot_be_marked(cell: Cell) -> None:
    from chibo.testing.factories import MemberFactory

    _open(cell)
    stranger = MemberFactory(org=cell.world.other_cell)
    with pytest.raises(ChiboError, match="không có trong danh sách"):
        services.attendance_record(actor=None, meeting=cell.meeting, member=stranger, status=Attendance.Status.PRESENT)


def test_five_speakers_of_sixteen_present_meet_the_30_percent_rule(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    speakers = cell.official[:5]
    for m in speakers:
        turn = services.speaker_add(actor=None, meeting=cell.meeting, member=m)
        services.turn_start(actor=None, turn=turn)
    # A second turn by the same member does not make a second speaker.
    again = services.speaker_add(
        actor=None, meeting=cell.meeting, member=speakers[0], kind=SpeakingTurn.Kind.EXPLANATION
    )
    services.turn_start(actor=None, turn=again)
    t = selectors.live_totals(cell.meeting)
    assert (t.speakers, t.present, t.speakers_needed) == (5, 16, 5)
    assert t.speakers_rate == 31.2 and t.speakers_met


def test_four_speakers_of_sixteen_fall_short(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    for m in cell.official[:4]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=m))
    assert not selectors.live_totals(cell.meeting).speakers_met


def test_only_a_member_present_can_be_put_on_the_list_of_speakers(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    absent = cell.official[-1]  # unexcused in _mark
    with pytest.raises(ChiboError, match="chưa được điểm danh có mặt"):
        services.speaker_add(actor=None, meeting=cell.meeting, member=absent)
    assert not SpeakingTurn.objects.exists()


def test_a_member_asks_to_speak_once_and_joins_the_end_of_the_queue(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[5])
    turn = services.speaker_request(actor=cell.world.anhoa_member, meeting=cell.meeting)
    assert turn.requested_by_member and turn.position == 2 and turn.member == cell.world.member_of_anhoa
    with pytest.raises(ChiboError, match="đã đăng ký phát biểu"):
        services.speaker_request(actor=cell.world.anhoa_member, meeting=cell.meeting)
    assert SpeakingTurn.objects.count() == 2


def test_giving_the_floor_finishes_the_previous_speaker(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    first = services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[0])
    second = services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[1])
    services.turn_start(actor=None, turn=first)
    services.turn_start(actor=None, turn=second)
    first.refresh_from_db()
    assert first.status == SpeakingTurn.Status.DONE and first.ended_at is not None
    done = services.turn_finish(
        actor=None, turn=second, kind=SpeakingTurn.Kind.SELF_CRITICISM, summary="Nhận khuyết điểm chậm nộp đảng phí."
    )
    assert done.status == SpeakingTurn.Status.DONE and done.kind == SpeakingTurn.Kind.SELF_CRITICISM
    assert done.duration_seconds is not None and done.duration_seconds >= 0


def test_a_summary_can_be_completed_after_the_close(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    turn = services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[0])
    services.turn_start(actor=None, turn=turn)
    services.meeting_close(actor=None, meeting=cell.meeting)
    services.turn_update(actor=None, turn=turn, summary="Đề nghị sửa đường hẻm số 3.")
    turn.refresh_from_db()
    assert turn.status == SpeakingTurn.Status.DONE and turn.summary == "Đề nghị sửa đường hẻm số 3."


def test_ten_for_among_fourteen_voters_passes_by_majority_of_official_members_required(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=10, votes_against=3, votes_abstain=1)
    assert (vote.voters_present, vote.official_required, vote.pass_rule) == (14, 16, "majority_of_voters")
    assert vote.passed


def test_eight_for_is_not_more_than_half_of_sixteen(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=8, votes_against=6, votes_abstain=0)
    assert not vote.passed
    # A recount replaces the count.
    vote = services.vote_record(actor=None, meeting=cell.meeting, votes_for=9, votes_against=5, votes_abstain=0)
    assert vote.passed and Vote.objects.count() == 1


def test_the_pass_rule_is_the_meetings_rule_set(cell: Cell) -> None:
    RuleSetVersion.objects.filter(pk=cell.meeting.ruleset_id).update(
        vote_pass_rule=RuleSetVersion.VotePassRule.TWO_THIRDS_OF_PRESENT
    )
    cell.meeting.refresh_from_db()  # read as a page reads it (a version's rules never change once in use)
    _open(cell)
    _mark(cell, present=16)
    assert not services.vote_record(
        actor=None, meeting=cell.meeting, votes_for=9, votes_against=5, votes_abstain=0
    ).passed
    assert services.vote_record(actor=None, meeting=cell.meeting, votes_for=10, votes_against=4, votes_abstain=0).passed


def test_vote_counts_above_the_voters_present_are_refused(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    with pytest.raises(ChiboError, match=r"Tổng số biểu quyết \(15\) vượt số đảng viên chính thức có mặt \(14\)"):
        services.vote_record(actor=None, meeting=cell.meeting, votes_for=12, votes_against=2, votes_abstain=1)
    assert not Vote.objects.exists()


def test_negative_vote_counts_are_refused(cell: Cell) -> None:
    _open(cell)
    _mark(cell, present=16)
    with pytest.raises(ChiboError, match="không được âm"):
        services.vote_record(actor=None, meeting=cell.meeting, votes_for=10, votes_against=-1, votes_abstain=0)


def test_closing_needs_every_member_marked(cell: Cell) -> None:
    _open(cell)
    with pytest.raises(ChiboError, match="Còn 18 đảng viên chưa điểm danh"):
        services.meeting_close(actor=None, meeting=cell.meeting)
    assert Meeting.objects.get(pk=cell.meeting.pk).status == Meeting.Status.OPEN


def test_closing_ends_the_agenda_and_the_queue(cell: Cell) -> None:
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    _open(cell)
    _mark(cell, present=16)
    speaking = services.turn_start(
        actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[0])
    )
    waiting = services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[1])
    meeting = services.meeting_close(actor=None, meeting=cell.meeting)
    speaking.refresh_from_db()
    waiting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.ended_at is not None
    assert speaking.status == SpeakingTurn.Status.DONE and waiting.status == SpeakingTurn.Status.WITHDRAWN
    assert not meeting.agenda_items.filter(started_at__isnull=False, ended_at__isnull=True).exists()


def test_closing_a_meeting_that_is_not_open_is_refused(cell: Cell) -> None:
    with pytest.raises(ChiboError, match="Chỉ bế mạc được buổi sinh hoạt đang họp"):
        services.meeting_close(actor=None, meeting=cell.meeting)


def test_the_agenda_advances_point_by_point(cell: Cell) -> None:
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    _open(cell)
    nxt = services.agenda_advance(actor=None, meeting=cell.meeting)
    assert nxt is not None and nxt.kind == AgendaItem.Kind.NEWS
    assert AgendaItem.objects.get(meeting=cell.meeting, position=1).ended_at is not None
    for _ in range(7):
        services.agenda_advance(actor=None, meeting=cell.meeting)
    assert services.agenda_advance(actor=None, meeting=cell.meeting) is None  # the closing point ended
    with pytest.raises(ChiboError, match="Đã hết chương trình"):
        services.agenda_advance(actor=None, meeting=cell.meeting)


def test_the_supervisor_checks_in_once_and_leaves_a_remark(cell: Cell) -> None:
    _open(cell)
    sup = cell.world.supervisor
    guest = services.guest_add(actor=sup, meeting=cell.meeting, user=sup, is_supervisor=True, role="Đảng ủy viên")
    assert guest.is_supervisor and guest.name == "supervisor"
    with pytest.raises(ChiboError, match="đã được ghi nhận có mặt"):
        services.guest_add(actor=sup, meeting=cell.meeting, user=sup, is_supervisor=True)
    remark = services.remark_save(actor=sup, meeting=cell.meeting, text="Chi bộ cần cụ thể hóa nghị quyết.")
    services.remark_save(actor=sup, meeting=cell.meeting, text="Chi bộ cần cụ thể hóa nghị quyết hơn.")
    remark.refresh_from_db()
    assert remark.text.endswith("hơn.") and cell.meeting.remarks.count() == 1


def test_a_member_of_the_cell_cannot_leave_a_supervisor_remark(cell: Cell) -> None:
    _open(cell)
    with pytest.raises(ChiboError, match="Chỉ cán bộ cấp trên"):
        services.remark_save(actor=cell.world.anhoa_member, meeting=cell.meeting, text="...")


def test_nothing_is_completed_after_the_minutes_are_signed_and_locked(cell: Cell) -> None:
    from chibo.documents import services as documents
    from chibo.documents.models import MeetingDocument, Signature

    w = cell.world
    services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=w.member_of_anhoa)
    _mark(cell, present=16)
    turn = services.turn_start(
        actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=cell.official[0])
    )
    services.meeting_close(actor=None, meeting=cell.meeting)
    minutes = documents.document_compose(actor=None, meeting=cell.meeting, kind=MeetingDocument.Kind.MINUTES)
    documents.document_sign(actor=w.anhoa_secretary, document=minutes, role=Signature.Role.CHAIR)
    documents.document_sign(actor=w.anhoa_member, document=minutes, role=Signature.Role.RECORDER)
    with pytest.raises(ChiboError, match="Biên bản đã ký và khóa"):
        services.turn_update(actor=None, turn=turn, summary="Sửa sau khi ký.")
    with pytest.raises(ChiboError, match="Biên bản đã ký và khóa"):
        services.remark_save(actor=w.supervisor, meeting=cell.meeting, text="Muộn.")
    turn.refresh_from_db()
    assert turn.summary == "" and not cell.meeting.remarks.exists()
