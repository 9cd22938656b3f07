"""A member can download their own data, and only their own (C19)."""

import json
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo.audit.models import AccessLog
from chibo.members import services as member_services
from chibo.members.models import Exemption, Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_member(world):
    """An Hòa's plain member, with a note only the cell committee may read, an exemption and a position."""
    member = world.member_of_anhoa
    member_services.member_update(actor=None, member=member, phone="0912000111", strengths="Giỏi tin học (chi ủy ghi)")
    member_services.member_exempt(
        actor=None, member=member, reason=Exemption.Reason.ILL_HEALTH, started_on=date(2024, 5, 1), note="Điều trị"
    )
    member_services.position_assign(
        actor=None, member=member, title=Position.Title.COMMITTEE_MEMBER, started_on=date(2023, 1, 1)
    )
    return member


def test_a_member_downloads_their_record_rolls_positions_and_exemptions_as_json(client, world, rich_member):
    client.force_login(world.anhoa_member)
    response = client.get(reverse("audit:my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "anhoa_member"
    assert [r["role"] for r in data["account"]["roles"]] == ["Đảng viên"]
    member = data["member"]
    assert member["full_name"] == "Nguyễn Thị Thường"
    assert member["phone"] == "0912000111"
    assert member["birth_date"] == "1970-05-17"
    assert [m["cell"] for m in member["memberships"]] == [world.anhoa.name]
    assert [p["title"] for p in member["positions"]] == ["Chi ủy viên"]
    assert member["exemptions"][0]["note"] == "Điều trị"
    assert member["exemptions"][0]["from"] == "2024-05-01"


def test_the_cell_committees_notes_are_not_in_the_download(client, world, rich_member):
    client.force_login(world.anhoa_member)
    body = client.get(reverse("audit:my_data")).content.decode()
    assert "Giỏi tin học" not in body
    assert "strengths" not in body and "aspirations" not in body


def test_the_download_holds_only_the_signed_in_persons_data(client, world, rich_member):
    client.force_login(world.anhoa_secretary)
    data = json.loads(client.get(reverse("audit:my_data"), {"member": rich_member.pk, "pk": rich_member.pk}).content)
    assert data["member"]["full_name"] == "Trần Văn Bí Thư"
    assert "0912000111" not in json.dumps(data)


def test_an_account_without_a_member_record_gets_its_account_data(client, world):
    client.force_login(world.ward_officer)
    data = json.loads(client.get(reverse("audit:my_data")).content)
    assert data["member"] is None
    assert data["account"]["roles"][0]["organization"] == world.ward.name


def test_the_download_is_also_a_workbook_with_dates_as_dates(client, world, rich_member):
    client.force_login(world.anhoa_member)
    response = client.get(reverse("audit:my_data_xlsx"))
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == [
        "Tài khoản",
        "Vai trò",
        "Hồ sơ đảng viên",
        "Quá trình sinh hoạt",
        "Chức vụ",
        "Miễn sinh hoạt",
    ]
    facts = {row[0].value: row[1] for row in wb["Hồ sơ đảng viên"].iter_rows()}
    assert facts["Ngày sinh"].value.date() == date(1970, 5, 17)
    assert facts["Ngày sinh"].number_format == "DD/MM/YYYY"
    assert wb["Miễn sinh hoạt"]["A1"].value == "Phạm vi"


def test_each_download_is_noted_in_the_access_log(client, world):
    client.force_login(world.anhoa_member)
    client.get(reverse("audit:my_data"))
    assert AccessLog.objects.filter(
        user=world.anhoa_member, member=world.member_of_anhoa, action=AccessLog.Action.OWN_DATA
    ).exists()


def test_the_privacy_page_offers_the_downloads_and_says_how_long_logs_are_kept(client, world, settings):
    settings.CHIBO_ACCESS_LOG_RETENTION_DAYS = 365
    client.force_login(world.anhoa_member)
    html = client.get(reverse("audit:privacy")).content.decode()
    assert reverse("audit:my_data") in html and reverse("audit:my_data_xlsx") in html
    assert "365 ngày" in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("audit:my_data"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_workbook_download_writes_the_persons_own_input_as_data(client, world):
    """The personal-data download carries values the person typed: never as formulas (issue 14)."""
    from chibo.core.tests.test_workbooks import assert_written_as_data

    member = world.member_of_anhoa
    member_services.member_update(actor=None, member=member, residence_address='=HYPERLINK("http://x",A1)')
    member_services.member_update(actor=None, member=member, occupation="@SUM(1+1)")
    client.force_login(world.anhoa_member)
    response = client.get(reverse("audit:my_data_xlsx"))
    assert_written_as_data(response.content, ['=HYPERLINK("http://x",A1)', "@SUM(1+1)"])
