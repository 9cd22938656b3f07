import logging
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from chibo.accounts.models import Role, RoleGrant
from chibo.core.dates import today
from chibo.members import services as member_services
from chibo.notices.models import Notice
from chibo.notices.services import due_notices_send, meeting_notices_send
from chibo.notices.sms import mask_phone
from chibo.scheduling import services
from chibo.testing.factories import MemberFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon():
    return today() + timedelta(days=7)


def _plan(world, day, commit, **extra):
    with commit(execute=True):
        return services.meeting_plan(actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=day, **extra)


def _keys(meeting, kind="invitation"):
    return set(Notice.objects.filter(meeting=meeting, kind=kind).values_list("recipient_key", flat=True))


def test_members_on_the_roll_and_the_supervisor_are_notified(world, soon, django_capture_on_commit_callbacks):
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    secretary = world.anhoa_secretary.member
    assert _keys(meeting) == {f"m{secretary.pk}", f"m{world.member_of_anhoa.pk}", f"u{world.supervisor.pk}"}
    supervisor_notice = Notice.objects.get(meeting=meeting, user=world.supervisor)
    assert supervisor_notice.audience == Notice.Audience.SUPERVISOR
    assert "Kính mời đồng chí" in supervisor_notice.body and "Chi bộ khu vực An Hòa" in supervisor_notice.body


def test_a_supervisor_granted_at_the_ward_follows_its_cells_but_not_other_wards(
    world, soon, django_capture_on_commit_callbacks
):
    ward_cadre = make_user("ward_cadre", (Role.SUPERVISOR, world.ward))
    other = make_user("other_cadre", (Role.SUPERVISOR, world.other_ward))
    make_user("expired_cadre", (Role.SUPERVISOR, world.ward)).grants.update(valid_to=today())
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    keys = _keys(meeting)
    assert f"u{ward_cadre.pk}" in keys and f"u{other.pk}" not in keys
    assert not any(k for k in keys if k not in {f"u{ward_cadre.pk}", f"u{world.supervisor.pk}"} and k.startswith("u"))


def test_an_exempt_member_is_not_notified_unless_they_asked(world, soon, django_capture_on_commit_callbacks):
    quiet = MemberFactory(org=world.anhoa, full_name="Phạm Văn Miễn")
    keen = MemberFactory(org=world.anhoa, full_name="Lê Thị Vẫn Nhận")
    work_only = MemberFactory(org=world.anhoa, full_name="Võ Văn Công Tác")
    member_services.member_exempt(actor=None, member=quiet, reason="old_age", started_on=date(2024, 1, 1))
    exemption = member_services.member_exempt(actor=None, member=keen, reason="old_age", started_on=date(2024, 1, 1))
    exemption.wants_notices = True
    exemption.save(update_fields=["wants_notices"])
    member_services.member_exempt(
        actor=None, member=work_only, reason="ill_health", started_on=date(2024, 1, 1), scope="work_only"
    )
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    keys = _keys(meeting)
    assert f"m{quiet.pk}" not in keys
    assert f"m{keen.pk}" in keys
    assert f"m{work_only.pk}" in keys  # exempt from work only: still attends meetings


def test_a_member_who_transferred_out_before_the_day_is_not_notified(world, soon, django_capture_on_commit_callbacks):
    leaving = MemberFactory(org=world.anhoa)
    member_services.member_transfer(actor=None, member=leaving, to_org=world.other_cell, effective_on=today())
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    assert f"m{leaving.pk}" not in _keys(meeting)


