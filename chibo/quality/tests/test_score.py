"""The quality score of a meeting (C14) with the Phú Thọ scheme of the rule set in force (HD 42, 2025 on):
preparation 15, attendance 20, conduct 45, closing 20; Tốt ≥ 90 with full marks on attendance, duration,
speakers and minutes."""

from datetime import date, time

import pytest
from django.test import Client

from chibo.accounts.tokens import token_issue
from chibo.core.errors import ChiboError
from chibo.documents.models import MeetingDocument
from chibo.meetings.models import Meeting
from chibo.meetings.tests.conftest import Cell
from chibo.quality import selectors, services
from chibo.quality.models import Level, MeetingScore, ScoreAmendment
from chibo.quality.tests.conftest import hold_short
from chibo.rules.scoring import binh_thuan_scheme, phu_tho_scheme
from chibo.rules.selectors import ruleset_for

pytestmark = pytest.mark.django_db


def _points(score: MeetingScore) -> dict[str, int]:
    return dict(score.items.values_list("key", "points"))


def test_closing_proposes_the_score_with_each_criterion_and_its_evidence(cell: Cell) -> None:
    meeting = hold_short(cell, minutes=60, speakers=5)
    score = MeetingScore.objects.get(meeting=meeting)
    assert score.ruleset == meeting.ruleset and score.scheme["scheme"] == "phu_tho"
    assert _points(score) == {
        "committee_prepared": 5,
        "documents_ready": 5,
        "notices_sent": 0,
        "attendance_rate": 15,
        "no_unexcused": 5,
        "duration": 0,  # 60 of 90 minutes
        "speakers": 0,  # 5 of 18 present, 6 needed (30 %)
        "criticism": 5,
        "tasks_reviewed": 10,  # nothing to review from last month
        "directives": 5,
        "tasks_assigned": 0,
        "resolution_voted": 10,
        "minutes_signed": 0,
    }
    assert (score.total, score.level) == (60, Level.AVERAGE)
    duration = score.items.get(key="duration")
    assert duration.evidence == "Họp 60 phút, tối thiểu 90 phút." and duration.evidence_url.endswith(
        f"/meetings/{meeting.pk}/"
    )
    speakers = score.items.get(key="speakers")
    assert speakers.evidence.startswith("5/18 đảng viên có mặt phát biểu (27,8%)")
    # The warning shown at the close is kept with the record.
    keys = [s["key"] for s in Meeting.objects.get(pk=meeting.pk).closing_shortfalls]
    assert keys == ["duration", "speakers", "tasks"]


def test_ninety_points_without_full_duration_is_khá_not_tốt() -> None:
    scheme = phu_tho_scheme()
    full = {"attendance_rate": True, "duration": True, "speakers": True, "minutes_signed": True}
    assert selectors.level_for(90, full, scheme) == Level.GOOD
    assert selectors.level_for(95, full | {"duration": False}, scheme) == Level.FAIR
    assert selectors.level_for(89, full, scheme) == Level.FAIR
    assert selectors.level_for(70, full, scheme) == Level.FAIR
    assert selectors.level_for(69, full, scheme) == Level.AVERAGE
    assert selectors.level_for(50, full, scheme) == Level.AVERAGE
    assert selectors.level_for(49, full, scheme) == Level.POOR


def test_a_meeting_not_closed_is_not_scored(cell: Cell) -> None:
    with pytest.raises(ChiboError, match="Chỉ chấm điểm buổi sinh hoạt đã kết thúc") as err:
        services.score_propose(actor=None, meeting=cell.meeting)
    assert err.value.field == "meeting" and not MeetingScore.objects.exists()


def test_the_committee_changes_a_criterion_only_with_a_written_reason(cell: Cell) -> None:
    score = MeetingScore.objects.get(meeting=hold_short(cell))
    secretary = cell.world.anhoa_secretary
    with pytest.raises(ChiboError, match="Ghi lý do khi đổi điểm") as err:
        services.score_adjust(actor=secretary, score=score, key="tasks_assigned", points=5, reason="  ")
    assert err.value.field == "reason" and _points(MeetingScore.objects.get(pk=score.pk))["tasks_assigned"] == 0
    with pytest.raises(ChiboError, match="từ 0 đến 5"):
        services.score_adjust(actor=secretary, score=score, key="tasks_assigned", points=6, reason="x")
    item = services.score_adjust(
        actor=secretary, score=score, key="tasks_assigned", points=5, reason="Nhiệm vụ giao bằng văn bản sau họp."
    )
    assert item.adjusted and item.measured_points == 0 and item.changed_by == secretary
    score.refresh_from_db()
    assert (score.total, score.level) == (65, Level.AVERAGE)
    # Measured again later, the reasoned change stays.
    services.score_propose(actor=None, meeting=score.meeting)
    assert _points(MeetingScore.objects.get(pk=score.pk))["tasks_assigned"] == 5


