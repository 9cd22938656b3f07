"""Hostile workbooks (issue 14): each one answered with a clear refusal or a bounded report, in bounded
memory, and nothing half saved. The corpus is in hostile.py; bench/hostile_imports.py runs it at full size."""

import json
import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core.errors import ChiboError
from chibo.core.workbooks import open_workbook, reading
from chibo.members.imports import MAX_REPORTED_ERRORS, QUOTE_CHARS, import_job_create, import_job_start
from chibo.members.models import ImportJob, Member
from chibo.members.tests.hostile import CORPUS, Case

pytestmark = pytest.mark.django_db

# Small limits so that small files exercise them: the mechanism is the same at the production sizes.
SIZE = 3 * 1024 * 1024  # bytes of the hostile part or cell
PEAK_MB = 48  # Python memory at the worst moment of an upload, far below the attack's 4.4 GB


@pytest.fixture
def limits(settings):  # type: ignore[no-untyped-def]
    settings.CHIBO_XLSX_MAX_PART_MB = 2
    settings.CHIBO_XLSX_MAX_TOTAL_MB = 4
    settings.CHIBO_XLSX_MAX_STRINGS_MB = 1
    settings.CHIBO_XLSX_MAX_TOKEN_KB = 256
    settings.CHIBO_XLSX_MAX_PARTS = 1000
    settings.CHIBO_XLSX_MAX_ROWS = 10_000
    settings.CHIBO_IMPORT_BACKGROUND_MB = 100  # these run in the request, so the test sees the outcome


