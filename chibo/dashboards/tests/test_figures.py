"""The dashboards' figures from the apps beside meetings (C16): quality levels (chibo.quality), attendance
from above and coverage (chibo.supervision), directive compliance (chibo.directives), the year-end
classification (chibo.reviews) — kept in the monthly summary, summed from the cell to the province."""

from datetime import date

import pytest

from chibo.dashboards.selectors import dashboard, period_for
from chibo.dashboards.tests.builders import held, refresh
from chibo.directives import services as directive_services
from chibo.meetings.models import Guest
from chibo.organizations.models import Organization
from chibo.quality import services as quality_services
from chibo.quality.models import MeetingScore
from chibo.reviews import services as review_services
from chibo.reviews.models import MemberReview
from chibo.reviews.selectors import standing_level
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db
K = Organization.Kind


def _dash(org: Organization, first: str, last: str, as_of: str = "2026-11-30"):  # type: ignore[no-untyped-def]
    org = Organization.objects.get(pk=org.pk)
    return dashboard(org, period_for(org, first=first, last=last, as_of=as_of))


def _staff(cell: Organization, n: int = 2) -> None:
    for i in range(n):
        MemberFactory(org=cell, full_name=f"Huỳnh Văn {i}", joined_on=date(2000, 3, 1), official_on=date(2001, 3, 1))


def test_quality_levels_and_attendance_from_above_are_summed_from_the_cell_to_the_province(world):
    _staff(world.other_cell)
    jan = held(world.anhoa, date(2026, 1, 5))
    feb = held(world.anhoa, date(2026, 2, 5))
    other = held(world.other_cell, date(2026, 2, 3))
    for meeting in (jan, feb, other):
        quality_services.score_propose(actor=None, meeting=meeting)
    MeetingScore.objects.filter(meeting=jan).update(level="good")
    MeetingScore.objects.filter(meeting=feb).update(level="poor")
    MeetingScore.objects.filter(meeting=other).update(level="good")
    # recorded as attending from above (the meeting's own record, read through chibo.supervision)
    Guest.objects.create(
        meeting=feb, name="Lê Cấp Trên", role="Đảng ủy viên", is_supervisor=True, user=world.supervisor
    )
    refresh(date(2026, 1, 1), date(2026, 2, 1))

    ward = _dash(world.ward, "2026-01", "2026-02")
    assert (ward.totals.scored, ward.totals.score_good, ward.totals.score_poor) == (3, 2, 1)
    assert ward.totals.good_pct == pytest.approx(66.7)
    assert [n for _l, _label, n, _p in ward.totals.score_levels] == [2, 0, 0, 1]
    assert (ward.totals.supervised, ward.totals.held) == (1, 3)
    # two cells, one of them visited from above in the period
    assert (ward.totals.cells, ward.totals.cells_visited, ward.totals.cells_visited_pct) == (2, 1, 50.0)
    anhoa = next(c for c in ward.children if c.org_id == world.anhoa.pk)
    assert (anhoa.figures.score_good, anhoa.figures.score_poor, anhoa.figures.cells_visited) == (1, 1, 1)
    # the province sees the same through the town: one child (the town) with everything below it
    province = _dash(world.province, "2026-01", "2026-02")
    assert (province.totals.scored, province.totals.supervised, province.totals.cells) == (3, 1, 3)
    cell = _dash(world.anhoa, "2026-01", "2026-02")
    assert (cell.totals.score_good, cell.totals.score_poor, cell.totals.cells_visited) == (1, 1, 1)
    # January alone: nobody came from above
    assert _dash(world.ward, "2026-01", "2026-01").totals.cells_visited == 0