def test_the_members_vote_and_only_the_cadre_who_attended_from_above_confirms(cell: Cell) -> None:
    w = cell.world
    score = MeetingScore.objects.get(meeting=hold_short(cell))
    with pytest.raises(ChiboError, match="vượt số đảng viên chính thức có mặt \\(16\\)"):
        services.score_vote_record(actor=w.anhoa_secretary, score=score, votes_for=17, votes_against=0, votes_abstain=0)
    services.score_vote_record(actor=w.anhoa_secretary, score=score, votes_for=14, votes_against=1, votes_abstain=1)
    for someone in (w.anhoa_secretary, w.ward_officer):
        with pytest.raises(ChiboError, match="Chỉ cán bộ cấp trên đã dự buổi sinh hoạt này") as err:
            services.score_confirm(actor=someone, score=score)
        assert err.value.field == "confirm"
    assert not MeetingScore.objects.get(pk=score.pk).is_confirmed
    confirmed = services.score_confirm(actor=w.supervisor, score=score)
    assert confirmed.state == "confirmed" and confirmed.confirmed_by == w.supervisor
    with pytest.raises(ChiboError, match="đã được cấp trên xác nhận"):
        services.score_adjust(actor=w.anhoa_secretary, score=score, key="duration", points=10, reason="x")


def test_a_supervisor_who_did_not_attend_cannot_confirm(cell: Cell) -> None:
    score = MeetingScore.objects.get(meeting=hold_short(cell, supervisor_attends=False))
    services.score_vote_record(actor=None, score=score, votes_for=16, votes_against=0, votes_abstain=0)  # type: ignore[arg-type]
    with pytest.raises(ChiboError, match="Chỉ cán bộ cấp trên đã dự"):
        services.score_confirm(actor=cell.world.supervisor, score=score)


def _lock_minutes(meeting: Meeting, cell: Cell) -> None:
    """The chair (the secretary) and the recorder (the plain member) sign with their own accounts."""
    from chibo.documents import services as document_services
    from chibo.documents.models import Signature

    w = cell.world
    doc = document_services.document_compose(
        actor=w.anhoa_secretary, meeting=meeting, kind=MeetingDocument.Kind.MINUTES
    )
    document_services.document_sign(actor=w.anhoa_secretary, document=doc, role=Signature.Role.CHAIR)
    document_services.document_sign(actor=w.anhoa_member, document=doc, role=Signature.Role.RECORDER)


def test_the_score_locks_with_the_minutes_and_later_changes_are_amendments(cell: Cell) -> None:
    w = cell.world
    meeting = hold_short(cell)
    _lock_minutes(meeting, cell)
    score = MeetingScore.objects.get(meeting=meeting)
    assert score.is_locked and _points(score)["minutes_signed"] == 10  # signed the same day, within 7
    assert score.total == 70 and score.level == Level.FAIR
    with pytest.raises(ChiboError, match="đã khóa cùng biên bản; muốn sửa hãy lập đính chính"):
        services.score_adjust(actor=w.anhoa_secretary, score=score, key="duration", points=10, reason="x")
    with pytest.raises(ChiboError, match="Ghi lý do đính chính"):
        services.score_amend(actor=w.anhoa_secretary, score=score, key="notices_sent", points=5, reason="")
    services.score_amend(
        actor=w.anhoa_secretary, score=score, key="notices_sent", points=5, reason="Đã thông báo bằng giấy mời."
    )
    score.refresh_from_db()
    amendment = ScoreAmendment.objects.get(score=score)
    assert (amendment.before, amendment.after, score.total) == (0, 5, 75)


def test_the_minutes_print_the_score(cell: Cell) -> None:
    from chibo.documents import services as document_services

    meeting = hold_short(cell)
    doc = document_services.document_compose(
        actor=cell.world.anhoa_secretary, meeting=meeting, kind=MeetingDocument.Kind.MINUTES
    )
    text = doc.section("score")
    assert text.startswith("Tổng điểm: 60/100, xếp loại trung bình (đề xuất, chưa biểu quyết).")
    assert "- Thời lượng đạt tối thiểu: 0/10 điểm — Họp 60 phút, tối thiểu 90 phút." in text
    services.score_vote_record(
        actor=cell.world.anhoa_secretary, score=meeting.score, votes_for=16, votes_against=0, votes_abstain=0
    )
    doc.refresh_from_db()
    assert "Chi bộ biểu quyết kết quả chấm điểm: tán thành 16" in doc.section("score")