def _upload(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile("danh-sach.xlsx", path.read_bytes())


@pytest.fixture
def attempt(world, limits, tmp_path, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Upload a case of the corpus as the ward officer: (refusal, job, peak Python memory in MB)."""

    def run(name: str) -> tuple[ChiboError | None, ImportJob | None, float]:
        case = next(c for c in CORPUS if c.name == name)
        return _attempt(world, case, tmp_path, django_capture_on_commit_callbacks)

    return run


def _attempt(world, case: Case, tmp_path: Path, on_commit) -> tuple[ChiboError | None, ImportJob | None, float]:  # type: ignore[no-untyped-def]
    path = case.write(tmp_path / f"{case.name}.xlsx", world.anhoa.code, SIZE)
    upload = _upload(path)
    tracemalloc.start()
    try:
        with on_commit(execute=True):  # a background job (many rows) runs as the Celery task would
            job = import_job_create(actor=world.ward_officer, upload=upload, dry_run=False)
            job = import_job_start(job=job)
        refused = None
    except ChiboError as err:
        job, refused = None, err
    finally:
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return refused, job, peak / 1024 / 1024


@pytest.mark.parametrize("case", [c for c in CORPUS if c.expect == "refused"], ids=lambda c: c.name)
def test_a_hostile_workbook_is_refused_at_the_file_in_bounded_memory(world, attempt, case):
    refused, job, peak_mb = attempt(case.name)
    assert refused is not None and refused.field == "file", f"{case.name} was not refused"
    assert len(refused.message) < 300
    assert peak_mb < PEAK_MB
    assert not Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").exists()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("case", [c for c in CORPUS if c.expect == "report"], ids=lambda c: c.name)
def test_a_hostile_workbook_gets_a_bounded_report_and_saves_nothing(world, attempt, case):
    refused, job, peak_mb = attempt(case.name)
    assert refused is None and job is not None
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and job.imported_count == 0
    assert 0 < len(job.errors) <= min(MAX_REPORTED_ERRORS, job.error_count)
    assert len(json.dumps(job.errors, ensure_ascii=False)) < 250 * MAX_REPORTED_ERRORS
    assert all(len(e["message"]) < 200 for e in job.errors)
    assert peak_mb < PEAK_MB
    assert not Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").exists()


@pytest.mark.parametrize("case", [c for c in CORPUS if c.expect == "imported"], ids=lambda c: c.name)
def test_only_what_the_visible_member_sheet_holds_is_imported(world, attempt, case):
    refused, job, peak_mb = attempt(case.name)
    assert refused is None and job is not None
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED, job.errors
    assert job.imported_count == case.imported
    assert Member.objects.filter(full_name__startswith="Nguyễn Văn Thử").count() == case.imported
    assert len(job.ignored_columns) <= 31 and all(len(c) <= QUOTE_CHARS for c in job.ignored_columns)
    assert peak_mb < PEAK_MB


def test_a_sheet_of_millions_of_tiny_rows_is_refused_for_its_rows_before_any_parsing(world, attempt):
    refused, job, _peak = attempt("zip_bomb_of_rows")
    assert refused is not None and job is None
    assert refused.message.startswith("Trang tính có hơn 10.000 dòng (")


def test_opening_a_workbook_reads_its_sheets_no_further_than_where_their_rows_start(tmp_path):
    """openpyxl parsed a sheet without a <dimension> record to its end on opening (a 100 MB zip bomb:
    70 s before the first row was read); a broken row far down is now met only when the rows are read."""
    path = next(c for c in CORPUS if c.name == "broken_xml").write(tmp_path / "broken.xlsx", "CB1", 0)
    wb = open_workbook(path)
    ws = wb.worksheets[0]
    assert ws.max_row is None  # no dimension record: nothing read past the start of the data
    with pytest.raises(ChiboError), reading():
        list(ws.iter_rows(values_only=True))
    wb.close()


def test_a_cell_longer_than_its_column_is_an_error_at_its_row_and_column_quoting_its_start(world, attempt):
    _refused, job, _peak = attempt("long_cells")
    assert job is not None
    job.refresh_from_db()
    by_place = {(e["row"], e["letter"]): e["message"] for e in job.errors}
    assert by_place[(2, "G")] == "Dài 6000 ký tự, quá giới hạn 120 của cột: «" + ("Kỹ sư " * 7)[:39] + "…»."
    assert by_place[(3, "A")].startswith("Dài 15000 ký tự, quá giới hạn")


def test_a_report_with_more_errors_than_it_keeps_says_how_many_more(world, attempt, client):
    _refused, job, _peak = attempt("every_cell_wrong")
    assert job is not None
    job.refresh_from_db()
    assert job.error_count == 600 * 5 and len(job.errors) == MAX_REPORTED_ERRORS
    assert [e["row"] for e in job.errors[:6]] == [2] * 5 + [3]  # the first rows, in sheet order
    client.force_login(world.ward_officer)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"Chỉ hiện {MAX_REPORTED_ERRORS} lỗi đầu tiên" in page


def test_a_password_protected_workbook_says_so(world, attempt):
    refused, _job, _peak = attempt("password_protected")
    assert refused is not None and "mật khẩu" in refused.message


def test_two_columns_with_one_header_are_refused_naming_both(world, attempt):
    refused, _job, _peak = attempt("duplicate_header")
    assert refused is not None
    assert refused.message.startswith("Cột «Ngày sinh» có hai lần (cột C và H")


def test_the_list_of_imports_does_not_load_the_reports(world, attempt, client):
    attempt("every_cell_wrong")
    client.force_login(world.ward_officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:import"))
    assert response.status_code == 200
    job_queries = [q["sql"] for q in queries.captured_queries if 'FROM "members_importjob"' in q["sql"]]
    assert job_queries and not any('"members_importjob"."errors"' in sql for sql in job_queries)


@pytest.mark.django_db(transaction=True)
def test_a_large_file_without_a_broker_runs_beside_the_request_not_in_it(settings, tmp_path):
    import threading

    from chibo.testing.factories import build_world

    world = build_world()
    settings.CHIBO_IMPORT_THREAD_WITHOUT_BROKER = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CHIBO_IMPORT_BACKGROUND_MB = 0.001
    case = next(c for c in CORPUS if c.name == "hidden_sheet_before_visible")
    path = case.write(tmp_path / "small.xlsx", world.anhoa.code, SIZE)
    job = import_job_create(actor=world.ward_officer, upload=_upload(path), dry_run=False)
    assert job.background
    returned = import_job_start(job=job)
    assert returned.status == ImportJob.Status.PENDING  # the request goes on without waiting
    for thread in threading.enumerate():
        if thread.name == f"import-job-{job.pk}":
            thread.join(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED and job.imported_count == 1
