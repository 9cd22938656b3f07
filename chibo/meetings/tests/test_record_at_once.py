"""Marking everyone else present in one tap, and a speaking turn taken down whole (used by the recent
demo history, and by a recorder keeping the list on paper)."""

from datetime import date, timedelta

import pytest

from chibo.core.errors import ChiboError
from chibo.meetings import services
from chibo.meetings.models import Attendance, SpeakingTurn
from chibo.tasks.tests.builders import at, plan
from chibo.testing.factories import MemberFactory

pytestmark = pytest.mark.django_db
A = Attendance.Status
DAY = date(2026, 3, 5)


@pytest.fixture
def opened(world):  # type: ignore[no-untyped-def]
    MemberFactory(org=world.anhoa, full_name="Lê Văn Ba")
    return services.meeting_open(
        actor=None,
        meeting=plan(world.anhoa, DAY),
        chair=world.anhoa_secretary.member,
        recorder=world.member_of_anhoa,
        started_at=at(DAY, 19),
    )


def test_everyone_not_named_absent_is_marked_present(world, opened):
    count = services.attendance_record_all(
        actor=world.anhoa_secretary, meeting=opened, absent={world.member_of_anhoa.pk: (A.EXCUSED, "Ốm")}
    )
    rows = {r.member.full_name: r for r in opened.attendances.select_related("member")}
    assert count == 3
    assert (rows["Nguyễn Thị Thường"].status, rows["Nguyễn Thị Thường"].reason) == (A.EXCUSED, "Ốm")
    assert rows["Lê Văn Ba"].status == A.PRESENT and rows["Lê Văn Ba"].recorded_by == world.anhoa_secretary


def test_an_excused_absence_without_a_reason_marks_nobody(world, opened):
    with pytest.raises(ChiboError) as err:
        services.attendance_record_all(actor=None, meeting=opened, absent={world.member_of_anhoa.pk: (A.EXCUSED, " ")})
    assert err.value.field == "reason"
    assert not opened.attendances.exclude(status=A.UNMARKED).exists()


def test_a_turn_taken_down_whole_counts_as_spoken_and_checks_its_times(world, opened, settings):
    services.attendance_record_all(actor=None, meeting=opened)
    start = at(DAY, 19) + timedelta(minutes=20)
    turn = services.speaker_record(
        actor=None,
        meeting=opened,
        member=world.member_of_anhoa,
        started_at=start,
        ended_at=start + timedelta(minutes=3),
    )
    assert (turn.status, turn.position, turn.duration_seconds) == (SpeakingTurn.Status.DONE, 1, 180)
    with pytest.raises(ChiboError, match="Thời gian"):
        services.speaker_record(
            actor=None, meeting=opened, member=world.member_of_anhoa, started_at=start, ended_at=start - timedelta(1)
        )
