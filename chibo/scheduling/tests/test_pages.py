from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from chibo.core.dates import today
from chibo.meetings.models import Meeting
from chibo.members import services as member_services
from chibo.notices.models import Notice
from chibo.organizations.models import Organization
from chibo.scheduling import services
from chibo.scheduling.models import CalendarFeed, ScheduleChange
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db

MARCH = "/calendar/?org={org}&month=2025-03"


def test_a_cell_without_a_meeting_in_the_month_shows_as_a_warning(client, world):
    services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=3)
    client.force_login(world.ward_officer)
    response = client.get(MARCH.format(org=world.ward.pk))
    assert response.status_code == 200
    cal = response.context["cal"]
    assert [r.cell for r in cal.without_regular] == [world.other_cell]
    assert cal.without_regular[0].expected_day == date(2025, 3, 3)
    assert "Chi bộ khu vực Bình Hòa" in response.content.decode()
    assert "chưa có lịch sinh hoạt thường kỳ tháng 03/2025" in response.content.decode()


def test_a_quarter_without_a_thematic_meeting_shows_as_a_warning(client, world):
    services.meeting_plan(
        actor=None, org=world.anhoa, kind="thematic", scheduled_date=date(2025, 2, 14), thematic_topic="Dân vận khéo"
    )
    client.force_login(world.ward_officer)
    cal = client.get(MARCH.format(org=world.ward.pk)).context["cal"]
    assert [r.cell for r in cal.without_thematic] == [world.other_cell]
    assert cal.quarter == 1


def test_the_month_is_scoped_to_what_the_user_may_see(client, world):
    client.force_login(world.anhoa_member)
    assert client.get(MARCH.format(org=world.anhoa.pk)).status_code == 200
    assert client.get(MARCH.format(org=world.ward.pk)).status_code == 404
    client.force_login(world.outsider)
    assert client.get(MARCH.format(org=world.ward.pk)).status_code == 404
    client.force_login(world.anhoa_member)
    default = client.get("/calendar/")
    assert default.context["org"] == world.anhoa


def _grow(world, cells):
    for i in range(cells):
        cell = make_org(f"Chi bộ ấp {i}", Organization.Kind.CELL, world.ward)
        MemberFactory(org=cell)
    services.regular_meetings_generate(actor=None, org=world.ward, year=2025, months=3)
    for cell in Organization.objects.filter(path__startswith=world.ward.path, kind="cell")[:cells]:
        services.meeting_plan(
            actor=None, org=cell, kind="thematic", scheduled_date=date(2025, 3, 20), thematic_topic="Kinh tế"
        )


def test_the_month_view_costs_the_same_queries_at_two_sizes(client, world, django_assert_max_num_queries):
    client.force_login(world.town_officer)
    url = MARCH.format(org=world.town.pk)
    _grow(world, 2)
    client.get(url)  # warm the session and the content types
    # Session, user, grants, the node; one per level of the tree as it stood that month (town → wards →
    # cells), the cells, meetings, thematic counts, two for the rule sets.
    with django_assert_max_num_queries(11) as small:
        client.get(url)
    _grow(world, 12)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.context["cal"].rows) == 2 + 2 + 12 + 1


def test_a_secretary_plans_a_thematic_meeting_and_members_are_told(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.anhoa_secretary)
    day = today() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/calendar/plan/?org={world.anhoa.pk}",
            {
                "org": world.anhoa.pk,
                "kind": "thematic",
                "scheduled_date": day.isoformat(),
                "scheduled_time": "19:30",
                "place": "Hội trường khu vực An Hòa",
                "thematic_topic": "Xây dựng nông thôn mới",
            },
        )
    assert response.status_code == 302
    meeting = Meeting.objects.get(org=world.anhoa, kind="thematic")
    assert (meeting.scheduled_date, meeting.scheduled_time, meeting.created_by) == (
        day,
        time(19, 30),
        world.anhoa_secretary,
    )
    told = set(Notice.objects.filter(meeting=meeting, kind="invitation").values_list("recipient_key", flat=True))
    assert {f"m{world.member_of_anhoa.pk}", f"u{world.supervisor.pk}"} <= told


