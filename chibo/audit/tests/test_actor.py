"""The actor on every change (issue 14): whichever way a write comes in, the history says who made it."""

import ast
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from chibo.accounts.tokens import token_issue
from chibo.audit.models import MemberChange
from chibo.core.history import acting_as
from chibo.meetings.models import Meeting
from chibo.meetings.tests.conftest import plan_meeting
from chibo.members import services as member_services
from chibo.members.imports import import_job_create, import_job_start
from chibo.members.models import Member, Membership

pytestmark = pytest.mark.django_db


def _entries(instance, action=None):  # type: ignore[no-untyped-def]
    entries = LogEntry.objects.get_for_object(instance)
    return entries.filter(action=action) if action is not None else entries


def test_a_change_made_on_a_page_names_the_signed_in_user(client, world):
    member = world.member_of_anhoa
    client.force_login(world.anhoa_secretary)
    page = client.get(reverse("members:edit", args=[member.pk]))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"occupation": "Giáo viên", "birth_date": "17/05/1970", "joined_on": member.joined_on.strftime("%d/%m/%Y")}
    if member.official_on:
        data["official_on"] = member.official_on.strftime("%d/%m/%Y")
    response = client.post(reverse("members:edit", args=[member.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _entries(member, LogEntry.Action.UPDATE).get()
    assert entry.actor == world.anhoa_secretary and "occupation" in entry.changes_dict


def test_a_change_made_with_an_api_token_names_the_tokens_user(world):
    """Ninja authenticates the bearer token after auditlog's middleware ran: the service names the actor."""
    meeting = plan_meeting(world.anhoa)
    chair, recorder = Member.objects.filter(org=world.anhoa)[:2]
    token = token_issue(user=world.anhoa_secretary)[1]
    response = Client().post(
        f"/api/v1/meetings/{meeting.pk}/open",
        {"chair_id": chair.pk, "recorder_id": recorder.pk},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    entry = _entries(meeting, LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == world.anhoa_secretary


def test_an_import_run_by_the_background_job_names_the_uploader_on_every_member(
    world, django_capture_on_commit_callbacks, settings
):
    settings.CHIBO_IMPORT_BACKGROUND_ROWS = 1  # two rows: the Celery job runs it
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Mã chi bộ"])
    ws.append(["Đỗ Văn Một", "Nam", "01/01/1980", "01/01/2010", world.anhoa.code])
    ws.append(["Đỗ Thị Hai", "Nữ", "01/01/1981", "01/01/2011", world.anhoa.code])
    out = BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("a.xlsx", out.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(actor=world.ward_officer, upload=upload, dry_run=False)
        assert job.background
        import_job_start(job=job)
    imported = Member.objects.filter(full_name__startswith="Đỗ")
    assert imported.count() == 2
    for member in imported:
        created = _entries(member, LogEntry.Action.CREATE).get()
        assert created.actor == world.ward_officer
        assert created.changes_dict["full_name"][1] == member.full_name
        roll = Membership.objects.get(member=member)
        assert _entries(roll, LogEntry.Action.CREATE).get().actor == world.ward_officer
        # …and the member's history page finds them.
        assert MemberChange.objects.filter(member_id=member.pk).count() == 2


def test_a_management_command_names_the_user_it_acts_for(world):
    call_command("generate_meetings", world.anhoa.code, "2031", "--month", "3", "--actor", world.ward_officer.username)
    meeting = Meeting.objects.get(org=world.anhoa, scheduled_date__year=2031)
    assert _entries(meeting, LogEntry.Action.CREATE).get().actor == world.ward_officer


def test_a_transfers_bulk_end_of_the_old_roll_is_in_the_history_with_its_actor(world):
    member = world.member_of_anhoa
    old_roll = Membership.objects.get(member=member, ended_on__isnull=True)
    member_services.member_transfer(
        actor=world.ward_officer, member=member, to_org=world.other_cell, effective_on=date(2025, 3, 1)
    )
    ended = _entries(old_roll, LogEntry.Action.UPDATE).get()
    assert ended.actor == world.ward_officer
    assert ended.changes_dict["ended_on"] == ["None", "2025-03-01"]
    assert MemberChange.objects.filter(log_entry=ended, member_id=member.pk).exists()


def test_leaving_the_rolls_ends_the_roll_in_the_history_with_its_actor(world):
    member = world.member_of_anhoa
    roll = Membership.objects.get(member=member, ended_on__isnull=True)
    member_services.member_leave(
        actor=world.ward_officer, member=member, left_on=date(2025, 6, 1), reason=Member.LeftReason.DECEASED
    )
    entry = _entries(roll, LogEntry.Action.UPDATE).get()
    assert entry.actor == world.ward_officer and entry.changes_dict["ended_on"][1] == "2025-06-01"


def test_acting_as_nobody_leaves_the_actor_empty(world):
    member = world.member_of_anhoa
    with acting_as(None):
        member_services.member_update(actor=None, member=member, occupation="Nông dân")
    assert _entries(member, LogEntry.Action.UPDATE).get().actor is None


def test_every_service_taking_an_actor_records_it():
    """The guard: a new service with `actor` and without @records_actor fails here, naming it."""
    root = Path(__file__).resolve().parents[2]
    missing = []
    for path in [*root.glob("*/services.py"), root / "members" / "imports.py", root / "accounts" / "tokens.py"]:
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                args = [a.arg for a in node.args.kwonlyargs + node.args.args]
                decorators = {ast.unparse(d) for d in node.decorator_list}
                if "actor" in args and "records_actor" not in decorators:
                    missing.append(f"{path.parent.name}.{node.name}")
    assert missing == []
