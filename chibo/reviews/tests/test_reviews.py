"""A cell's year end to end: evidence, self-assessment, the review meeting and votes, the quota, the
decision above, the lock and amendments; the refusals."""

from datetime import date

import pytest

from chibo.core.errors import ChiboError
from chibo.meetings.models import Attendance
from chibo.members import services as member_services
from chibo.reviews import services
from chibo.reviews.evidence import gather
from chibo.reviews.models import CellReview, MemberReview, ReviewAmendment
from chibo.reviews.tests.conftest import Cell, Out, a_year, give
from chibo.rules.services import ruleset_create_version
from chibo.tasks.models import TaskReview

pytestmark = pytest.mark.django_db
YEAR = 2025
A = Attendance.Status


def _grades(level: str = "good") -> dict:
    keys = ("politics", "ethics", "discipline", "duties", "commitment", "remedy", "leadership", "example", "residence")
    return {k: {"grade": level, "note": ""} for k in keys}


def _start(cell: Cell) -> CellReview:
    return services.review_start(actor=cell.world.anhoa_secretary, org=cell.org, year=YEAR)


def _mine(cell_review: CellReview, member) -> MemberReview:  # type: ignore[no-untyped-def]
    return cell_review.member_reviews.get(member=member)


def test_the_evidence_of_the_year_is_counted_from_the_record(cell: Cell):
    meetings = a_year(cell, YEAR, absent=A.UNEXCUSED)
    give(meetings[10], cell.mobiliser, date(YEAR, 11, 28), TaskReview.Outcome.NOT_DONE, meetings[11], text="Thu quỹ")
    e = gather([cell.mobiliser.pk], YEAR)[cell.mobiliser.pk]
    assert (e.required, e.present, e.unexcused) == (12, 10, 2)
    # The task not done in December was carried over into a new one, due in December and still open.
    assert (e.tasks, e.on_time, e.not_done, e.open, e.commended, e.reminded) == (6, 4, 1, 1, 4, 1)
    assert e.commitment_level == "good" and not e.disciplines and not e.holds_post


def test_gathering_costs_ten_queries_for_one_year_of_history_or_three(cell: Cell, django_assert_num_queries):
    a_year(cell, YEAR)
    ids = [cell.mobiliser.pk, cell.plain.pk, cell.secretary.pk]
    with django_assert_num_queries(10):
        gather(ids, YEAR)
    a_year(cell, YEAR - 1)
    a_year(cell, YEAR - 2, member=cell.plain)
    with django_assert_num_queries(10):
        gather(ids, YEAR)


def test_starting_the_year_lists_the_roll_at_its_end_with_proposals_and_forms(cell: Cell):
    a_year(cell, YEAR)
    cell_review = _start(cell)
    reviews = {r.member_id: r for r in cell_review.member_reviews.all()}
    assert cell.gone.pk not in reviews and cell.stranger.pk not in reviews
    assert reviews[cell.exempt.pk].not_rated == "exempt" and reviews[cell.exempt.pk].points is None
    assert reviews[cell.secretary.pk].form == "2A"  # the world's secretary holds no recorded post
    mob = reviews[cell.mobiliser.pk]
    # 12/12 present (30), 4 tasks on time (40), no turns (0), commitment good (8), no criticism (10).
    assert (mob.points, mob.proposed_level) == (88, "httnv")
    assert cell_review.ruleset is not None and cell_review.ruleset.classification["cutoffs"]["excellent"] == 90
    with pytest.raises(ChiboError, match="đã có kiểm điểm năm 2025"):
        _start(cell)


def test_a_leader_gets_form_2b(cell: Cell):
    member_services.position_assign(actor=None, member=cell.lawyer, title="deputy", started_on=date(2024, 1, 1))
    assert _mine(_start(cell), cell.lawyer).form == "2B"


def test_the_member_grades_every_criterion_and_a_poor_grade_needs_a_note(cell: Cell):
    cell_review = _start(cell)
    mine = _mine(cell_review, cell.plain)
    user = cell.world.anhoa_member
    missing = _grades()
    del missing["duties"]
    with pytest.raises(ChiboError, match="Kết quả thực hiện chức trách") as err:
        services.self_assessment_submit(actor=user, review=mine, grades=missing)
    assert err.value.field == "duties"
    poor = _grades() | {"discipline": {"grade": "poor", "note": ""}}
    with pytest.raises(ChiboError, match="cần ghi rõ lý do"):
        services.self_assessment_submit(actor=user, review=mine, grades=poor)
    with pytest.raises(ChiboError, match="Chỉ đảng viên tự kiểm điểm"):
        services.self_assessment_submit(actor=cell.world.anhoa_secretary, review=mine, grades=_grades())
    mine.refresh_from_db()
    assert mine.self_submitted_at is None
    done = services.self_assessment_submit(
        actor=user, review=mine, grades=_grades(), strengths="Dự họp đầy đủ", self_level="httnv"
    )
    assert done.self_submitted_at is not None and done.self_grades["politics"] == {"grade": "good", "note": ""}
    assert set(done.self_grades) == {"politics", "ethics", "discipline", "duties", "commitment", "remedy"}