def _scored(world, day: date, level: str, total: int) -> MeetingScore:  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.create(
        org=world.anhoa,
        kind=Meeting.Kind.REGULAR,
        period=day.replace(day=1),
        scheduled_date=day,
        scheduled_time=time(19),
        status=Meeting.Status.CLOSED,
        ruleset=ruleset_for(world.anhoa, day),
    )
    return MeetingScore.objects.create(
        meeting=meeting,
        ruleset=meeting.ruleset,
        scheme=meeting.ruleset.scoring,
        total=total,
        max_total=100,
        level=level,
        proposed_at=meeting.created_at,
    )


@pytest.mark.parametrize(
    ("good", "fair", "average", "expected"),
    [(7, 5, 0, Level.GOOD), (6, 6, 0, Level.FAIR), (11, 0, 1, Level.FAIR)],
)
def test_a_year_is_tốt_when_every_meeting_is_at_least_khá_and_seven_are_tốt(world, good, fair, average, expected):
    levels = [(Level.GOOD, 92)] * good + [(Level.FAIR, 80)] * fair + [(Level.AVERAGE, 60)] * average
    for month, (level, total) in enumerate(levels, start=1):
        _scored(world, date(2021, month, 5), level, total)
    year = selectors.cell_level(world.anhoa, 2021)
    assert (year.level, year.meetings, year.good) == (expected, 12, good)
    assert selectors.cell_level(world.anhoa, 2021, 1).meetings == 3


def test_bình_thuận_asks_ten_tốt_months_and_an_average_of_ninety(world):
    for month in range(1, 13):
        score = _scored(
            world, date(2021, month, 5), Level.GOOD if month <= 10 else Level.FAIR, 92 if month <= 10 else 85
        )
        score.scheme = binh_thuan_scheme()
        score.save(update_fields=["scheme"])
    year = selectors.cell_level(world.anhoa, 2021)
    assert year.level == Level.GOOD and year.average_total == 90.8
    MeetingScore.objects.filter(meeting__scheduled_date=date(2021, 1, 5)).update(level=Level.FAIR, total=85)
    year = selectors.cell_level(world.anhoa, 2021)
    assert year.level == Level.FAIR and "9 buổi Tốt, cần ít nhất 10" in year.reasons


def test_the_api_gives_each_criterion_and_the_meeting_detail_its_total(cell: Cell) -> None:
    meeting = hold_short(cell)
    headers = {"Authorization": f"Bearer {token_issue(user=cell.world.ward_officer)[1]}"}
    body = Client().get(f"/api/v1/meetings/{meeting.pk}/score", headers=headers).json()
    assert (body["total"], body["max_total"], body["level"], body["state"]) == (60, 100, "average", "proposed")
    duration = next(i for i in body["items"] if i["key"] == "duration")
    assert (duration["points"], duration["max_points"], duration["evidence"]) == (
        0,
        10,
        "Họp 60 phút, tối thiểu 90 phút.",
    )
    detail = Client().get(f"/api/v1/meetings/{meeting.pk}", headers=headers).json()
    assert (detail["score_total"], detail["score_level"], detail["score_state"]) == (60, "average", "proposed")
    assert [s["key"] for s in detail["closing_shortfalls"]] == ["duration", "speakers", "tasks"]
    outsider = {"Authorization": f"Bearer {token_issue(user=cell.world.outsider)[1]}"}
    assert Client().get(f"/api/v1/meetings/{meeting.pk}/score", headers=outsider).status_code == 404


def test_a_confirmed_score_earns_the_minutes_points_when_they_are_signed_in_time(cell: Cell) -> None:
    w = cell.world
    meeting = hold_short(cell)
    score = MeetingScore.objects.get(meeting=meeting)
    services.score_vote_record(actor=w.anhoa_secretary, score=score, votes_for=16, votes_against=0, votes_abstain=0)
    services.score_confirm(actor=w.supervisor, score=score)
    _lock_minutes(meeting, cell)
    score.refresh_from_db()
    assert score.state == "locked" and score.confirmed_by == w.supervisor
    assert _points(score)["minutes_signed"] == 10 and score.total == 70
