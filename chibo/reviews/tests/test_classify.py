"""The proposal from the evidence, with real numbers, under each period's classification settings."""

from chibo.reviews.classify import propose, reason_texts
from chibo.reviews.evidence import Evidence
from chibo.rules.models import classification_qd124, classification_qd132, classification_qd366

QD366, QD124, QD132 = classification_qd366(), classification_qd124(), classification_qd132()


def good_year(**changes) -> Evidence:  # type: ignore[no-untyped-def]
    """12 meetings, all attended; 6 turns; 4 tasks on time, 2 commended; commitment "excellent"."""
    base = dict(
        member_id=1, year=2025, joined_on="2010-01-01", required=12, present=12, turns=6, tasks=4, on_time=4,
        commended=2, commitment_id=9, commitment_level="excellent",
    )  # fmt: skip
    return Evidence(**(base | changes))


def test_a_full_year_with_every_task_on_time_is_proposed_htxsnv_with_100_points():
    p = propose(good_year(), settings=QD366, rate_probationary=True)
    assert (p.points, p.level, p.not_rated) == (100, "htxsnv", "")
    assert reason_texts(p.reasons)[-1] == "Đề xuất: HTXSNV."


def test_points_add_up_attendance_tasks_speaking_commitment_and_criticism():
    # Attendance 10/12 with 1 unexcused: 30*10/12 - 5 = 20; tasks (3 on time + 1 late/2)/4*40 = 35;
    # speaking 2 of the expected 5 (half of 10 attended): 4; commitment "good": 8; no criticism: 10.
    e = good_year(present=10, unexcused=1, excused=1, turns=2, on_time=3, late=1, commended=0, commitment_level="good")
    p = propose(e, settings=QD366, rate_probationary=True)
    assert p.points == 20 + 35 + 4 + 8 + 10 == 77
    # HTTNV needs 100 % on time under QĐ 366: one late task makes it HTNV.
    assert p.level == "htnv"
    assert any("không đúng hạn" in t for t in reason_texts(p.reasons))
    # Under QĐ 132 (the 2021 review) the same year stays HTTNV: no on-time condition below HTXSNV.
    assert propose(e, settings=QD132, rate_probationary=True).level == "httnv"


def test_htxsnv_needs_every_task_on_time_even_with_90_points():
    e = good_year(on_time=3, late=1, commended=2)  # 30 + 35 + 10 + 10 + 10 = 95
    p = propose(e, settings=QD132, rate_probationary=True)
    assert (p.points, p.level) == (95, "httnv")
    assert "1 nhiệm vụ chậm" in " ".join(reason_texts(p.reasons))


def test_qd366_htxsnv_needs_30_percent_of_tasks_above_requirement():
    p = propose(good_year(commended=1), settings=QD366, rate_probationary=True)  # 1 of 4 = 25 %
    assert (p.points, p.level) == (100, "httnv")
    assert propose(good_year(commended=1), settings=QD124, rate_probationary=True).level == "htxsnv"


def test_a_member_disciplined_in_the_year_is_khtnv_unless_the_rule_set_allows_the_recorded_exception():
    warned = good_year(disciplines=[{"id": 1, "discipline": "warning", "decided_on": "2025-08-20",
                                     "decision_number": "15-QĐ/ĐU", "issued_by": "Đảng ủy phường"}])  # fmt: skip
    p = propose(warned, settings=QD366, rate_probationary=True)
    assert (p.points, p.level) == (100, "khtnv")
    assert "quyết định số 15-QĐ/ĐU ngày 20/08/2025" in " ".join(reason_texts(p.reasons))
    fixed = "Tự phát hiện và khắc phục trước khi bị phát hiện."
    assert propose(warned, settings=QD366, rate_probationary=True, discipline_exception=fixed).level == "htxsnv"
    # QĐ 132 had no such exception.
    assert propose(warned, settings=QD132, rate_probationary=True, discipline_exception=fixed).level == "khtnv"


def test_exempt_suspended_new_and_probationary_members_are_listed_not_rated():
    assert propose(good_year(exempt_at_year_end=True), settings=QD366, rate_probationary=True).not_rated == "exempt"
    assert (
        propose(good_year(suspended_at_year_end=True), settings=QD366, rate_probationary=True).not_rated == "suspended"
    )
    # Admitted on 15/08/2025: under 6 months at 31/12/2025; 01/06/2025 is over 6 months.
    assert propose(good_year(joined_on="2025-08-15"), settings=QD366, rate_probationary=True).not_rated == "new"
    assert propose(good_year(joined_on="2025-06-01"), settings=QD366, rate_probationary=True).not_rated == ""
    probationary = good_year(joined_on="2025-03-01", official_at_year_end=False)
    assert propose(probationary, settings=QD366, rate_probationary=True).level == "htxsnv"
    assert propose(probationary, settings=QD366, rate_probationary=False).not_rated == "probationary"
    assert propose(probationary, settings=QD366, rate_probationary=False).points is None


def test_sick_leave_of_three_months_caps_the_level_at_htnv():
    p = propose(good_year(ill_health_days=95), settings=QD366, rate_probationary=True)
    assert (p.points, p.level) == (100, "htnv")
    assert propose(good_year(ill_health_days=80), settings=QD366, rate_probationary=True).level == "htxsnv"


def test_a_self_graded_poor_criterion_makes_it_khtnv_from_qd124_on():
    grades = {"politics": {"grade": "good", "note": ""}, "discipline": {"grade": "poor", "note": "Vắng họp"}}
    assert propose(good_year(), settings=QD124, rate_probationary=True, self_grades=grades).level == "khtnv"
    assert propose(good_year(), settings=QD132, rate_probationary=True, self_grades=grades).level == "htxsnv"


def test_cut_offs_are_the_rule_sets():
    strict = QD366 | {"cutoffs": {"excellent": 101 - 1, "good": 95, "fair": 60}}
    e = good_year(present=11, excused=1)  # 27.5 + 40 + 10 + 10 + 10 = 97.5 → 98
    assert propose(e, settings=QD366, rate_probationary=True).level == "htxsnv"
    assert propose(e, settings=strict, rate_probationary=True).level == "httnv"