def test_directive_compliance_counts_each_cell_by_its_deadline_on_time_late_or_overdue(world):
    _staff(world.other_cell)
    directive = directive_services.directive_register(
        actor=None,
        target=world.ward,
        number="05-CT/ĐU",
        issued_on=date(2026, 2, 1),
        issuer="Đảng ủy phường Bình Thạnh",
        summary="Về tăng cường sinh hoạt chi bộ",
        deadline=date(2026, 3, 10),
    )
    on_time = held(world.anhoa, date(2026, 3, 5))
    directive_services.dissemination_record(actor=None, directive=directive, meeting=on_time)
    refresh(date(2026, 3, 1), date(2026, 3, 1))

    ward = _dash(world.ward, "2026-01", "2026-06")
    # Bình Hòa never disseminated it; the deadline has passed on the day of the refresh
    assert (ward.totals.directives_due, ward.totals.directives_on_time, ward.totals.directives_overdue) == (2, 1, 1)
    assert ward.totals.directives_on_time_pct == 50.0 and ward.totals.directives_pending == 0
    late = held(world.other_cell, date(2026, 3, 20))
    directive_services.dissemination_record(actor=None, directive=directive, meeting=late)
    refresh(date(2026, 3, 1), date(2026, 3, 1))
    ward = _dash(world.ward, "2026-01", "2026-06")
    assert (ward.totals.directives_on_time, ward.totals.directives_late, ward.totals.directives_overdue) == (1, 1, 0)


def test_the_classification_is_the_latest_year_reviewed_in_the_period_never_two_years_summed(world):
    extra = [MemberFactory(org=world.anhoa, full_name=f"Phan Văn Số {i}") for i in range(3)]
    for year in (2024, 2025):
        review_services.review_start(actor=None, org=world.anhoa, year=year)
    MemberReview.objects.filter(cell_review__year=2025, member=extra[0]).update(decided_level="htxsnv")
    MemberReview.objects.filter(cell_review__year=2025, member=extra[1]).update(not_rated="sick")
    refresh(date(2024, 12, 1), date(2025, 12, 1))
    expected = {"htxsnv": 0, "httnv": 0, "htnv": 0, "khtnv": 0}
    reviews = MemberReview.objects.filter(cell_review__year=2025)
    for r in reviews.filter(not_rated=""):
        level = standing_level(r.decided_level, r.cell_level, r.proposed_level)
        if level:
            expected[level] += 1
    assert expected["htxsnv"] >= 1

    dash = _dash(world.ward, "2024-12", "2025-12", as_of="2026-01-15")
    assert dash.review_year == 2025
    assert (dash.totals.reviewed, dash.totals.review_not_rated) == (5, 1)  # 2 + 3 on the roll, not 10
    assert {level: n for level, _short, n, _p in dash.totals.review_levels} == expected
    anhoa = next(c for c in dash.children if c.org_id == world.anhoa.pk)
    assert anhoa.figures.reviewed == 5
    # a period holding only the 2024 December shows 2024's
    assert _dash(world.ward, "2024-06", "2025-05", as_of="2025-06-01").review_year == 2024
    # a period without a December shows no classification
    none = _dash(world.ward, "2026-01", "2026-06")
    assert none.review_year is None and none.totals.reviewed == 0


def test_the_figures_cost_the_same_queries_for_a_ward_and_the_province_at_two_sizes(world, django_assert_num_queries):
    for size in (1, 5):
        for i in range(size):
            cell = make_org(f"Chi bộ số {size}-{i}", K.CELL, world.other_ward)
            MemberFactory(org=cell, full_name=f"Võ Thị {size} {i}")
            meeting = held(cell, date(2026, 1, 2))
            quality_services.score_propose(actor=None, meeting=meeting)
        refresh(date(2026, 1, 1), date(2026, 2, 1))
        for org in (world.ward, world.town, world.province):
            org = Organization.objects.get(pk=org.pk)
            period = period_for(org, first="2026-01", last="2026-02", as_of="2026-03-01")
            with django_assert_num_queries(4):  # version, children, the roll-up with the coverage, last refresh
                dash = dashboard(org, period)
        assert dash.totals.scored == {1: 1, 5: 6}[size]
