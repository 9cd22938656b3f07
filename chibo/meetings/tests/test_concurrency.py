"""Two recorders on one meeting at once lose neither's entries (PostgreSQL, real concurrent transactions)."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from chibo.meetings import selectors, services
from chibo.meetings.models import Attendance, SpeakingTurn
from chibo.meetings.tests.conftest import Cell
from chibo.members.models import Member
from chibo.rules.services import system_versions_ensure

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _default_rules(db: None) -> None:
    """A transactional test starts from a database that an earlier one may have flushed, data migrations
    included; the meetings need the system's default rule set (chibo/rules/migrations/0002)."""
    system_versions_ensure()


def run_together(*jobs: Callable[[threading.Barrier], None]) -> list[BaseException]:
    """Run each job in its own thread (so its own database connection), started at the same moment."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def wrap(job: Callable[[threading.Barrier], None]) -> None:
        try:
            job(barrier)
        except BaseException as err:  # noqa: BLE001 - reported to the test below
            errors.append(err)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrap, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_two_recorders_marking_attendance_and_speakers_at_once_lose_nothing(cell: Cell) -> None:
    assert connection.vendor == "postgresql"
    meeting = services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    required = cell.required
    halves = [required[0::2], required[1::2]]
    recorders = [cell.world.anhoa_secretary, cell.world.ward_officer]

    def recorder(i: int) -> Callable[[threading.Barrier], None]:
        def job(barrier: threading.Barrier) -> None:
            mine = [Member.objects.get(pk=m.pk) for m in halves[i]]
            barrier.wait()
            for m in mine:
                services.attendance_record(
                    actor=recorders[i], meeting=meeting, member=m, status=Attendance.Status.PRESENT
                )
                # Each recorder puts the members they just marked on the list of speakers, interleaved.
                services.speaker_add(actor=recorders[i], meeting=meeting, member=m)

        return job

    errors = run_together(recorder(0), recorder(1))
    assert errors == []
    rows = Attendance.objects.filter(meeting=meeting, is_exempt=False)
    assert rows.filter(status=Attendance.Status.PRESENT).count() == 18
    assert {r.recorded_by_id for r in rows} == {recorders[0].pk, recorders[1].pk}
    positions = sorted(SpeakingTurn.objects.filter(meeting=meeting).values_list("position", flat=True))
    assert positions == list(range(1, 19))
    totals = selectors.live_totals(meeting)
    assert (totals.present, totals.unmarked, totals.attendance_rate) == (18, 0, 100.0)


def test_a_close_racing_a_late_mark_never_leaves_a_mark_after_the_close(cell: Cell) -> None:
    meeting = services.meeting_open(actor=None, meeting=cell.meeting, chair=cell.official[0], recorder=cell.official[1])
    for m in cell.required[1:]:
        services.attendance_record(actor=None, meeting=meeting, member=m, status=Attendance.Status.PRESENT)
    services.attendance_record(actor=None, meeting=meeting, member=cell.required[0], status=Attendance.Status.UNEXCUSED)
    last = cell.required[0]

    def closer(barrier: threading.Barrier) -> None:
        barrier.wait()
        services.meeting_close(actor=None, meeting=meeting)

    def marker(barrier: threading.Barrier) -> None:
        barrier.wait()
        services.attendance_record(actor=None, meeting=meeting, member=last, status=Attendance.Status.LATE)

    errors = run_together(closer, marker)
    meeting.refresh_from_db()
    row = Attendance.objects.get(meeting=meeting, member=last)
    assert meeting.ended_at is not None
    if errors:  # the close came first: the late mark was refused, nothing changed
        assert [str(e) for e in errors] == ["Buổi sinh hoạt đã kết thúc hoặc đã hủy: không ghi nhận thêm."]
        assert row.status == Attendance.Status.UNEXCUSED
    else:  # the mark came first, then the close
        assert row.status == Attendance.Status.LATE and row.recorded_at <= meeting.ended_at  # type: ignore[operator]
