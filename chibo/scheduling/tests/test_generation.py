from datetime import date, time

import pytest
from django.core.management import call_command

from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.rules.services import ruleset_create_version
from chibo.scheduling import services
from chibo.scheduling.calendar import holiday_name, is_day_off, quarter_of, shift_to_working_day

pytestmark = pytest.mark.django_db


def _regular(org, period):
    return Meeting.objects.get(org=org, kind="regular", period=period, status__in=["planned", "open", "closed"])


def test_new_years_day_moves_the_first_of_january_2025_to_the_second():
    assert holiday_name(date(2025, 1, 1))
    assert shift_to_working_day(date(2025, 1, 1), "next") == date(2025, 1, 2)


def test_tet_2025_comes_from_the_library_with_its_lunar_dates():
    tet = [d for d in (date(2025, 1, 27 + i) for i in range(5)) if holiday_name(d)]
    assert tet == [date(2025, 1, 27), date(2025, 1, 28), date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31)]
    assert holiday_name(date(2025, 2, 1))  # the fourth day of Tết, a Saturday too
    assert holiday_name(date(2025, 4, 7))  # Giỗ Tổ Hùng Vương 2025 (10/3 âm lịch)
    assert holiday_name(date(2026, 4, 26))  # ... and 2026, on another solar date
    assert not is_day_off(date(2025, 2, 3))


def test_quarters_run_from_their_first_month():
    assert quarter_of(date(2025, 5, 20)) == (date(2025, 4, 1), date(2025, 7, 1))
    assert quarter_of(date(2025, 12, 1)) == (date(2025, 10, 1), date(2026, 1, 1))


def test_a_cell_meeting_on_the_first_meets_on_2_january_2025(world):
    created = services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025, months=1)
    assert [(m.scheduled_date, m.period, m.scheduled_time) for m in created] == [
        (date(2025, 1, 2), date(2025, 1, 1), time(19, 0))
    ]
    assert created[0].ruleset.org is None


def test_tet_2025_moves_the_february_meeting_to_monday_3_february(world):
    services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025, months=2)
    assert _regular(world.other_cell, date(2025, 2, 1)).scheduled_date == date(2025, 2, 3)


def test_a_meeting_pushed_by_tet_into_february_still_belongs_to_january(world):
    world.other_cell.meeting_day = 27
    world.other_cell.save(update_fields=["meeting_day"])
    services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025, months=[1, 2])
    january = _regular(world.other_cell, date(2025, 1, 1))
    assert january.scheduled_date == date(2025, 2, 3)
    assert _regular(world.other_cell, date(2025, 2, 1)).scheduled_date == date(2025, 2, 27)


def test_a_weekend_moves_the_meeting_to_monday(world):
    # 1/3/2025 is a Saturday; An Hòa's own day, the 5th, fell on Sunday 5/1/2025.
    services.regular_meetings_generate(actor=None, org=world.ward, year=2025, months=[1, 3])
    assert _regular(world.other_cell, date(2025, 3, 1)).scheduled_date == date(2025, 3, 3)
    assert _regular(world.anhoa, date(2025, 1, 1)).scheduled_date == date(2025, 1, 6)


def test_the_previous_working_day_rule_brings_the_meeting_forward_across_tet(world):
    ruleset_create_version(actor=None, org=world.ward, effective_from=date(2024, 1, 1), holiday_shift="previous")
    services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025, months=[2, 4])
    assert _regular(world.other_cell, date(2025, 2, 1)).scheduled_date == date(2025, 1, 24)
    assert _regular(world.other_cell, date(2025, 4, 1)).scheduled_date == date(2025, 4, 1)


def test_giỗ_tổ_moves_a_meeting_on_the_seventh(world):
    world.other_cell.meeting_day = 7
    world.other_cell.save(update_fields=["meeting_day"])
    services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025, months=4)
    assert _regular(world.other_cell, date(2025, 4, 1)).scheduled_date == date(2025, 4, 8)


def test_generating_twice_creates_each_month_once(world):
    first = services.regular_meetings_generate(actor=world.ward_officer, org=world.ward, year=2025)
    again = services.regular_meetings_generate(actor=world.ward_officer, org=world.ward, year=2025)
    assert len(first) == 24 and again == []
    assert Meeting.objects.filter(org__in=[world.anhoa, world.other_cell], kind="regular").count() == 24
    assert not Meeting.objects.filter(org=world.other_ward_cell).exists()
    assert {m.created_by for m in first} == {world.ward_officer}