def test_email_and_sms_go_once_per_recipient_however_often_the_task_runs(
    world, soon, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    member = world.member_of_anhoa
    member_services.member_update(actor=None, member=member, email="thuong@example.vn", phone="0912345678")
    with caplog.at_level(logging.INFO, logger="chibo.notices.sms"):
        meeting = _plan(world, soon, django_capture_on_commit_callbacks, place="Nhà văn hóa")
        again = meeting_notices_send(meeting_id=meeting.pk, kind="invitation")
    assert again == 0
    assert Notice.objects.filter(meeting=meeting, member=member).count() == 1
    assert [m.to for m in mailoutbox] == [["thuong@example.vn"]]
    assert "Nhà văn hóa" in mailoutbox[0].body
    sms_logs = [r.getMessage() for r in caplog.records if r.name == "chibo.notices.sms"]
    length = len(Notice.objects.get(member=member).subject[:160])
    assert sms_logs == [f"SMS to *******678 ({length} characters)"]
    assert "0912345678" not in caplog.text and "Thường" not in caplog.text


def test_phone_numbers_are_masked_but_for_the_last_three_digits():
    assert mask_phone("+84 912 345 678") == "********678"


def test_a_change_and_a_cancellation_are_new_notices_with_the_reason(world, soon, django_capture_on_commit_callbacks):
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            actor=None,
            meeting=meeting,
            scheduled_date=soon + timedelta(days=1),
            scheduled_time=time(8),
            place="",
            reason="Mưa bão",
        )
    changed = Notice.objects.get(meeting=meeting, kind="changed", member=world.member_of_anhoa)
    assert "Lý do: Mưa bão" in changed.body and f"{soon + timedelta(days=1):%d/%m/%Y}" in changed.body
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=None, meeting=meeting, reason="Chỉ đạo của Đảng ủy")
    assert Notice.objects.filter(meeting=meeting, kind="cancelled").count() == 3
    assert meeting_notices_send(meeting_id=meeting.pk, kind="reminder") == 0  # nobody is reminded of it


def test_nothing_is_sent_for_a_meeting_in_the_past(world, django_capture_on_commit_callbacks):
    meeting = _plan(world, date(2025, 3, 20), django_capture_on_commit_callbacks)
    assert not Notice.objects.filter(meeting=meeting).exists()


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def test_the_periodic_task_sends_generated_meetings_invitation_then_a_reminder(world):
    day = today() + timedelta(days=3)
    meeting = services.meeting_plan(actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=day, notify=False)
    # Three days before: not yet within the one-day notice lead time.
    assert due_notices_send(now=_at(day - timedelta(days=3), 9)) == {"invitations": 0, "reminders": 0}
    # The day before at 9:00 the invitation is due; a reminder is not (it would repeat it).
    assert due_notices_send(now=_at(day - timedelta(days=1), 9)) == {"invitations": 3, "reminders": 0}
    assert due_notices_send(now=_at(day - timedelta(days=1), 9)) == {"invitations": 0, "reminders": 0}
    assert not Notice.objects.filter(meeting=meeting, kind="reminder").exists()


def test_reminders_go_within_the_rule_sets_hours_before(world, django_capture_on_commit_callbacks):
    day = today() + timedelta(days=3)
    meeting = _plan(world, day, django_capture_on_commit_callbacks)
    Notice.objects.filter(meeting=meeting).update(created_at=_at(day - timedelta(days=3), 8))
    assert due_notices_send(now=_at(day - timedelta(days=1), 18)) == {"invitations": 0, "reminders": 0}
    assert due_notices_send(now=_at(day - timedelta(days=1), 19)) == {"invitations": 0, "reminders": 3}
    assert due_notices_send(now=_at(day, 10)) == {"invitations": 0, "reminders": 0}
    reminder = Notice.objects.get(meeting=meeting, kind="reminder", member=world.member_of_anhoa)
    assert reminder.subject.startswith("Nhắc lịch")


def test_the_inbox_shows_my_notices_and_counts_the_unread(client, world, soon, django_capture_on_commit_callbacks):
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    client.force_login(world.anhoa_member)
    assert client.get("/notices/badge/").content.decode().count(">1<") == 1
    page = client.get("/notices/")
    assert [n.member for n in page.context["page"]] == [world.member_of_anhoa]
    mine = Notice.objects.get(meeting=meeting, member=world.member_of_anhoa)
    theirs = Notice.objects.get(meeting=meeting, user=world.supervisor)
    assert client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notices/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert "nav-count" not in client.get("/notices/badge/").content.decode()


def test_the_inbox_costs_the_same_queries_at_two_sizes(
    client, world, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(world.supervisor)
    _plan(world, today() + timedelta(days=5), django_capture_on_commit_callbacks)
    client.get("/notices/")
    with django_assert_max_num_queries(8) as small:
        client.get("/notices/")
    for i in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_plan(
                actor=None, org=world.anhoa, kind="extraordinary", scheduled_date=today() + timedelta(days=6 + i)
            )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get("/notices/")
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(response.context["page"]) == 7


def test_read_all_marks_only_my_notices(client, world, soon, django_capture_on_commit_callbacks):
    meeting = _plan(world, soon, django_capture_on_commit_callbacks)
    client.force_login(world.supervisor)
    client.post("/notices/read-all/")
    assert Notice.objects.filter(meeting=meeting, read_at__isnull=False).count() == 1
    assert RoleGrant.objects.filter(user=world.supervisor).exists()
