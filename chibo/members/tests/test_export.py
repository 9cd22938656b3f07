"""Exporting member lists to Excel (C2): the list page's filters and scope, sensitive columns, re-import."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from chibo import celery_app
from chibo.accounts.models import Role
from chibo.audit.models import AccessLog
from chibo.members import services
from chibo.members.excel import COLUMNS
from chibo.members.imports import import_members
from chibo.members.models import ImportJob, Member
from chibo.testing.factories import MemberFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():  # type: ignore[no-untyped-def]
    """Tasks run inline even when REDIS_URL points the suite at a broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def export(client, **query):  # type: ignore[no-untyped-def]
    response = client.get(reverse("members:export"), query)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def records(wb) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = list(wb.active.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_export_has_the_template_columns_and_real_dates(client, world):
    MemberFactory(
        org=world.anhoa,
        full_name="Võ Thị Xuất",
        gender=Member.Gender.FEMALE,
        card_number="00012345",
        phone="0912345678",
        strengths="Tuyên truyền",
        aspirations="Muốn học thêm",
    )
    client.force_login(world.ward_officer)
    wb = export(client, org=world.anhoa.pk)
    headers = [c.value for c in wb.active[1]]
    assert headers == [c.header for c in COLUMNS]
    row = next(r for r in records(wb) if r["Họ và tên"] == "Võ Thị Xuất")
    assert row["Giới tính"] == "Nữ" and row["Mã chi bộ"] == world.anhoa.code
    assert row["Tên chi bộ"] == world.anhoa.name
    # Card and phone numbers stay text, leading zeros and all; dates are real dates shown dd/mm/yyyy.
    assert row["Số thẻ đảng viên"] == "00012345" and row["Điện thoại"] == "0912345678"
    assert row["Ngày sinh"].date() == date(1970, 5, 17)
    birth_cell = wb.active.cell(row=2 + [r["Họ và tên"] for r in records(wb)].index("Võ Thị Xuất"), column=3)
    assert birth_cell.number_format == "DD/MM/YYYY"
    assert row["Sở trường"] == "Tuyên truyền" and row["Tâm tư, nguyện vọng"] == "Muốn học thêm"


def test_the_export_follows_the_scope_and_filters_of_the_list(client, world):
    MemberFactory(org=world.other_cell, full_name="Lê Văn Bình Hòa")
    MemberFactory(org=world.other_ward_cell, full_name="Lê Văn Trà Lồng")
    MemberFactory(org=world.anhoa, full_name="Đinh Thị Dự Bị", official_on=None, joined_on=date(2025, 6, 1))
    client.force_login(world.ward_officer)
    names = {r["Họ và tên"] for r in records(export(client))}
    assert names == {"Trần Văn Bí Thư", "Nguyễn Thị Thường", "Lê Văn Bình Hòa", "Đinh Thị Dự Bị"}
    assert {r["Họ và tên"] for r in records(export(client, status="probationary"))} == {"Đinh Thị Dự Bị"}
    assert {r["Họ và tên"] for r in records(export(client, q="binh hoa"))} == {"Lê Văn Bình Hòa"}
    # A node outside scope is 404, as on the list page.
    assert client.get(reverse("members:export"), {"org": world.other_ward_cell.pk}).status_code == 404

    client.force_login(world.anhoa_secretary)
    assert {r["Họ và tên"] for r in records(export(client))} == {
        "Trần Văn Bí Thư",
        "Nguyễn Thị Thường",
        "Đinh Thị Dự Bị",
    }


def test_members_who_left_the_roll_are_not_exported(client, world):
    gone = MemberFactory(org=world.anhoa, full_name="Quách Văn Đi")
    services.member_leave(actor=None, member=gone, left_on=date(2025, 1, 1), reason="transferred_out")
    client.force_login(world.ward_officer)
    assert "Quách Văn Đi" not in {r["Họ và tên"] for r in records(export(client))}


def test_sensitive_columns_only_for_those_who_may_see_them(client, world):
    MemberFactory(org=world.anhoa, full_name="Kim Văn Kín", strengths="Vẽ", aspirations="Riêng tư")
    MemberFactory(org=world.other_cell, full_name="Kim Văn Khác", strengths="Hát", aspirations="Cũng riêng")
    client.force_login(world.viewer)
    headers = [c.value for c in export(client).active[1]]
    assert "Sở trường" not in headers and "Tâm tư, nguyện vọng" not in headers
    assert len(headers) == len(COLUMNS) - 2

    # Viewer of the ward and cell committee of An Hòa: the columns, filled for An Hòa only.
    both = make_user("both", (Role.VIEWER, world.ward), (Role.CELL_COMMITTEE, world.anhoa))
    client.force_login(both)
    rows = {r["Họ và tên"]: r for r in records(export(client))}
    assert rows["Kim Văn Kín"]["Sở trường"] == "Vẽ"
    assert rows["Kim Văn Khác"]["Sở trường"] is None and rows["Kim Văn Khác"]["Tâm tư, nguyện vọng"] is None


def test_an_export_is_written_in_the_access_log(client, world):
    client.force_login(world.ward_officer)
    export(client, org=world.anhoa.pk)
    log = AccessLog.objects.get(action=AccessLog.Action.EXPORT)
    assert (log.user, log.org, log.row_count) == (world.ward_officer, world.anhoa, 2)


def test_the_export_costs_the_same_queries_for_few_and_many_members(client, world, django_assert_num_queries):
    client.force_login(world.ward_officer)
    url = reverse("members:export")
    # Session, user, role grants, the members (one query, read in chunks), the access-log row.
    with django_assert_num_queries(5):
        b"".join(client.get(url).streaming_content)
    MemberFactory.create_batch(30, org=world.other_cell, strengths="x")
    with django_assert_num_queries(5):
        rows = load_workbook(BytesIO(b"".join(client.get(url).streaming_content))).active.max_row
    assert rows == 1 + 32


def test_an_export_imports_again_into_another_database_state(client, world):
    MemberFactory(
        org=world.other_cell,
        full_name="Trương Văn Vòng",
        card_number="55500001",
        residence_address="Khu vực Bình Hòa",
        phone="0987654321",
        email="vong@example.vn",
        occupation="Giáo viên",
        strengths="Tin học",
        aspirations="Chuyển công tác",
    )
    MemberFactory(
        org=world.other_cell, full_name="Tiêu Thị Dự", card_number=None, official_on=None, joined_on=date(2025, 2, 1)
    )
    fields = [
        "full_name",
        "gender",
        "birth_date",
        "card_number",
        "joined_on",
        "official_on",
        "status",
        "org_id",
        "residence_address",
        "phone",
        "email",
        "occupation",
        "strengths",
        "aspirations",
    ]
    before = sorted(Member.objects.filter(org=world.other_cell).values_list(*fields))
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:export"), {"org": world.other_cell.pk})
    data = BytesIO(b"".join(response.streaming_content))

    Member.objects.filter(org=world.other_cell).delete()
    report = import_members(actor=world.ward_officer, source=data, dry_run=False)
    assert report.ok, report.errors
    assert report.imported == 2
    assert sorted(Member.objects.filter(org=world.other_cell).values_list(*fields)) == before


def test_a_large_export_imports_again_through_the_background_job(
    client, world, settings, eager_celery, django_capture_on_commit_callbacks
):
    MemberFactory.create_batch(4, org=world.other_cell)
    client.force_login(world.ward_officer)
    exported = b"".join(client.get(reverse("members:export"), {"org": world.other_cell.pk}).streaming_content)
    names = set(Member.objects.filter(org=world.other_cell).values_list("full_name", flat=True))
    Member.objects.filter(org=world.other_cell).delete()

    settings.CHIBO_IMPORT_BACKGROUND_ROWS = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("members:import"), {"file": SimpleUploadedFile("ds.xlsx", exported)})
    job = ImportJob.objects.get()
    # openpyxl's write-only files carry no dimension record: the total is known only once read.
    assert job.background and job.rows_total == 0
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.imported_count) == ("imported", 4, 4)
    assert set(Member.objects.filter(org=world.other_cell).values_list("full_name", flat=True)) == names


def test_values_that_look_like_formulas_are_exported_as_data(client, world):
    """A name or address imported as =HYPERLINK(...) must not come back as a live link (issue 14)."""
    from chibo.core.tests.test_workbooks import INJECTIONS, assert_written_as_data

    for i, value in enumerate(INJECTIONS):
        MemberFactory(org=world.anhoa, full_name=f"Phạm Văn Công {i}", residence_address=value, occupation=value)
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:export"), {"org": world.anhoa.pk})
    assert_written_as_data(b"".join(response.streaming_content), INJECTIONS)


def test_cell_names_in_the_template_are_written_as_data(client, world):
    from chibo.core.tests.test_workbooks import assert_written_as_data

    world.anhoa.name = "=1+1 Chi bộ"
    world.anhoa.save(update_fields=["name"])
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:import_template"))
    assert_written_as_data(response.content, ["=1+1 Chi bộ"])