def test_a_cancelled_regular_meeting_frees_its_month(world):
    [meeting] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=6)
    services.meeting_cancel(actor=None, meeting=meeting, reason="Trùng lịch bầu cử")
    [again] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=6)
    assert again.pk != meeting.pk and again.period == date(2025, 6, 1)


def test_planning_a_second_regular_meeting_for_a_month_is_refused(world):
    services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=6)
    with pytest.raises(ChiboError, match="đã có buổi sinh hoạt thường kỳ tháng 06/2025"):
        services.meeting_plan(actor=None, org=world.anhoa, kind="regular", scheduled_date=date(2025, 6, 20))


def test_a_dissolved_cell_gets_no_meetings_after_it_ended(world):
    world.other_cell.dissolved_on = date(2025, 7, 1)
    world.other_cell.save(update_fields=["dissolved_on"])
    created = services.regular_meetings_generate(actor=None, org=world.other_cell, year=2025)
    assert [m.period.month for m in created] == [1, 2, 3, 4, 5, 6]


def test_a_meeting_is_planned_under_the_version_in_force_on_its_date(world):
    v1 = ruleset_create_version(actor=None, org=world.ward, effective_from=date(2025, 1, 1))
    v2 = ruleset_create_version(
        actor=None, org=world.ward, effective_from=date(2025, 7, 1), default_start_time=time(7, 30)
    )
    before = services.meeting_plan(
        actor=None, org=world.anhoa, kind="thematic", scheduled_date=date(2025, 6, 30), thematic_topic="Dân vận"
    )
    after = services.meeting_plan(actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=date(2025, 7, 1))
    assert (before.ruleset, before.scheduled_time) == (v1, time(19, 0))
    assert (after.ruleset, after.scheduled_time) == (v2, time(7, 30))
    assert before.period is None and before.min_duration_minutes == 120


def test_a_thematic_meeting_needs_a_topic_and_a_cell(world):
    with pytest.raises(ChiboError, match="chủ đề") as err:
        services.meeting_plan(actor=None, org=world.anhoa, kind="thematic", scheduled_date=date(2025, 6, 30))
    assert err.value.field == "thematic_topic"
    with pytest.raises(ChiboError, match="phải thuộc một chi bộ"):
        services.meeting_plan(actor=None, org=world.ward, kind="extraordinary", scheduled_date=date(2025, 6, 30))


def test_rescheduling_keeps_the_month_and_records_the_reason(world):
    [meeting] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=6)
    services.meeting_reschedule(
        actor=world.anhoa_secretary,
        meeting=meeting,
        scheduled_date=date(2025, 6, 10),
        scheduled_time=time(8, 0),
        place="Nhà văn hóa khu vực",
        reason="Trùng ngày tiêm chủng",
    )
    meeting.refresh_from_db()
    assert (meeting.scheduled_date, meeting.period, meeting.place) == (
        date(2025, 6, 10),
        date(2025, 6, 1),
        "Nhà văn hóa khu vực",
    )
    change = meeting.schedule_changes.get()
    assert (change.old_date, change.reason, change.actor) == (
        date(2025, 6, 5),
        "Trùng ngày tiêm chủng",
        world.anhoa_secretary,
    )
    with pytest.raises(ChiboError, match="không quá nửa tháng"):
        services.meeting_reschedule(
            actor=None, meeting=meeting, scheduled_date=date(2025, 8, 1), scheduled_time=time(8), place="", reason="x"
        )


def test_a_meeting_held_cannot_be_moved_or_cancelled(world):
    [meeting] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=6)
    Meeting.objects.filter(pk=meeting.pk).update(status="closed")
    with pytest.raises(ChiboError, match="Đã kết thúc"):
        services.meeting_cancel(actor=None, meeting=meeting, reason="x")
    with pytest.raises(ChiboError, match="lý do"):
        Meeting.objects.filter(pk=meeting.pk).update(status="planned")
        services.meeting_cancel(actor=None, meeting=meeting, reason="  ")


def test_the_command_generates_a_year_for_a_node(world, capsys):
    call_command("generate_meetings", world.ward.code, "2026")
    assert "24 buổi" in capsys.readouterr().out
    call_command("generate_meetings", world.ward.code, "2026", "--month", "3")
    assert "0 buổi" in capsys.readouterr().out
