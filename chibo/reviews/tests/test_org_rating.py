"""Organizations' yearly levels (C15 point 4) from the year's members' levels, tasks, meetings, meeting
quality, supervision remarks and directives, with real numbers."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.directives.services import directive_register
from chibo.meetings.models import SupervisorRemark
from chibo.quality.selectors import cell_level
from chibo.quality.services import score_propose
from chibo.reviews import org_rating
from chibo.reviews.classify import reason_texts
from chibo.reviews.models import OrgRating
from chibo.reviews.org_rating import propose_org
from chibo.reviews.tests.conftest import Cell, a_year
from chibo.supervision.models import RemarkFollowUp

pytestmark = pytest.mark.django_db
CUTOFFS = {"excellent": 90, "good": 70, "fair": 50}


def year(**changes) -> dict:  # type: ignore[no-untyped-def]
    """18 of 20 members HTTNV or better, 38 of 40 tasks on time, 12 of 12 meetings, the quality year Tốt,
    2 remarks asking action both answered, 3 directives disseminated on time."""
    base = dict(
        members_rated=20, members_good_or_better=18, members_poor=0, tasks=40, tasks_on_time=38, cells=1,
        regular_meetings_held=12, regular_meetings_due=12, quality_levels={"good": 1}, meetings_scored=12,
        meetings_good=10, remarks=3, remarks_asking_action=2, remarks_answered=2, directives_due=3,
        directives_on_time=3, directives_late=0, directives_overdue=0,
    )  # fmt: skip
    return base | changes


def test_points_weigh_members_tasks_meetings_quality_remarks_and_directives():
    # 30 × 18/20 = 27, 20 × 38/40 = 19, 20, 10, 10, 10.
    p = propose_org(year(), cutoffs=CUTOFFS)
    assert (p.points, p.level) == (96, "htxsnv")
    # One member KHTNV keeps it from the top.
    assert propose_org(year(members_poor=1), cutoffs=CUTOFFS).level == "httnv"


def test_the_meeting_quality_year_below_good_or_an_overdue_directive_keeps_it_from_htxsnv():
    # Quality Khá: 7.5 instead of 10 → 93.5, rounds to 94, but not HTXSNV.
    p = propose_org(year(quality_levels={"fair": 1}), cutoffs=CUTOFFS)
    assert (p.points, p.level) == (94, "httnv")
    assert "1 chi bộ có chất lượng sinh hoạt cả năm dưới mức Tốt" in " ".join(reason_texts(p.reasons))
    # One of 3 directives overdue: directives 10 × 2/3 → 93.
    p = propose_org(year(directives_on_time=2, directives_overdue=1), cutoffs=CUTOFFS)
    assert (p.points, p.level) == (93, "httnv")


def test_a_part_without_data_weighs_nothing_and_the_rest_scale_to_100():
    # No remark asking action, no directive due, no meeting scored: (27 + 19 + 20) of 70 → 94.
    e = year(remarks_asking_action=0, remarks_answered=0, directives_due=0, directives_on_time=0, quality_levels={})
    p = propose_org(e, cutoffs=CUTOFFS)
    assert (p.points, p.level) == (94, "htxsnv")
    assert "chất lượng sinh hoạt —" in reason_texts(p.reasons)[0]


def test_the_organizations_year_is_read_from_quality_supervision_and_directives(cell: Cell, client):
    w = cell.world
    meetings = a_year(cell, 2025)
    for meeting in meetings:
        score_propose(actor=None, meeting=meeting)
    quality = cell_level(w.anhoa, 2025)
    asked = SupervisorRemark.objects.create(meeting=meetings[2], author=w.ward_officer, text="Rà soát hộ nghèo")
    RemarkFollowUp.objects.create(remark=asked, asks_action=True, reply="Đã rà soát 12 hộ")
    waiting = SupervisorRemark.objects.create(meeting=meetings[5], author=w.viewer, text="Vận động đóng quỹ")
    RemarkFollowUp.objects.create(remark=waiting, asks_action=True)
    directive_register(
        actor=None, target=w.ward, number="01-CT/TW", issued_on=date(2025, 3, 9), issuer="Ban Chấp hành Trung ương",
        summary="Học tập nghị quyết", deadline=date(2025, 6, 30),
    )  # fmt: skip

    rating = org_rating.org_rating_propose(actor=None, org=w.anhoa, year=2025)
    e = rating.evidence
    assert (e["meetings_scored"], e["quality_levels"]) == (12, {quality.level: 1})
    assert (e["remarks"], e["remarks_asking_action"], e["remarks_answered"]) == (2, 2, 1)
    assert (e["directives_due"], e["directives_overdue"]) == (1, 1)
    # Members 0 (none rated yet), tasks 20, meetings 20, quality, remarks 5 of 10, directives 0 of 10.
    share = {"good": 1.0, "fair": 0.75, "average": 0.5, "poor": 0.0}[quality.level]  # type: ignore[index]
    assert rating.points == round(20 + 20 + 10 * share + 5)

    client.force_login(w.ward_officer)
    page = client.get(reverse("reviews:org", args=[w.anhoa.pk])).content.decode()
    assert "2 ý kiến, 2 đề nghị thực hiện, 1 đã trả lời" in page
    assert f"{reverse('quality:cell', args=[w.anhoa.pk])}?year=2025" in page
    assert f"{reverse('directives:list')}?org={w.ward.pk}" in page
    assert "1 lượt: 0 đúng hạn, 0 chậm, 1 quá hạn" in page


def test_the_summary_shows_each_cells_level_and_years_at_the_top_up_to_the_report_year(cell: Cell, client):
    for y, level in ((2021, "httnv"), (2022, "htxsnv"), (2023, "htxsnv"), (2024, "htxsnv"), (2025, "httnv")):
        OrgRating.objects.create(org=cell.org, year=y, level=level, source="imported")
    from chibo.reviews import services

    services.review_start(actor=None, org=cell.org, year=2024)
    client.force_login(cell.world.ward_officer)
    response = client.get(reverse("reviews:summary"), {"org": cell.world.ward.pk, "year": 2024})
    row = next(c for c in response.context["cells"] if c.org == cell.org)
    assert (row.org_level, row.top_years) == ("htxsnv", 3)