def test_the_plan_page_shows_the_services_refusal(client, world):
    client.force_login(world.anhoa_secretary)
    response = client.post(
        f"/calendar/plan/?org={world.anhoa.pk}",
        {"org": world.anhoa.pk, "kind": "thematic", "scheduled_date": "2025-03-20"},
    )
    assert response.status_code == 400
    assert "Hãy nhập chủ đề sinh hoạt chuyên đề." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_secretary_cannot_plan_for_another_cell(client, world):
    client.force_login(world.anhoa_secretary)
    assert client.get(f"/calendar/plan/?org={world.other_cell.pk}").status_code == 404
    response = client.post(
        f"/calendar/plan/?org={world.anhoa.pk}",
        {"org": world.other_cell.pk, "kind": "extraordinary", "scheduled_date": "2025-03-20"},
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_reschedule_and_cancel_pages_record_the_reason(client, world):
    [meeting] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=3)
    client.force_login(world.anhoa_secretary)
    response = client.post(
        f"/calendar/meetings/{meeting.pk}/reschedule/",
        {"scheduled_date": "2025-03-07", "scheduled_time": "08:00", "place": "", "reason": "Trùng lịch họp dân"},
    )
    assert response.status_code == 302
    response = client.post(f"/calendar/meetings/{meeting.pk}/cancel/", {"reason": "Bão số 3"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancelled_reason, meeting.scheduled_date) == (
        "cancelled",
        "Bão số 3",
        date(2025, 3, 7),
    )
    assert list(meeting.schedule_changes.order_by("pk").values_list("kind", flat=True)) == [
        ScheduleChange.Kind.RESCHEDULE,
        ScheduleChange.Kind.CANCEL,
    ]


def test_members_and_other_cells_cannot_change_a_meeting(client, world):
    [meeting] = services.regular_meetings_generate(actor=None, org=world.anhoa, year=2025, months=3)
    for user, status in (
        (world.anhoa_member, 403),
        (world.supervisor, 403),
        (world.viewer, 403),
        (world.other_cell_secretary, 404),
        (world.outsider, 404),
    ):
        client.force_login(user)
        assert client.post(f"/calendar/meetings/{meeting.pk}/cancel/", {"reason": "x"}).status_code == status
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_the_generate_button_plans_the_month_for_the_committee(client, world):
    client.force_login(world.ward_officer)
    response = client.post(f"/calendar/generate/?org={world.ward.pk}", {"year": 2025, "month": 3})
    assert response.status_code == 302
    assert Meeting.objects.filter(kind="regular", period=date(2025, 3, 1)).count() == 2


def test_guests_are_invited_and_told_when_the_invitation_is_out(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_plan(
            actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=5)
        )
    client.force_login(world.anhoa_secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/calendar/meetings/{meeting.pk}/guests/",
            {"name": "Lê Văn Khách", "affiliation": "Bí thư Đoàn phường", "email": "khach@example.vn"},
        )
    assert response.status_code == 302
    guest = meeting.invited_guests.get()
    notice = Notice.objects.get(guest=guest)
    assert notice.kind == "invitation" and notice.emailed_at is not None
    assert [m.to for m in mailoutbox if "khach@example.vn" in m.to] == [["khach@example.vn"]]


def test_the_feed_lists_the_members_cells_including_a_temporary_stay(client, world):
    member = world.member_of_anhoa
    own = services.meeting_plan(
        actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=3), place="Nhà bà Tư"
    )
    member_services.member_transfer(
        actor=None, member=member, to_org=world.other_cell, effective_on=today() - timedelta(days=1), kind="temporary"
    )
    visiting = services.meeting_plan(actor=None, org=world.other_cell, kind="extraordinary", scheduled_date=today())
    services.meeting_plan(actor=None, org=world.other_ward_cell, kind="extraordinary", scheduled_date=today())
    feed = services.feed_for(member)
    response = client.get(f"/calendar/feed/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(
        [f"meeting-{own.pk}@testserver", f"meeting-{visiting.pk}@testserver"]
    )
    first = next(e for e in events if str(e["uid"]).startswith(f"meeting-{own.pk}"))
    assert str(first["location"]) == "Nhà bà Tư"
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(minutes=90)


def test_a_bad_or_replaced_token_answers_404(client, world):
    feed = services.feed_for(world.member_of_anhoa)
    old = feed.token
    assert client.get("/calendar/feed/not-a-token.ics").status_code == 404
    client.force_login(world.anhoa_member)
    assert client.post("/calendar/feed/").status_code == 302
    client.logout()
    assert client.get(f"/calendar/feed/{old}.ics").status_code == 404
    new = CalendarFeed.objects.get(member=world.member_of_anhoa).token
    assert new != old and client.get(f"/calendar/feed/{new}.ics").status_code == 200


def test_the_feed_page_shows_the_link_to_the_member_only(client, world):
    client.force_login(world.anhoa_member)
    response = client.get("/calendar/feed/")
    token = CalendarFeed.objects.get(member=world.member_of_anhoa).token
    assert token in response.content.decode()
    client.force_login(world.ward_officer)  # no member record
    assert token not in client.get("/calendar/feed/").content.decode()


def test_a_regular_meeting_can_hold_the_quarters_thematic_session(client, world):
    client.force_login(world.anhoa_secretary)
    response = client.post(
        f"/calendar/plan/?org={world.anhoa.pk}",
        {
            "org": world.anhoa.pk,
            "kind": "regular",
            "scheduled_date": "2025-05-05",
            "thematic_topic": "Giảm nghèo bền vững",
            "with_thematic": "on",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(org=world.anhoa)
    assert (meeting.period, meeting.with_thematic, meeting.min_duration_minutes) == (date(2025, 5, 1), True, 120)
    client.force_login(world.ward_officer)
    cal = client.get(f"/calendar/?org={world.ward.pk}&month=2025-05").context["cal"]
    assert [r.cell for r in cal.without_thematic] == [world.other_cell]


def test_the_month_view_costs_the_same_queries_for_a_ward_and_the_province(client, world):
    """bench/run.py times the month for a ward and for the province: the count follows the tree's depth
    (one query a level), never the number of cells or meetings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.admin)
    urls = [MARCH.format(org=world.ward.pk), MARCH.format(org=world.province.pk)]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    _grow(world, 2)
    small = counts()
    _grow(world, 10)
    assert counts() == small
    # The province's month reads two tree levels more than the ward's (province → town → ward → cells).
    assert small[1] - small[0] <= 2, small
