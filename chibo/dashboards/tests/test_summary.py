"""The monthly summary per cell and the dashboards that sum it (C16): held vs planned, on the day,
attendance, speakers, tasks; any period, on the tree of any day; bad periods answered clearly."""

from datetime import date

import pytest

from chibo.core.errors import ChiboError
from chibo.dashboards.models import CellMonth, SummaryRefresh
from chibo.dashboards.selectors import dashboard, period_for
from chibo.dashboards.tests.builders import held, planned, refresh
from chibo.organizations import services as org_services
from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion
from chibo.tasks import services as task_services
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db
K = Organization.Kind


def _members(world, n: int) -> list:
    return [MemberFactory(org=world.anhoa, full_name=f"Lê Văn Số {i}") for i in range(n)]


def test_a_cells_month_counts_meetings_attendance_speakers_and_tasks(world):
    extra = _members(world, 8)  # 10 on the roll with the secretary and the plain member
    meeting = held(world.anhoa, date(2026, 3, 5), absent=extra[:3], speakers=[extra[3], extra[4], extra[4]])
    task_services.task_create(
        actor=None,
        meeting=meeting,
        description="Vận động hộ dân",
        assignees=[extra[5], extra[6]],
        due_on=date(2026, 3, 20),
    )
    done = task_services.task_create(
        actor=None, meeting=meeting, description="Báo cáo quý", assignees=[extra[7]], due_on=date(2026, 3, 25)
    ).assignments.get()
    task_services.progress_report(actor=None, assignment=done, status="done", note="Xong", done_on=date(2026, 3, 24))
    planned(world.anhoa, date(2026, 4, 5))

    refresh(date(2026, 3, 1), date(2026, 4, 1))

    march = CellMonth.objects.get(org=world.anhoa, month=date(2026, 3, 1))
    assert (march.planned, march.held, march.held_on_day, march.regular_held) == (1, 1, 1, 1)
    assert (march.required, march.present, march.present_total) == (10, 7, 7)
    assert march.speakers == 2  # two distinct members, one of them twice
    assert (march.tasks_due, march.tasks_done, march.tasks_overdue) == (3, 1, 2)
    april = CellMonth.objects.get(org=world.anhoa, month=date(2026, 4, 1))
    assert (april.planned, april.held, april.required) == (1, 0, 0)
    assert SummaryRefresh.objects.get().rows == 2


def test_a_meeting_opened_after_its_planned_day_is_not_on_the_day(world):
    from chibo.meetings import services as meeting_services
    from chibo.tasks.tests.builders import at, plan

    meeting = plan(world.anhoa, date(2026, 5, 5))
    meeting = meeting_services.meeting_open(
        actor=None,
        meeting=meeting,
        chair=world.anhoa_secretary.member,
        recorder=world.member_of_anhoa,
        started_at=at(date(2026, 5, 7), 19),
    )
    for row in meeting.attendances.select_related("member"):
        meeting_services.attendance_record(actor=None, meeting=meeting, member=row.member, status="present")
    meeting_services.meeting_close(actor=None, meeting=meeting, ended_at=at(date(2026, 5, 7), 21))
    refresh(date(2026, 5, 1), date(2026, 5, 1))
    row = CellMonth.objects.get(org=world.anhoa)
    assert (row.held, row.held_on_day) == (1, 0)


def test_the_ward_sums_its_cells_by_child_and_by_month(world):
    extra = _members(world, 3)  # 5 at An Hòa
    MemberFactory(org=world.other_cell, full_name="Phạm Thị Một")
    MemberFactory(org=world.other_cell, full_name="Phạm Thị Hai")
    held(world.anhoa, date(2026, 1, 5), absent=[extra[0]])
    held(world.anhoa, date(2026, 2, 5))
    held(world.other_cell, date(2026, 2, 1), absent=[])
    refresh(date(2026, 1, 1), date(2026, 2, 1))

    dash = dashboard(world.ward, period_for(world.ward, first="2026-01", last="2026-02", as_of="2026-03-01"))

    rows = {c.name: c.figures for c in dash.children}
    assert rows["Chi bộ khu vực An Hòa"].held == 2
    assert (rows["Chi bộ khu vực An Hòa"].present, rows["Chi bộ khu vực An Hòa"].required) == (9, 10)
    assert rows["Chi bộ khu vực Bình Hòa"].attendance_pct == 100.0
    assert [(m, f.held) for m, f in dash.monthly] == [(date(2026, 1, 1), 1), (date(2026, 2, 1), 2)]
    assert dash.totals.attendance_pct == 91.7  # 11 of 12
    province = dashboard(
        world.province, period_for(world.province, first="2026-01", last="2026-02", as_of="2026-03-01")
    )
    assert [(c.name, c.figures.held) for c in province.children] == [("Đảng bộ thị xã Long Mỹ", 3)]