def _meeting(cell_review: CellReview, present: int = 8) -> None:
    services.review_meeting_record(
        actor=None, cell_review=cell_review, meeting_date=date(YEAR, 12, 20), present=present
    )


def _vote_all(cell_review: CellReview, levels: dict[int, str]) -> None:
    for r in cell_review.member_reviews.filter(not_rated=""):
        services.review_appraise(
            actor=None, review=r, committee_level=levels.get(r.member_id, "httnv"), votes_for=7, votes_against=1
        )


def test_the_cell_votes_each_member_and_a_level_without_a_majority_is_refused(cell: Cell):
    cell_review = _start(cell)
    mine = _mine(cell_review, cell.plain)
    with pytest.raises(ChiboError, match="ghi ngày họp"):
        services.review_appraise(actor=None, review=mine, committee_level="httnv", votes_for=5, votes_against=0)
    _meeting(cell_review)
    with pytest.raises(ChiboError, match="vượt số có mặt"):
        services.review_appraise(actor=None, review=mine, committee_level="httnv", votes_for=6, votes_against=3)
    with pytest.raises(ChiboError, match="chưa được quá nửa"):
        services.review_appraise(actor=None, review=mine, committee_level="htxsnv", votes_for=4, votes_against=4)
    mine.refresh_from_db()
    assert mine.cell_level == ""
    services.review_appraise(actor=None, review=mine, committee_level="httnv", votes_for=5, votes_against=3)
    mine.refresh_from_db()
    assert (mine.cell_level, mine.votes_for, mine.votes_against) == ("httnv", 5, 3)
    exempt = _mine(cell_review, cell.exempt)
    with pytest.raises(ChiboError, match="không xếp loại"):
        services.review_appraise(actor=None, review=exempt, committee_level="httnv", votes_for=5, votes_against=0)


def test_the_quota_allows_htxsnv_up_to_20_percent_of_httnv_unless_an_exception_is_recorded(cell: Cell):
    cell_review = _start(cell)
    _meeting(cell_review)
    rated = list(cell_review.member_reviews.filter(not_rated="").order_by("pk"))
    assert len(rated) == 7
    # Two HTXSNV, five HTTNV: 20 % of 5 is 1, so two is over the quota.
    _vote_all(cell_review, {rated[0].member_id: "htxsnv", rated[1].member_id: "htxsnv"})
    with pytest.raises(ChiboError, match="tối đa 20% số HTTNV \\(5\\), tức 1 đảng viên") as err:
        services.review_send(actor=None, cell_review=cell_review)
    assert err.value.field == "quota_exception"
    cell_review.refresh_from_db()
    assert cell_review.status == "open"
    sent = services.review_send(
        actor=None, cell_review=cell_review, quota_exception="Hai đồng chí được tỉnh khen thưởng."
    )
    assert sent.status == "sent" and sent.quota_exception.startswith("Hai đồng chí")


def test_the_quota_is_a_setting_that_can_be_turned_off(cell: Cell):
    ruleset_create_version(
        actor=None, org=cell.world.ward, effective_from=date(YEAR, 1, 1), excellent_quota_enabled=False
    )
    cell_review = _start(cell)
    _meeting(cell_review)
    rated = list(cell_review.member_reviews.filter(not_rated=""))
    _vote_all(cell_review, {r.member_id: "htxsnv" for r in rated[:3]})
    assert services.review_send(actor=None, cell_review=cell_review).status == "sent"


