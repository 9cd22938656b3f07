"""The phones' polls of a live meeting are cheap (issue 13): answered 304 from the meeting's version while
nothing changed, rebuilt (with scope checked) after any write, and never built from the whole live page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.errors import ChiboError
from chibo.meetings import services
from chibo.meetings.models import Attendance, Meeting
from chibo.meetings.tests.conftest import Cell, add_members, plan_meeting

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def client_for(user: object) -> Client:
    c = Client()
    c.force_login(user)  # type: ignore[arg-type]
    return c


def panel(meeting: Meeting) -> str:
    return reverse("meetings:live_panel", args=[meeting.pk])


def opened(cell: Cell) -> Meeting:
    services.agenda_from_template(actor=None, meeting=cell.meeting)
    return services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])


def test_a_repeated_poll_is_answered_304_with_the_session_and_the_version_only(cell: Cell) -> None:
    opened(cell)
    phone = client_for(cell.world.anhoa_member)
    first = phone.get(panel(cell.meeting), **HX)
    assert first.status_code == 200 and first["ETag"] and "private" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        again = phone.get(panel(cell.meeting), HTTP_IF_NONE_MATCH=first["ETag"], **HX)
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and again.content == b""
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert tables == ['"django_session"', '"meetings_meeting"']


@pytest.mark.parametrize(
    "write",
    [
        lambda cell: services.attendance_record(
            actor=None, meeting=cell.meeting, member=cell.official[3], status=Attendance.Status.PRESENT
        ),
        lambda cell: services.agenda_advance(actor=None, meeting=cell.meeting),
        lambda cell: services.speaker_add(
            actor=None,
            meeting=cell.meeting,
            member=cell.official[3],
        ),
        lambda cell: services.vote_record(
            actor=None, meeting=cell.meeting, votes_for=1, votes_against=0, votes_abstain=0
        ),
    ],
    ids=["attendance", "agenda", "speakers", "vote"],
)
def test_every_write_to_the_meeting_changes_the_etag_and_the_next_poll_rebuilds(cell: Cell, write: object) -> None:
    opened(cell)
    services.attendance_mark_rest_present(actor=None, meeting=cell.meeting)
    phone = client_for(cell.world.anhoa_member)
    before = phone.get(panel(cell.meeting), **HX)["ETag"]
    write(cell)  # type: ignore[operator]
    after = phone.get(panel(cell.meeting), HTTP_IF_NONE_MATCH=before, **HX)
    assert after.status_code == 200 and after["ETag"] != before


def test_a_refused_write_leaves_the_version_as_it_was(cell: Cell) -> None:
    opened(cell)
    version = Meeting.objects.get(pk=cell.meeting.pk).live_version
    with pytest.raises(ChiboError):
        services.attendance_record(
            actor=None, meeting=cell.meeting, member=cell.official[3], status=Attendance.Status.EXCUSED
        )  # no reason given
    assert Meeting.objects.get(pk=cell.meeting.pk).live_version == version


def test_a_tap_on_the_secretarys_page_makes_the_members_next_poll_show_it(cell: Cell) -> None:
    opened(cell)
    phone = client_for(cell.world.anhoa_member)
    before = phone.get(panel(cell.meeting), **HX)
    assert "<b>0</b><span>Có mặt</span>" in before.content.decode()
    client_for(cell.world.anhoa_secretary).post(
        reverse("meetings:attendance", args=[cell.meeting.pk, cell.official[3].pk]), {"status": "present"}, **HX
    )
    after = phone.get(panel(cell.meeting), HTTP_IF_NONE_MATCH=before["ETag"], **HX)
    assert after.status_code == 200 and "<b>1</b><span>Có mặt</span>" in after.content.decode()


def test_an_etag_is_good_only_for_the_session_it_was_sent_to(cell: Cell) -> None:
    opened(cell)
    tag = client_for(cell.world.anhoa_member).get(panel(cell.meeting), **HX)["ETag"]
    # Another member of the cell with the same version gets the panel itself, built for them.
    assert client_for(cell.world.supervisor).get(panel(cell.meeting), HTTP_IF_NONE_MATCH=tag, **HX).status_code == 200
    # Outside the cell, the tag opens nothing: scope is checked as on any page.
    outsider = client_for(cell.world.outsider)
    assert outsider.get(panel(cell.meeting), HTTP_IF_NONE_MATCH=tag, **HX).status_code == 404
    # Signed out: to the sign-in page, not a 304.
    anonymous = Client().get(panel(cell.meeting), HTTP_IF_NONE_MATCH=tag, **HX)
    assert anonymous.status_code == 302


def test_the_secretarys_list_of_speakers_is_polled_the_same_way(cell: Cell) -> None:
    opened(cell)
    secretary = client_for(cell.world.anhoa_secretary)
    url = reverse("meetings:live_speakers", args=[cell.meeting.pk])
    first = secretary.get(url, **HX)
    assert secretary.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **HX).status_code == 304
    services.attendance_mark_rest_present(actor=None, meeting=cell.meeting)
    assert secretary.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **HX).status_code == 200


def test_the_panel_renders_what_it_shows_in_the_same_queries_for_20_and_60_members(
    cell: Cell, django_assert_num_queries: object
) -> None:
    opened(cell)
    services.attendance_mark_rest_present(actor=None, meeting=cell.meeting)
    for m in cell.official[2:5]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=cell.meeting, member=m))
    phone = client_for(cell.world.anhoa_member)
    phone.get(panel(cell.meeting), **HX)
    # session, user, grants, meeting, own row, turns with their names, totals, agenda
    with django_assert_num_queries(8) as small:  # type: ignore[operator]
        html = phone.get(panel(cell.meeting), **HX).content.decode()
    assert 'id="totals"' in html and 'id="agenda"' in html and 'id="speakers"' in html
    assert 'id="vote"' not in html and 'id="guests"' not in html and 'id="remarks"' not in html
    big = plan_meeting(cell.world.anhoa, kind=Meeting.Kind.EXTRAORDINARY)
    add_members(cell.world.anhoa, 40)
    services.agenda_from_template(actor=None, meeting=big)
    services.meeting_open(actor=None, meeting=big, chair=cell.official[0], recorder=cell.official[1])
    services.attendance_mark_rest_present(actor=None, meeting=big)
    for m in cell.official[2:8]:
        services.turn_start(actor=None, turn=services.speaker_add(actor=None, meeting=big, member=m))
    assert big.attendances.count() == 60
    with django_assert_num_queries(len(small.captured_queries)):  # type: ignore[attr-defined,operator]
        phone.get(panel(big), **HX)
