"""The calendar feed as calendar apps read it: a VTIMEZONE for Asia/Ho_Chi_Minh, each event's place, and a
regular meeting a holiday moved saying why (in the feed and on the calendar page)."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from chibo.core.dates import today
from chibo.scheduling import services
from chibo.scheduling.calendar import shift_to_working_day

pytestmark = pytest.mark.django_db


def _feed(client, member):  # type: ignore[no-untyped-def]
    token = services.feed_for(member).token
    return Calendar.from_ical(client.get(f"/calendar/feed/{token}.ics").content)


def _national_day_next_year(world) -> tuple[date, date]:  # type: ignore[no-untyped-def]
    """An Hòa meets on the 2nd; 2 September is Quốc khánh, so next September's meeting moves to the next
    working day. Returns (the fixed day, the day it moved to)."""
    world.anhoa.meeting_day = 2
    world.anhoa.save(update_fields=["meeting_day"])
    year = today().year + 1
    services.regular_meetings_generate(actor=None, org=world.anhoa, year=year, months=9)
    fixed = date(year, 9, 2)
    return fixed, shift_to_working_day(fixed, "next")


def test_the_feed_carries_the_time_zone_of_viet_nam_and_times_in_it(client, world):
    _national_day_next_year(world)
    cal = _feed(client, world.member_of_anhoa)
    zones = cal.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["Asia/Ho_Chi_Minh"]
    assert "TZOFFSETTO:+0700" in zones[0].to_ical().decode()
    event = cal.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=7)


def test_each_event_has_its_place_or_the_cells_name_and_a_holiday_move_says_why(client, world):
    fixed, moved_to = _national_day_next_year(world)
    assert moved_to != fixed
    own = services.meeting_plan(
        actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=fixed + timedelta(days=14),
        place="Nhà văn hóa ấp",
    )  # fmt: skip
    events = {e.decoded("dtstart").date(): e for e in _feed(client, world.member_of_anhoa).walk("VEVENT")}
    moved = events[moved_to]
    assert str(moved["location"]) == "Chi bộ khu vực An Hòa"  # no place set yet: the cell
    assert f"Dời từ ngày {fixed:%d/%m/%Y} (ngày sinh hoạt cố định) vì nghỉ lễ Quốc khánh." in str(moved["description"])
    planned = events[own.scheduled_date]
    assert str(planned["location"]) == "Nhà văn hóa ấp"
    assert "Dời từ" not in str(planned.get("description", ""))


def test_the_calendar_page_says_why_a_meeting_is_off_its_fixed_day(client, world):
    world.anhoa.meeting_day = 7  # 07/04/2025 is Giỗ Tổ Hùng Vương: April's meeting moves to Tuesday 8th
    world.anhoa.save(update_fields=["meeting_day"])
    services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=4)
    client.force_login(world.anhoa_secretary)
    page = client.get(f"/calendar/?org={world.anhoa.pk}&month=2025-04").content.decode()
    assert "Dời từ ngày 07/04/2025 (ngày sinh hoạt cố định) vì nghỉ lễ Ngày Giỗ Tổ Hùng Vương." in page


def test_a_meeting_moved_by_hand_does_not_claim_a_holiday_moved_it(client, world):
    services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=5)  # fixed day 5: Monday
    meeting = world.anhoa.meetings.get(period=date(2025, 5, 1))
    services.meeting_reschedule(
        actor=None, meeting=meeting, scheduled_date=date(2025, 5, 12), scheduled_time=meeting.scheduled_time,
        place="", reason="Trùng lịch họp của phường",
    )  # fmt: skip
    client.force_login(world.anhoa_secretary)
    page = client.get(f"/calendar/?org={world.anhoa.pk}&month=2025-05").content.decode()
    assert "12/05/2025" in page and "Dời từ ngày" not in page
