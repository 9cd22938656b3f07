"""A member's record (C9): per year, attendance rates, speaking turns, tasks by outcome, commendations,
reminders, criticism follow-ups (sensitive) and commitments; a constant number of queries."""

from datetime import date

from django.urls import reverse

from chibo.commitments.models import Commitment
from chibo.criticism import services as criticism_services
from chibo.criticism.models import CriticismRecord, FollowUp
from chibo.meetings import services as meeting_services
from chibo.meetings.models import Attendance, SpeakingTurn
from chibo.tasks import services
from chibo.tasks.models import TaskReview
from chibo.tasks.record import member_record
from chibo.tasks.tests.conftest import Cell, hold

Out, Ev = TaskReview.Outcome, TaskReview.Evaluation


def _speak(meeting, member, kind=SpeakingTurn.Kind.OPINION) -> SpeakingTurn:  # type: ignore[no-untyped-def]
    """A turn on a meeting already closed is recorded as it would have been live."""
    turn = meeting_services.speaker_add(actor=None, meeting=meeting, member=member, kind=kind)
    turn = meeting_services.turn_start(actor=None, turn=turn)
    return meeting_services.turn_finish(actor=None, turn=turn)


def _history(cell: Cell, years: range) -> None:
    """Each year: three meetings (Mar present and speaks once, Jun excused, Sep unexcused); a task given in
    March reviewed in June as done well, one given in June reviewed in September as not done."""
    m = cell.mobiliser
    for y in years:
        mar = hold(cell.org, date(y, 3, 5), close=False)
        _speak(mar, m)
        mar = meeting_services.meeting_close(actor=None, meeting=mar)
        jun = hold(cell.org, date(y, 6, 5), statuses={m.pk: Attendance.Status.EXCUSED})
        sep = hold(cell.org, date(y, 9, 5), statuses={m.pk: Attendance.Status.UNEXCUSED})
        t1 = services.task_create(
            actor=None, meeting=mar, description="Vận động hộ", assignees=[m], due_on=date(y, 4, 5)
        )
        t2 = services.task_create(actor=None, meeting=jun, description="Thu quỹ", assignees=[m], due_on=date(y, 7, 5))
        services.task_review_record(
            actor=None, meeting=jun, assignment=t1.assignments.get(), outcome=Out.DONE, evaluation=Ev.COMMENDED
        )
        services.task_review_record(
            actor=None, meeting=sep, assignment=t2.assignments.get(), outcome=Out.NOT_DONE,
            evaluation=Ev.REMINDED, cause="Vắng nhà", support_measure="Chi ủy nhắc",
        )  # fmt: skip
        Commitment.objects.create(member=m, org=cell.org, year=y, content="Giữ gìn vệ sinh")


def test_the_record_counts_a_year_with_real_numbers(cell: Cell) -> None:
    m = cell.mobiliser
    _history(cell, range(2024, 2026))
    apr = hold(cell.org, date(2025, 10, 5), close=False)
    turn = _speak(apr, m, SpeakingTurn.Kind.SELF_CRITICISM)
    rec = criticism_services.criticism_record(
        actor=None, meeting=apr, member=m, kind=CriticismRecord.Kind.SELF_CRITICISM, turn=turn,
        content="Vắng họp không lý do", commitment="Dự đủ các buổi",
    )  # fmt: skip
    meeting_services.meeting_close(actor=None, meeting=apr)
    nov = hold(cell.org, date(2025, 11, 5))
    criticism_services.follow_up_record(actor=None, record=rec, meeting=nov, progress=FollowUp.Progress.KEPT)

    record = member_record(m, sensitive=True)
    assert [y.year for y in record.years] == [2025, 2024]
    y = record.year(2025)
    assert y is not None
    # Five meetings to attend in 2025: present in Mar, Oct, Nov; excused in Jun; unexcused in Sep.
    assert (y.required, y.present, y.excused, y.unexcused) == (5, 3, 1, 1)
    assert (y.present_rate, y.excused_rate, y.unexcused_rate) == (60.0, 20.0, 20.0)
    assert y.present_rate_display == "60,0%"
    assert (y.turns, y.criticism_turns, y.self_criticism_turns) == (2, 0, 1)
    # The task not done in September was carried over (due 05/10/2025) and is still open.
    assert (y.tasks, y.tasks_done, y.tasks_late, y.tasks_not_done, y.tasks_open) == (3, 1, 0, 1, 1)
    assert (y.commendations, y.reminders) == (1, 1)
    assert (y.criticism_records, y.criticism_resolved, y.follow_ups) == (1, 1, 1)
    assert y.commitment is not None and y.commitment.year == 2025
    y24 = record.year(2024)
    assert y24 is not None and (y24.required, y24.present, y24.criticism_records) == (3, 1, 0)


def test_criticism_is_left_out_of_the_record_for_readers_below_the_committee(cell: Cell) -> None:
    _history(cell, range(2025, 2026))
    y = member_record(cell.mobiliser, sensitive=False).year(2025)
    assert y is not None and (y.criticism_records, y.follow_ups) == (None, None)


def test_the_record_costs_the_same_queries_for_two_years_or_five(cell: Cell, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _history(cell, range(2024, 2026))
    with django_assert_num_queries(6):
        short = member_record(cell.mobiliser, sensitive=True)
    _history(cell, range(2019, 2022))
    with django_assert_num_queries(6):
        long = member_record(cell.mobiliser, sensitive=True)
    with django_assert_num_queries(5):
        member_record(cell.mobiliser, sensitive=False)
    assert (len(short.years), len(long.years)) == (2, 5)


def test_the_record_page_costs_the_same_queries_whatever_the_history(
    cell: Cell, client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(cell.world.anhoa_secretary)
    url = reverse("tasks:record", args=[cell.mobiliser.pk])
    _history(cell, range(2025, 2026))
    client.get(url)  # warm the session
    with django_assert_num_queries(12) as first:
        assert client.get(url).status_code == 200
    _history(cell, range(2020, 2024))
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get(url).content.decode()
    assert "Năm 2020" in body and "Biểu dương" in body


def test_a_plain_member_sees_their_own_record_without_criticism(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    _history(cell, range(2025, 2026))
    client.force_login(cell.world.anhoa_member)
    own = client.get(reverse("tasks:record", args=[cell.plain.pk]))
    assert own.status_code == 200 and "Phê bình, tự phê bình" not in own.content.decode()
    assert client.get(reverse("tasks:record", args=[cell.mobiliser.pk])).status_code == 404


def test_the_api_gives_the_record_by_year(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    from chibo.accounts.tokens import token_issue

    _history(cell, range(2025, 2026))
    _token, raw = token_issue(user=cell.world.anhoa_secretary, label="t")
    response = client.get(f"/api/v1/members/{cell.mobiliser.pk}/record", headers={"Authorization": f"Bearer {raw}"})
    data = response.json()
    assert response.status_code == 200 and data["full_name"] == "Lê Văn Vận"
    y = next(y for y in data["years"] if y["year"] == 2025)
    assert (y["required"], y["present"], y["present_rate"], y["commendations"], y["reminders"]) == (3, 1, 33.3, 1, 1)
    assert y["criticism_records"] == 0 and y["commitment_status"] == "registered"
