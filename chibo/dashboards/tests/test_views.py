"""The dashboard pages: figures, drill-down, SVG charts with a table, Excel export, bad input, scope, the
acknowledgement form; and the home page that leads."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chibo.core.dates import today
from chibo.dashboards.models import WarningAck
from chibo.dashboards.tests.builders import held, planned, refresh
from chibo.tasks import services as task_services

pytestmark = pytest.mark.django_db


def _month(d: date) -> str:
    return f"{d:%Y-%m}"


@pytest.fixture
def last_month(world) -> date:  # type: ignore[no-untyped-def]
    day = (today().replace(day=1) - timedelta(days=1)).replace(day=5)
    held(world.anhoa, day)
    refresh(day, day)
    return day


def test_the_ward_officer_sees_the_wards_cells_a_chart_and_a_table(client, world, last_month):
    client.force_login(world.ward_officer)
    html = client.get(reverse("dashboards:org", args=[world.ward.pk])).content.decode()
    assert "Chi bộ khu vực An Hòa" in html and reverse("dashboards:org", args=[world.anhoa.pk]) in html
    assert html.count("<svg") == 2 and "<table" in html
    assert "1/1" in html  # held / planned
    # quality levels, attendance from above and coverage, directives, classification: each shown
    assert "Mức chất lượng" in html and "Chi bộ được cấp trên dự trong kỳ" in html
    assert "Quán triệt đúng hạn" in html and "Xếp loại đảng viên" in html


def test_the_cell_dashboard_lists_its_meetings_with_links(client, world, last_month):
    client.force_login(world.ward_officer)
    html = client.get(reverse("dashboards:org", args=[world.anhoa.pk])).content.decode()
    meeting = world.anhoa.meetings.get()
    assert reverse("meetings:detail", args=[meeting.pk]) in html


def test_a_backwards_period_is_answered_400_with_the_message_at_the_field(client, world):
    client.force_login(world.ward_officer)
    response = client.get(reverse("dashboards:org", args=[world.ward.pk]), {"first": "2026-06", "last": "2026-01"})
    assert response.status_code == 400
    assert 'id="error-first">Tháng bắt đầu phải trước hoặc trùng tháng kết thúc.' in response.content.decode()


def test_a_drill_down_outside_scope_is_404(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("dashboards:org", args=[world.anhoa.pk])).status_code == 404
    assert client.get(reverse("dashboards:export", args=[world.ward.pk])).status_code == 404


def test_the_export_has_the_months_the_cells_and_the_warnings(client, world, last_month):
    client.force_login(world.ward_officer)
    response = client.get(
        reverse("dashboards:export", args=[world.ward.pk]), {"first": _month(last_month), "last": _month(last_month)}
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == ["Theo tháng", "Đơn vị trực thuộc", "Cả kỳ", "Cảnh báo"]
    months = list(wb["Theo tháng"].values)
    assert months[1][0] == f"{last_month:%m/%Y}" and months[1][1:3] == (1, 1)
    cells = {row[0]: row for row in wb["Đơn vị trực thuộc"].values}
    assert cells["Chi bộ khu vực An Hòa"][2] == 1 and cells["Chi bộ khu vực Bình Hòa"][2] == 0
    assert any(row[0] == "Chi bộ khu vực Bình Hòa" for row in wb["Cảnh báo"].values)
    head, whole = list(wb["Cả kỳ"].values)
    figures = dict(zip(head, whole, strict=True))
    assert (figures["Buổi đã họp"], figures["Chi bộ"], figures["Chi bộ được cấp trên dự"]) == (1, 2, 0)


def test_a_unit_name_that_looks_like_a_formula_is_exported_as_data(client, world, last_month):
    from chibo.organizations import services as org_services

    org_services.org_rename(actor=None, org=world.other_cell, name='=HYPERLINK("http://x")', effective_on=today())
    client.force_login(world.ward_officer)
    response = client.get(reverse("dashboards:export", args=[world.ward.pk]))
    sheet = load_workbook(BytesIO(response.content))["Đơn vị trực thuộc"]
    names = [c for c in sheet["A"]]
    cell = next(c for c in names if "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_the_secretary_acknowledges_a_warning_with_a_note_and_the_viewer_may_not(client, world):
    key = f"no_meeting:{world.anhoa.pk}:{(today().replace(day=1) - timedelta(days=1)):%Y-%m}"
    url = reverse("dashboards:acknowledge", args=[world.anhoa.pk])
    client.force_login(world.viewer)
    assert client.post(url, {"key": key, "note": "Xem"}).status_code == 403
    client.force_login(world.anhoa_secretary)
    response = client.post(url, {"key": key, "note": "Chi bộ họp bù ngày 10"})
    assert response.status_code == 302
    ack = WarningAck.objects.get()
    assert (ack.key, ack.note, ack.acknowledged_by) == (key, "Chi bộ họp bù ngày 10", world.anhoa_secretary)
    html = client.get(reverse("dashboards:warnings", args=[world.anhoa.pk])).content.decode()
    assert "Chi bộ họp bù ngày 10" in html


def test_the_members_home_leads_with_todays_meeting_and_their_tasks(client, world):
    meeting = planned(world.anhoa, today())
    last = held(world.anhoa, today() - timedelta(days=40))
    task_services.task_create(
        actor=None, meeting=last, description="Vận động hộ dân đóng quỹ", assignees=[world.member_of_anhoa],
        due_on=today() - timedelta(days=2),
    )  # fmt: skip
    client.force_login(world.anhoa_member)
    html = client.get(reverse("core:home")).content.decode()
    assert reverse("meetings:live", args=[meeting.pk]) in html and "Hôm nay" in html
    assert "Vận động hộ dân đóng quỹ" in html and "quá hạn" in html
    assert "Cảnh báo sớm" not in html  # a plain member watches no subtree


def test_the_ward_officers_home_shows_the_wards_warnings_and_the_dashboard(client, world):
    client.force_login(world.ward_officer)
    html = client.get(reverse("core:home")).content.decode()
    assert "Cảnh báo sớm" in html and "Chi bộ khu vực An Hòa" in html
    assert reverse("dashboards:org", args=[world.ward.pk]) in html


def test_the_home_page_reads_as_many_queries_whatever_the_wards_size(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.organizations.models import Organization
    from chibo.testing.factories import MemberFactory, make_org

    def queries() -> int:
        client.force_login(world.ward_officer)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:home")).status_code == 200
        return len(captured)

    held(world.anhoa, today() - timedelta(days=40))
    before = queries()
    for i in range(3):
        cell = make_org(f"Chi bộ thêm {i}", Organization.Kind.CELL, world.ward)
        MemberFactory(org=cell, full_name=f"Hà Văn {i}")
        held(cell, today() - timedelta(days=40))
    assert queries() == before


def test_the_members_home_lists_the_households_follow_ups_that_are_due(client, world):
    from chibo.households.tests.scope_cases import _event, household

    _event(world)  # an arrival in January 2025 at the member's household, to follow up on 16/01/2025
    client.force_login(world.anhoa_member)
    html = client.get(reverse("core:home")).content.decode()
    assert "Hộ dân cần theo dõi tiếp" in html and "theo dõi ngày 16/01/2025" in html
    assert reverse("households:detail", args=[household(world).pk]) in html


def test_the_members_home_lists_the_directives_their_cell_must_still_disseminate(client, world):
    from chibo.directives.tests.scope_cases import _directive

    directive = _directive(world)  # to the ward, deadline 30/06/2021, not yet disseminated at An Hòa
    client.force_login(world.anhoa_member)
    html = client.get(reverse("core:home")).content.decode()
    assert "Văn bản cấp trên chi bộ cần quán triệt" in html and "hạn 30/06/2021" in html
    assert reverse("directives:detail", args=[directive.pk]) in html


def test_the_members_home_leads_with_the_self_assessment_waiting_for_them(client, world):
    from chibo.reviews import services as review_services
    from chibo.reviews.models import MemberReview

    review_services.review_start(actor=None, org=world.anhoa, year=today().year - 1)
    mine = MemberReview.objects.get(member=world.member_of_anhoa)
    client.force_login(world.anhoa_member)
    html = client.get(reverse("core:home")).content.decode()
    assert "Việc chờ đồng chí" in html and f"Bản tự kiểm điểm năm {today().year - 1}" in html
    assert reverse("reviews:self", args=[mine.pk]) in html
    MemberReview.objects.filter(pk=mine.pk).update(self_submitted_at=timezone.now())
    assert "Bản tự kiểm điểm" not in client.get(reverse("core:home")).content.decode()


def test_the_score_waits_on_the_chairs_home_for_the_vote_then_on_the_cadres_for_confirmation(client, world):
    from chibo.meetings.models import Guest
    from chibo.quality import services as quality_services

    meeting = held(world.anhoa, today() - timedelta(days=3))
    Guest.objects.create(meeting=meeting, name="Cán bộ phường", is_supervisor=True, user=world.supervisor)
    score = quality_services.score_propose(actor=None, meeting=meeting)
    day = meeting.scheduled_date.strftime("%d/%m/%Y")
    client.force_login(world.anhoa_secretary)  # the secretary chaired it
    html = client.get(reverse("core:home")).content.decode()
    assert f"Biểu quyết kết quả chấm điểm buổi {day}" in html and reverse("quality:score", args=[meeting.pk]) in html
    client.force_login(world.supervisor)
    assert "Xác nhận kết quả chấm điểm" not in client.get(reverse("core:home")).content.decode()  # not voted yet
    quality_services.score_vote_record(actor=world.anhoa_secretary, score=score, votes_for=1, votes_against=0,
                                       votes_abstain=0)  # fmt: skip
    html = client.get(reverse("core:home")).content.decode()
    assert f"Xác nhận kết quả chấm điểm buổi {day}" in html and reverse("quality:score", args=[meeting.pk]) in html
    client.force_login(world.anhoa_secretary)
    assert "Biểu quyết kết quả chấm điểm" not in client.get(reverse("core:home")).content.decode()