def test_a_cell_moved_to_another_ward_counts_where_the_tree_of_the_chosen_day_puts_it(world):
    held(world.anhoa, date(2025, 3, 5))
    org_services.org_move(actor=None, org=world.anhoa, new_parent=world.other_ward, effective_on=date(2025, 7, 1))
    refresh(date(2025, 3, 1), date(2025, 3, 1))
    anhoa = Organization.objects.get(pk=world.anhoa.pk)
    ward = Organization.objects.get(pk=world.ward.pk)
    other = Organization.objects.get(pk=world.other_ward.pk)

    before = period_for(ward, first="2025-03", last="2025-03", as_of="2025-04-01")
    after = period_for(other, first="2025-03", last="2025-03", as_of="2025-08-01")

    assert dashboard(ward, before).totals.held == 1  # on the tree of April 2025 An Hòa sat under Bình Thạnh
    assert dashboard(other, after).totals.held == 1  # today's ward shows its cell's earlier history
    assert dashboard(ward, period_for(ward, first="2025-03", last="2025-03", as_of="2025-08-01")).totals.held == 0
    assert anhoa.pk in {c.org_id for c in dashboard(other, after).children}


def test_a_period_backwards_too_long_or_before_the_node_existed_is_refused_at_its_field(world):
    with pytest.raises(ChiboError, match="trước hoặc trùng") as err:
        period_for(world.ward, first="2026-05", last="2026-01")
    assert err.value.field == "first"
    RuleSetVersion.objects.filter(org__isnull=True).update(dashboard_max_months=12)
    with pytest.raises(ChiboError, match="12 tháng") as err:
        period_for(world.ward, first="2025-01", last="2026-01")
    assert err.value.field == "first"
    assert len(period_for(world.ward, first="2025-02", last="2026-01").months) == 12
    with pytest.raises(ChiboError, match="thành lập ngày 01/01/2000") as err:
        period_for(world.ward, as_of="1999-12-31")
    assert err.value.field == "as_of"
    with pytest.raises(ChiboError, match="Tháng không hợp lệ"):
        period_for(world.ward, first="tháng năm")


def test_a_dissolved_node_is_shown_as_it_stood_the_day_before(world):
    cell = make_org("Chi bộ giải thể", K.CELL, world.ward)
    org_services.org_dissolve(actor=None, org=cell, effective_on=date(2025, 7, 1))
    cell.refresh_from_db()
    assert period_for(cell).as_of == date(2025, 6, 30)
    with pytest.raises(ChiboError, match="giải thể"):
        period_for(cell, as_of="2025-07-02")


def test_the_dashboard_reads_a_constant_number_of_queries_from_a_ward_to_the_province(world, django_assert_num_queries):
    def figures_of(org: Organization) -> None:
        org = Organization.objects.get(pk=org.pk)
        period = period_for(org, first="2026-01", last="2026-02", as_of="2026-03-01")
        dashboard(org, period)

    for size in (1, 6):
        for i in range(size):
            cell = make_org(f"Chi bộ thêm {size}-{i}", K.CELL, world.other_ward)
            MemberFactory(org=cell, full_name=f"Võ Văn {size} {i}")
            held(cell, date(2026, 1, 2))
        refresh(date(2026, 1, 1), date(2026, 2, 1))
        for org in (world.ward, world.town, world.province):
            # the node, its rule set (two), its version, its children, the roll-up with the coverage, the last refresh
            with django_assert_num_queries(7):
                figures_of(org)


def test_the_background_job_picks_up_a_month_touched_since_its_last_run(world):
    from chibo.dashboards.services import summary_refresh_changed

    assert summary_refresh_changed(by="test") == 0  # the first run: everything (nothing yet)
    old = date(2025, 3, 5)
    held(world.anhoa, old)  # an old month, recorded late
    summary_refresh_changed(by="celery")
    row = CellMonth.objects.get(org=world.anhoa, month=old.replace(day=1))
    assert (row.held, row.required) == (1, 2)
    assert SummaryRefresh.objects.filter(by="celery").exists()
