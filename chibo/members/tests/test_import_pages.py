"""The import pages and jobs: upload checks, dry run then commit, the background path, the template."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chibo import celery_app
from chibo.members.excel import CODES_SHEET, COLUMNS, MEMBER_SHEET, NOTES_SHEET
from chibo.members.jobs import run_import_job
from chibo.members.models import ImportJob, Member, Membership
from chibo.members.tests.test_import import HEADERS, row, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():  # type: ignore[no-untyped-def]
    """Tasks run inline even when REDIS_URL points the suite at a broker."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def post_file(client, data: BytesIO, *, name: str = "ds.xlsx", dry_run: bool = False, **extra):  # type: ignore[no-untyped-def]
    form = {"file": upload(data, name), **extra}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("members:import"), form)


def good_file(world, n: int = 2, start: int = 0) -> BytesIO:  # type: ignore[no-untyped-def]
    return xlsx(HEADERS, [row(f"Phan Văn Số {i}", f"5{i:05d}", world.anhoa.code) for i in range(start, start + n)])


def test_a_dry_run_upload_shows_the_count_and_commit_imports_it(client, world):
    client.force_login(world.anhoa_secretary)
    response = post_file(client, good_file(world), dry_run=True)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.status, job.valid_count, job.rows_total, job.created_by) == ("checked", 2, 2, world.anhoa_secretary)
    assert job.file.name.startswith("imports/members/") and job.original_name == "ds.xlsx"
    assert not Member.objects.filter(card_number__startswith="5").exists()
    page = client.get(job.get_absolute_url())
    assert "Nhập 2 đảng viên" in page.content.decode()

    client.post(reverse("members:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.imported_count, job.dry_run) == ("imported", 2, False)
    assert Member.objects.filter(card_number__startswith="5", org=world.anhoa).count() == 2
    # A committed job cannot be committed again.
    client.post(reverse("members:import_commit", args=[job.pk]))
    assert Member.objects.filter(card_number__startswith="5").count() == 2


def test_a_file_with_errors_shows_the_report_and_commit_is_refused(client, world):
    client.force_login(world.ward_officer)
    data = xlsx(
        HEADERS, [row("Bùi Văn Một", "61", world.anhoa.code), row("Bùi Văn Hai", "62", world.anhoa.code, birth="x")]
    )
    post_file(client, data)
    job = ImportJob.objects.get()
    assert (job.status, job.error_count, job.valid_count, job.imported_count) == ("invalid", 1, 1, 0)
    assert job.errors == [
        {"row": 3, "column": "Ngày sinh", "letter": "C", "message": "«x» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy."}
    ]
    html = client.get(job.get_absolute_url()).content.decode()
    assert "«x» không phải ngày hợp lệ" in html and "chưa nhập dòng nào" in html
    client.post(reverse("members:import_commit", args=[job.pk]))
    assert not Member.objects.filter(card_number="61").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ds.xls", b"\xd0\xcf\x11\xe0", "Tệp Excel 97–2003 (.xls) chưa được hỗ trợ"),
        ("ds.csv", b"a,b", "Chỉ nhận tệp Excel .xlsx: hãy mở tệp CSV"),
        ("ds.pdf", b"%PDF", "Chỉ nhận tệp Excel dạng .xlsx."),
        ("ds.xlsx", b"%PDF-1.4 renamed", "Nội dung tệp không phải bảng tính Excel .xlsx"),
    ],
)
def test_files_that_are_not_xlsx_are_refused_with_a_clear_message(client, world, name, content, message):
    client.force_login(world.ward_officer)
    response = post_file(client, BytesIO(content), name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, world, settings):
    settings.CHIBO_IMPORT_MAX_UPLOAD_MB = 0
    client.force_login(world.ward_officer)
    response = post_file(client, good_file(world))
    assert response.status_code == 400
    assert "giới hạn là 0 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_without_the_required_columns_is_refused_at_upload(client, world):
    client.force_login(world.ward_officer)
    response = post_file(client, xlsx(["Họ và tên", "Giới tính", "Ngày sinh"], [["A B", "Nam", "01/01/1970"]]))
    assert response.status_code == 400
    assert "Thiếu cột bắt buộc: Ngày vào Đảng, Mã chi bộ" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_default_cell_comes_from_the_list_and_must_be_in_scope(client, world):
    client.force_login(world.anhoa_secretary)
    page = client.get(reverse("members:import"), {"org": world.anhoa.pk}).content.decode()
    assert f'value="{world.anhoa.code}"' in page
    data = xlsx(
        ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"], [["Mạc Văn Một", "Nam", "01/01/1980", "01/01/2010"]]
    )
    response = post_file(client, data, default_org=world.other_cell.code)
    assert response.status_code == 400
    assert "trong phạm vi bạn được nhập đảng viên" in response.content.decode()
    data.seek(0)
    post_file(client, data, default_org=world.anhoa.code)
    assert Member.objects.get(full_name="Mạc Văn Một").org == world.anhoa


