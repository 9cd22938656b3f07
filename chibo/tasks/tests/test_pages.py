"""The task pages: my tasks on a phone, giving a task, the review at the next meeting, the hooks for the
live page; constant queries on the lists."""

from datetime import timedelta

from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from chibo.core.dates import today
from chibo.tasks import services
from chibo.tasks.models import Task, TaskReview
from chibo.tasks.tests.conftest import Cell, hold, months_ago, plan


def _give(meeting, *members, text="Vận động 10 hộ tham gia bảo hiểm y tế"):  # type: ignore[no-untyped-def]
    return services.task_create(
        actor=None,
        meeting=meeting,
        description=text,
        assignees=list(members),
        due_on=meeting.scheduled_date + timedelta(days=20),
    )


def test_a_member_sees_their_tasks_and_reports_from_the_phone_page(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, months_ago(1))
    mine = _give(m, cell.plain)
    _give(m, cell.mobiliser, text="Việc của người khác")
    client.force_login(cell.world.anhoa_member)
    body = client.get(reverse("tasks:mine")).content.decode()
    assert "Vận động 10 hộ tham gia bảo hiểm y tế" in body and "Việc của người khác" not in body
    response = client.post(
        reverse("tasks:report", args=[mine.pk, cell.plain.pk]),
        {"status": "in_progress", "note": "Đã vận động 4 hộ", "next": reverse("tasks:mine")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("tasks:mine")
    a = mine.assignments.get()
    a.refresh_from_db()
    assert (a.status, a.last_note) == ("in_progress", "Đã vận động 4 hộ")
    # Someone else's task: the plain member sees it (the resolution is read to all) but may not report on it.
    other = Task.objects.exclude(pk=mine.pk).get()
    assert (
        client.post(reverse("tasks:report", args=[other.pk, cell.mobiliser.pk]), {"status": "done"}).status_code == 403
    )


def test_my_tasks_costs_the_same_queries_for_two_tasks_or_twelve(cell: Cell, client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, months_ago(1))
    for i in range(2):
        _give(m, cell.plain, text=f"Việc {i}")
    client.force_login(cell.world.anhoa_member)
    client.get(reverse("tasks:mine"))
    with django_assert_num_queries(7) as small:
        client.get(reverse("tasks:mine"))
    for i in range(10):
        _give(m, cell.plain, text=f"Việc thêm {i}")
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(reverse("tasks:mine")).content.decode()
    assert body.count('class="card task-card"') == 12


def test_the_secretary_gives_a_task_on_the_meetings_page_and_bad_input_is_shown(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, months_ago(1))
    client.force_login(cell.world.anhoa_secretary)
    url = reverse("tasks:create", args=[m.pk])
    day = m.scheduled_date
    ok = client.post(
        url,
        {
            "description": "Lập danh sách hộ nghèo",
            "assignees": [cell.lawyer.pk],
            "due_on": f"{day + timedelta(days=9):%d/%m/%Y}",
        },
    )
    assert ok.status_code == 302 and Task.objects.get().due_on == day + timedelta(days=9)
    early = client.post(
        url, {"description": "Việc", "assignees": [cell.lawyer.pk], "due_on": f"{day - timedelta(days=1):%d/%m/%Y}"}
    )
    assert early.status_code == 400 and "không được trước ngày họp" in early.content.decode()
    # The exempt member is not even offered; posting them anyway is refused by the form.
    page = client.get(reverse("tasks:meeting", args=[m.pk])).content.decode()
    assert "Lý Văn Già" not in page and "Lê Văn Vận" in page
    exempt = client.post(url, {"description": "Việc", "assignees": [cell.exempt.pk], "due_on": f"{day:%d/%m/%Y}"})
    assert exempt.status_code == 400 and Task.objects.count() == 1


def test_the_review_page_lists_last_months_tasks_and_records_a_commendation(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    prev = hold(cell.org, months_ago(2))
    a = _give(prev, cell.mobiliser).assignments.get()
    nxt = plan(cell.org, months_ago(1))
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(reverse("tasks:review", args=[nxt.pk])).content.decode()
    assert "Lê Văn Vận" in page and "Đã kiểm điểm 0/1" in page
    p = f"a{a.pk}-"
    refused = client.post(
        reverse("tasks:review_save", args=[nxt.pk, a.pk]), {p + "outcome": "not_done", p + "evaluation": "reminded"}
    )
    assert refused.status_code == 400 and "Ghi nguyên nhân chưa hoàn thành." in refused.content.decode()
    assert not TaskReview.objects.exists()
    saved = client.post(
        reverse("tasks:review_save", args=[nxt.pk, a.pk]),
        {p + "outcome": "done", p + "evaluation": "commended", p + "comment": "Vượt chỉ tiêu"},
    )
    assert saved.status_code == 302
    review = TaskReview.objects.get()
    assert (review.meeting, review.evaluation, review.comment) == (nxt, "commended", "Vượt chỉ tiêu")


def test_the_review_page_costs_the_same_queries_for_two_tasks_or_ten(
    cell: Cell, client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    prev = hold(cell.org, months_ago(2))
    nxt = plan(cell.org, months_ago(1))
    for i in range(2):
        _give(prev, cell.mobiliser, cell.plain, text=f"Việc {i}")
    client.force_login(cell.world.anhoa_secretary)
    url = reverse("tasks:review", args=[nxt.pk])
    client.get(url)
    with django_assert_num_queries(9) as small:
        client.get(url)
    for i in range(8):
        _give(prev, cell.lawyer, text=f"Việc thêm {i}")
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(url).content.decode()
    assert "Đã kiểm điểm 0/12" in body


def test_the_live_page_hooks_render_the_review_and_next_months_tasks(cell: Cell) -> None:
    prev = hold(cell.org, months_ago(2))
    _give(prev, cell.mobiliser)
    now = hold(cell.org, months_ago(1), close=False)
    _give(now, cell.plain, text="Dọn vệ sinh đường hẻm 3")
    request = RequestFactory().get("/")
    request.user = cell.world.anhoa_secretary
    html = Template("{% load chibo_tasks %}{% task_review_panel meeting %}{% next_tasks_panel meeting %}").render(
        Context({"meeting": now, "request": request})
    )
    assert "Kiểm điểm nhiệm vụ tháng trước" in html and "Lê Văn Vận" in html
    assert "Dọn vệ sinh đường hẻm 3" in html and reverse("tasks:review", args=[now.pk]) in html
    request.user = cell.world.anhoa_member
    member_html = Template("{% load chibo_tasks %}{% task_review_panel meeting %}").render(
        Context({"meeting": now, "request": request})
    )
    assert member_html.strip() == ""  # the review is the committee's to run


def test_deleting_a_task_given_by_mistake(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, months_ago(1))
    task = _give(m, cell.plain)
    client.force_login(cell.world.anhoa_secretary)
    assert client.post(reverse("tasks:delete", args=[task.pk])).status_code == 302
    assert not Task.objects.exists()
    kept = _give(m, cell.plain)
    services.progress_report(actor=None, assignment=kept.assignments.get(), status="done", done_on=today())
    client.post(reverse("tasks:delete", args=[kept.pk]))
    assert Task.objects.filter(pk=kept.pk).exists()


def test_the_api_gives_a_task_and_the_member_reports_and_the_secretary_reviews(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    from chibo.accounts.tokens import token_issue

    prev = hold(cell.org, months_ago(2))
    nxt = plan(cell.org, months_ago(1))
    sec = {"Authorization": f"Bearer {token_issue(user=cell.world.anhoa_secretary, label='t')[1]}"}
    mem = {"Authorization": f"Bearer {token_issue(user=cell.world.anhoa_member, label='t')[1]}"}
    due = prev.scheduled_date + timedelta(days=10)
    bad = client.post(
        f"/api/v1/tasks/meetings/{prev.pk}",
        {"description": "Việc", "assignee_ids": [cell.stranger.pk], "due_on": str(due)},
        content_type="application/json",
        headers=sec,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "assignees"
    made = client.post(
        f"/api/v1/tasks/meetings/{prev.pk}",
        {"description": "Thu quỹ khuyến học", "assignee_ids": [cell.plain.pk], "due_on": str(due)},
        content_type="application/json",
        headers=sec,
    )
    assert made.status_code == 201
    task_id = made.json()["id"]
    assert client.get("/api/v1/tasks/mine", headers=mem).json()["items"][0]["task_id"] == task_id
    reported = client.post(
        f"/api/v1/tasks/{task_id}/assignees/{cell.plain.pk}/progress",
        {"status": "done", "done_on": str(due)},
        content_type="application/json",
        headers=mem,
    )
    assert reported.status_code == 200 and reported.json()["status"] == "done"
    listed = client.get(f"/api/v1/tasks/meetings/{nxt.pk}/review", headers=sec).json()
    assignment_id = listed["items"][0]["id"]
    reviewed = client.put(
        f"/api/v1/tasks/meetings/{nxt.pk}/review/{assignment_id}",
        {"outcome": "done", "evaluation": "commended"},
        content_type="application/json",
        headers=sec,
    )
    assert reviewed.status_code == 200 and reviewed.json()["review"]["evaluation"] == "commended"
    fits = client.get(f"/api/v1/tasks/meetings/{nxt.pk}/suggestions", {"description": "hòa giải"}, headers=sec).json()
    assert fits[0] == {
        "member_id": cell.lawyer.pk,
        "full_name": "Phạm Thị Luật",
        "score": 4,
        "matched": ["hòa giải"],
        "open_tasks": 0,
    }


def test_the_live_page_of_a_meeting_with_locked_minutes_offers_no_turn_editing(client, cell) -> None:  # type: ignore[no-untyped-def]
    from chibo.meetings import services as meeting_services
    from chibo.tasks.tests.builders import at, hold, lock_minutes, months_ago

    day = months_ago(1)
    meeting = hold(cell.org, day, chair=cell.secretary, recorder=cell.mobiliser, close=False)
    turn = meeting_services.speaker_add(actor=None, meeting=meeting, member=cell.plain)
    meeting_services.turn_start(actor=None, turn=turn)
    meeting_services.turn_finish(actor=None, turn=turn, summary="Ý kiến về vệ sinh môi trường")
    meeting = meeting_services.meeting_close(actor=None, meeting=meeting, ended_at=at(day, 21))
    client.force_login(cell.world.anhoa_secretary)
    before = client.get(f"/meetings/{meeting.pk}/live/").content.decode()
    assert 'name="summary"' in before and "Giao nhiệm vụ" in before
    lock_minutes(meeting, cell.world.anhoa_secretary)
    page = client.get(f"/meetings/{meeting.pk}/live/").content.decode()
    assert 'name="summary"' not in page
    assert "Ý kiến về vệ sinh môi trường" in page
    assert "Giao nhiệm vụ" not in page and "Xem nhiệm vụ" in page


def test_my_tasks_come_in_one_order_on_the_page_and_in_the_api(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    """One selector (tasks.selectors.my_tasks): open tasks first, the nearest due date first."""
    from chibo.accounts.tokens import token_issue
    from chibo.tasks.selectors import my_open_and_recent

    m = hold(cell.org, months_ago(1))
    late = services.task_create(
        actor=None,
        meeting=m,
        description="Việc hạn xa",
        assignees=[cell.plain],
        due_on=m.scheduled_date + timedelta(30),
    )
    soon = services.task_create(
        actor=None,
        meeting=m,
        description="Việc hạn gần",
        assignees=[cell.plain],
        due_on=m.scheduled_date + timedelta(5),
    )
    mem = {"Authorization": f"Bearer {token_issue(user=cell.world.anhoa_member, label='t')[1]}"}
    api_order = [item["task_id"] for item in client.get("/api/v1/tasks/mine", headers=mem).json()["items"]]
    page_order = [a.task_id for a in my_open_and_recent(cell.plain)[0]]
    assert api_order == page_order == [soon.pk, late.pk]


def test_my_tasks_and_a_meetings_tasks_in_the_api_cost_the_same_queries_for_two_or_ten(
    cell: Cell, client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chibo.accounts.tokens import token_issue

    m = hold(cell.org, months_ago(1))
    mem = {"Authorization": f"Bearer {token_issue(user=cell.world.anhoa_member, label='t')[1]}"}
    urls = ("/api/v1/tasks/mine", f"/api/v1/tasks/meetings/{m.pk}")
    for i in range(2):
        _give(m, cell.plain, cell.mobiliser, text=f"Việc {i}")
    client.get(urls[0], headers=mem)  # warm the token
    small = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, headers=mem).json()["count"] == 2
        small.append(len(captured.captured_queries))
    for i in range(8):
        _give(m, cell.plain, cell.mobiliser, text=f"Việc thêm {i}")
    for url, n in zip(urls, small, strict=True):
        with django_assert_num_queries(n):
            assert client.get(url, headers=mem).json()["count"] == 10