def test_only_the_upper_level_decides_then_locks_and_later_changes_are_amendments(cell: Cell):
    w = cell.world
    cell_review = _start(cell)
    _meeting(cell_review)
    _vote_all(cell_review, {})
    mine = _mine(cell_review, cell.plain)
    with pytest.raises(ChiboError, match="đã gửi kết quả"):
        services.review_decide(actor=w.ward_officer, review=mine, level="htnv", reason="x")
    services.review_send(actor=w.anhoa_secretary, cell_review=cell_review)
    with pytest.raises(ChiboError, match="Chỉ cấp ủy cấp trên"):
        services.review_decide(actor=w.anhoa_secretary, review=mine, level="httnv")
    with pytest.raises(ChiboError, match="Chỉ cấp ủy cấp trên"):
        services.review_decide(actor=w.outsider, review=mine, level="httnv")
    with pytest.raises(ChiboError, match="phải ghi lý do") as err:
        services.review_decide(actor=w.ward_officer, review=mine, level="htnv")
    assert err.value.field == "reason"
    services.review_decide(
        actor=w.ward_officer, review=mine, level="htnv", reason="Chưa tham gia phong trào ở khu vực."
    )
    with pytest.raises(ChiboError, match="Chỉ đảng viên tự kiểm điểm|đã gửi kết quả"):
        services.self_assessment_submit(actor=w.anhoa_member, review=mine, grades=_grades())
    locked = services.review_lock(actor=w.ward_officer, cell_review=cell_review)
    assert locked.is_locked and locked.locked_by == w.ward_officer
    levels = dict(cell_review.member_reviews.filter(not_rated="").values_list("member_id", "decided_level"))
    assert levels[cell.plain.pk] == "htnv" and levels[cell.mobiliser.pk] == "httnv"
    with pytest.raises(ChiboError, match="đã khóa"):
        services.self_assessment_submit(actor=w.anhoa_member, review=mine, grades=_grades())
    with pytest.raises(ChiboError, match="lý do đính chính"):
        services.review_amend(actor=w.ward_officer, review=mine, level="httnv", reason=" ")
    amendment = services.review_amend(actor=w.ward_officer, review=mine, level="httnv", reason="Sai sót khi tổng hợp.")
    mine.refresh_from_db()
    assert (amendment.before, amendment.after, amendment.author) == ("htnv", "httnv", w.ward_officer)
    assert mine.decided_level == "httnv" and ReviewAmendment.objects.count() == 1


def test_refreshing_picks_up_a_discipline_decided_after_the_start(cell: Cell):
    a_year(cell, YEAR)
    cell_review = _start(cell)
    assert _mine(cell_review, cell.mobiliser).proposed_level == "httnv"
    member_services.member_discipline(
        actor=None, member=cell.mobiliser, discipline="reprimand", decided_on=date(YEAR, 11, 2),
        decision_number="30-QĐ/ĐU", issued_by="Đảng ủy phường Bình Thạnh",
    )  # fmt: skip
    services.review_refresh(actor=None, cell_review=cell_review)
    mine = _mine(cell_review, cell.mobiliser)
    assert mine.proposed_level == "khtnv" and mine.evidence["disciplines"][0]["decision_number"] == "30-QĐ/ĐU"
    # The cell records the exception QĐ 366 allows: the proposal follows.
    _meeting(cell_review)
    services.review_appraise(
        actor=None, review=mine, committee_level="htnv", votes_for=6, votes_against=0,
        discipline_exception="Tự phát hiện, báo cáo và khắc phục.",
    )  # fmt: skip
    mine.refresh_from_db()
    assert mine.proposed_level == "httnv"


def test_a_suspended_member_is_listed_but_not_rated(cell: Cell):
    member_services.member_suspend(
        actor=None, member=cell.lawyer, decided_on=date(YEAR, 10, 1), decision_number="5", issued_by="Đảng ủy phường"
    )
    assert _mine(_start(cell), cell.lawyer).not_rated == "suspended"


def test_a_year_that_has_not_come_cannot_be_reviewed(cell: Cell):
    with pytest.raises(ChiboError, match="không hợp lệ"):
        services.review_start(actor=None, org=cell.org, year=2999)
    with pytest.raises(ChiboError, match="Chỉ chi bộ"):
        services.review_start(actor=None, org=cell.world.ward, year=YEAR)
    assert not CellReview.objects.exists()


def test_the_same_record_is_classified_by_the_rules_of_its_years_31_december(cell: Cell):
    """QĐ 132 for 2022 (no on-time condition below HTXSNV), QĐ 366 for 2025 (HTTNV needs every task on
    time): the same year of record, one task done late, two levels."""
    found = {}
    for year in (2022, 2025):
        meetings = a_year(cell, year)
        give(meetings[9], cell.mobiliser, date(year, 10, 28), Out.DONE_LATE, meetings[10])
        cell_review = services.review_start(actor=None, org=cell.org, year=year)
        review = cell_review.member_reviews.get(member=cell.mobiliser)
        assert cell_review.ruleset is not None
        found[year] = (cell_review.ruleset.classification["basis"][:6], review.points, review.proposed_level)
    # 30 attendance + 40 × (4 + ½)/5 tasks = 36 + 0 speaking + 8 commitment "good" + 10 criticism = 84.
    assert found == {2022: ("QĐ 132", 84, "httnv"), 2025: ("QĐ 366", 84, "htnv")}