def test_a_large_file_runs_in_the_celery_task_and_the_page_polls_it(
    client, world, settings, eager_celery, django_capture_on_commit_callbacks
):  # noqa: E501
    settings.CHIBO_IMPORT_BACKGROUND_ROWS = 3
    client.force_login(world.ward_officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_file(client, good_file(world, 5))
    job = ImportJob.objects.get()
    assert job.background and job.status == "pending"
    # Before the worker starts, the page shows progress and polls with htmx.
    html = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in html
    poll = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert poll.status_code == 200 and "Đã đọc 0/5 dòng" in poll.content.decode()

    for callback in callbacks:  # the commit of the upload hands the job to Celery
        callback()
    job.refresh_from_db()
    assert (job.status, job.imported_count, job.rows_total, job.rows_checked) == ("imported", 5, 5, 5)
    assert Membership.objects.filter(member__card_number__startswith="5").count() == 5
    # Once finished, a poll reloads the page to show the report.
    poll = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert poll.headers["HX-Refresh"] == "true"


def test_the_task_runs_a_job_once_even_if_delivered_twice(world, eager_celery):
    from chibo.members.imports import import_job_create

    job = import_job_create(actor=world.ward_officer, upload=upload(good_file(world, 3)), dry_run=False)
    run_import_job.delay(job.pk)
    run_import_job.delay(job.pk)
    job.refresh_from_db()
    assert job.status == "imported" and job.imported_count == 3
    assert Member.objects.filter(card_number__startswith="5").count() == 3


def test_a_job_that_crashes_is_marked_failed_and_imports_nothing(world, monkeypatch):
    from chibo.members import imports

    job = imports.import_job_create(actor=world.ward_officer, upload=upload(good_file(world, 2)), dry_run=False)

    def boom(members):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_insert", boom)
    imports.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert not Member.objects.filter(card_number__startswith="5").exists()


def test_a_job_is_seen_only_by_its_uploader(client, world):
    client.force_login(world.ward_officer)
    post_file(client, good_file(world), dry_run=True)
    job = ImportJob.objects.get()
    client.force_login(world.town_officer)
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.post(reverse("members:import_commit", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "checked"


def test_people_who_may_not_edit_members_get_no_import_page_nor_links(client, world):
    for persona in (world.viewer, world.anhoa_member, world.supervisor):
        client.force_login(persona)
        assert client.get(reverse("members:import")).status_code == 403
        assert client.get(reverse("members:import_template")).status_code == 403
    client.force_login(world.viewer)
    html = client.get(reverse("members:list")).content.decode()
    assert reverse("members:export") in html and reverse("members:import") not in html
    client.force_login(world.ward_officer)
    html = client.get(reverse("members:list"), {"org": world.anhoa.pk, "q": "thu", "page": 1}).content.decode()
    assert f"{reverse('members:export')}?org={world.anhoa.pk}&amp;q=thu" in html
    assert f"{reverse('members:import')}?org={world.anhoa.pk}" in html


def test_the_template_lists_the_cells_in_scope_and_imports_once_filled(client, world):
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(response.content))
    assert wb.sheetnames == [MEMBER_SHEET, NOTES_SHEET, CODES_SHEET]
    sheet = wb[MEMBER_SHEET]
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert any(dv.formula1 == '"Nam,Nữ"' for dv in sheet.data_validations.dataValidation)
    codes = {r[0] for r in wb[CODES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert codes == {world.anhoa.code, world.other_cell.code}
    assert wb[CODES_SHEET]["C2"].value == "Đảng bộ phường Bình Thạnh"

    sheet.append(["Kiều Văn Mẫu", "Nam", "05/04/1975", "", "03/02/2000", "03/02/2001", world.other_cell.code])
    filled = BytesIO()
    wb.save(filled)
    filled.seek(0)
    post_file(client, filled, name="mau.xlsx")
    assert Member.objects.get(full_name="Kiều Văn Mẫu").org == world.other_cell


def test_committing_a_dry_run_whose_file_was_purged_is_refused_and_nothing_changes(client, world):
    from chibo.core.errors import ChiboError
    from chibo.members.imports import import_job_commit

    client.force_login(world.anhoa_secretary)
    post_file(client, good_file(world), dry_run=True)
    job = ImportJob.objects.get()
    job.file.storage.delete(job.file.name)
    with pytest.raises(ChiboError, match="không còn được lưu"):
        import_job_commit(actor=world.anhoa_secretary, job=job)
    job.refresh_from_db()
    assert (job.status, job.dry_run) == ("checked", True)
    assert not Member.objects.filter(card_number__startswith="5").exists()
