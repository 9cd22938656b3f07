"""Importing members from Excel (C2): header variants, every error by row and column, all or nothing."""

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from chibo.core.errors import ChiboError
from chibo.members.imports import import_members
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization
from chibo.testing.factories import MemberFactory, make_org

pytestmark = pytest.mark.django_db

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Ngày chính thức", "Mã chi bộ"]


def xlsx(headers: list[Any], rows: list[list[Any]], *, above: list[list[Any]] | None = None) -> BytesIO:
    """A workbook in memory: optional title rows, the header row, the data rows."""
    wb = Workbook()
    ws = wb.active
    for line in above or []:
        ws.append(line)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def upload(data: BytesIO, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.getvalue(), content_type="application/octet-stream")


def row(name: str, card: str | None, code: str, **over: Any) -> list[Any]:
    values = {
        "gender": "Nam",
        "birth": "17/05/1970",
        "joined": "01/03/2000",
        "official": "01/03/2001",
    } | over
    return [name, values["gender"], values["birth"], card, values["joined"], values["official"], code]


def run(actor, data: BytesIO, **kw):  # type: ignore[no-untyped-def]
    return import_members(actor=actor, source=data, dry_run=kw.pop("dry_run", False), **kw)


def errors_of(report) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    return [(e["row"], e["column"], e["message"]) for e in report.errors]


# --- What a good file does ------------------------------------------------------------------------


def test_a_good_file_puts_every_member_on_the_roll(world):
    code = world.anhoa.code
    data = xlsx(
        HEADERS,
        [
            row("nguyễn  văn   an", "90000001", code),
            row("Lê Thị Bình", None, code, gender="Nữ", official=None, joined="15/06/2025"),
        ],
    )
    report = run(world.ward_officer, data)
    assert report.ok and report.imported == 2
    an = Member.objects.get(card_number="90000001")
    assert an.full_name == "Nguyễn Văn An"
    assert an.org == world.anhoa and an.status == Member.Status.OFFICIAL
    assert an.birth_date == date(1970, 5, 17) and an.official_on == date(2001, 3, 1)
    binh = Member.objects.get(full_name="Lê Thị Bình")
    assert binh.card_number is None and binh.status == Member.Status.PROBATIONARY
    assert binh.gender == Member.Gender.FEMALE
    # The roll history starts the day each joined, as for a member added by hand.
    roll = Membership.objects.get(member=an)
    assert (roll.org, roll.started_on, roll.ended_on) == (world.anhoa, date(2000, 3, 1), None)
    assert Member.objects.search("nguyen van an").count() == 1


def test_real_excel_dates_and_date_serials_are_accepted(world):
    data = xlsx(
        HEADERS,
        [
            row("Trần Văn Một", "1", world.anhoa.code, birth=date(1965, 2, 3), joined=date(1990, 1, 2)),
            # 36526 is 1/1/2000 as Excel counts days; a date cell that lost its format shows it.
            row("Trần Văn Hai", "2", world.anhoa.code, joined=36526, official="2001-01-01"),
        ],
    )
    report = run(world.ward_officer, data)
    assert report.ok, report.errors
    assert Member.objects.get(card_number="1").birth_date == date(1965, 2, 3)
    hai = Member.objects.get(card_number="2")
    assert (hai.joined_on, hai.official_on) == (date(2000, 1, 1), date(2001, 1, 1))


def test_headers_from_the_national_database_are_recognised_with_or_without_diacritics(world):
    headers = [
        "STT",
        "HO TEN DANG VIEN",
        "Nam/Nữ",
        "Ngày, tháng, năm sinh",
        "Số thẻ ĐV",
        "Ngày kết nạp",
        "Ngày công nhận chính thức",
        "Tên chi bộ",
        "Nơi ở hiện nay",
        "SĐT",
        "E-mail",
        "Nghề nghiệp hiện nay",
        "Dân tộc",
    ]
    values = [1, "Phạm Văn Cường", "nam", "02/09/1968", "77001234", "03/02/1995", "03/02/1996"]
    values += [world.anhoa.name, "Ấp An Hòa", 912345678, "cuong@example.vn", "Nông dân", "Kinh"]
    titles = [["ĐẢNG BỘ PHƯỜNG BÌNH THẠNH"], ["DANH SÁCH ĐẢNG VIÊN"], []]
    report = run(world.ward_officer, xlsx(headers, [values], above=titles))
    assert report.ok, report.errors
    assert report.ignored_columns == ["STT", "Dân tộc"]
    cuong = Member.objects.get(card_number="77001234")
    assert cuong.org == world.anhoa
    assert cuong.residence_address == "Ấp An Hòa"
    # Excel dropped the leading zero of the phone number typed as a number: it comes back.
    assert cuong.phone == "0912345678"
    assert cuong.email == "cuong@example.vn" and cuong.occupation == "Nông dân"


def test_a_name_split_over_two_columns_is_joined(world):
    headers = ["Họ và tên đệm", "Tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Mã chi bộ"]
    data = xlsx(headers, [["Võ Thị", "Hồng", "Nữ", "01/01/1980", "01/01/2010", world.anhoa.code]])
    assert run(world.ward_officer, data).ok
    assert Member.objects.filter(full_name="Võ Thị Hồng", org=world.anhoa).exists()


def test_the_default_cell_fills_rows_without_a_cell(world):
    headers = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"]
    data = xlsx(headers, [["Đỗ Văn Tám", "Nam", "01/01/1980", "01/01/2010"]])
    report = run(world.anhoa_secretary, data, default_org=world.anhoa)
    assert report.ok
    assert Member.objects.get(full_name="Đỗ Văn Tám").org == world.anhoa


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(world):
    data = xlsx(HEADERS, [row("Mai Văn Một", "11", world.anhoa.code), [], [None] * 7, row("X", "12", world.anhoa.code)])
    report = run(world.ward_officer, data, dry_run=True)
    assert report.rows == 2
    assert errors_of(report) == [(5, "Họ và tên", "«X»: cần ghi đủ họ và tên.")]


# --- Every error kind, by row and column ----------------------------------------------------------


@pytest.mark.parametrize(
    ("over", "column", "message"),
    [
        ({"birth": "31/02/1970"}, "Ngày sinh", "«31/02/1970» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy."),
        ({"birth": "1970"}, "Ngày sinh", "«1970» chỉ có năm; cần đủ ngày, tháng, năm (dd/mm/yyyy)."),
        ({"birth": None}, "Ngày sinh", "Không được để trống."),
        ({"joined": "hôm qua"}, "Ngày vào Đảng", "«hôm qua» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy."),
        ({"joined": None}, "Ngày vào Đảng", "Không được để trống."),
        ({"joined": "01/01/1985"}, "Ngày vào Đảng", "Ngày vào Đảng phải khi đã đủ 18 tuổi."),
        ({"official": "01/01/1999"}, "Ngày chính thức", "Ngày chính thức không được trước ngày vào Đảng."),
        ({"birth": "01/01/2999"}, "Ngày sinh", "Ngày sinh không được ở tương lai."),
        ({"gender": "Khác"}, "Giới tính", "Giới tính «Khác» không hợp lệ; ghi Nam hoặc Nữ."),
        ({"gender": None}, "Giới tính", "Không được để trống."),
    ],
)
def test_each_bad_value_is_reported_at_its_row_and_column(world, over, column, message):
    data = xlsx(
        HEADERS, [row("Lý Văn Đúng", "21", world.anhoa.code), row("Lý Văn Sai", "22", world.anhoa.code, **over)]
    )
    report = run(world.ward_officer, data)
    assert errors_of(report) == [(3, column, message)]
    assert report.errors[0]["letter"] == "ABCDEFG"[HEADERS.index(column)]
    assert report.imported == 0
    assert not Member.objects.filter(card_number__in=["21", "22"]).exists()


def test_a_row_with_several_problems_reports_them_all_in_column_order(world):
    code = world.anhoa.code
    data = xlsx(HEADERS, [row("Đoàn Văn Một", "31", code), row("Đoàn Văn Hai", "31", "XX", birth="x", gender="?")])
    assert errors_of(run(world.ward_officer, data)) == [
        (3, "Giới tính", "Giới tính «?» không hợp lệ; ghi Nam hoặc Nữ."),
        (3, "Ngày sinh", "«x» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy."),
        (3, "Số thẻ đảng viên", "Số thẻ đảng viên 31 trùng với dòng 2."),
        (3, "Mã chi bộ", "Không có chi bộ mã «XX» trong phạm vi bạn được nhập đảng viên."),
    ]


def test_bad_email_and_phone_are_reported(world):
    headers = [*HEADERS, "Điện thoại", "Thư điện tử"]
    data = xlsx(headers, [[*row("Hà Văn Thư", "31", world.anhoa.code), "gọi sau", "khong-phai-email"]])
    assert errors_of(run(world.ward_officer, data)) == [
        (2, "Điện thoại", "Số điện thoại «gọi sau» không hợp lệ (chỉ ghi một số)."),
        (2, "Thư điện tử", "Thư điện tử «khong-phai-email» không hợp lệ."),
    ]


def test_a_missing_name_and_a_too_long_value_are_reported(world):
    headers = [*HEADERS, "Nghề nghiệp"]
    data = xlsx(
        headers, [[*row(None, "41", world.anhoa.code)], [*row("Tạ Văn Dài", "42", world.anhoa.code), "x" * 121]]
    )
    assert errors_of(run(world.ward_officer, data)) == [
        (2, "Họ và tên", "Không được để trống."),
        (3, "Nghề nghiệp", "Dài 121 ký tự, quá giới hạn 120 của cột: «" + "x" * 39 + "…»."),
    ]


def test_unknown_cell_codes_and_non_cells_are_reported(world):
    dissolved = make_org("Chi bộ đã giải thể", Organization.Kind.CELL, world.ward)
    Organization.objects.filter(pk=dissolved.pk).update(dissolved_on=date(2024, 1, 1))
    data = xlsx(
        HEADERS,
        [
            row("Kha Văn Một", "51", "KHONG-CO"),
            row("Kha Văn Hai", "52", world.ward.code),
            row("Kha Văn Ba", "53", dissolved.code),
            row("Kha Văn Bốn", "54", ""),
        ],
    )
    assert errors_of(run(world.ward_officer, data)) == [
        (2, "Mã chi bộ", "Không có chi bộ mã «KHONG-CO» trong phạm vi bạn được nhập đảng viên."),
        (3, "Mã chi bộ", f"Mã «{world.ward.code}» là của Đảng bộ phường Bình Thạnh, không phải một chi bộ."),
        (4, "Mã chi bộ", f"Chi bộ đã giải thể (mã {dissolved.code}) đã giải thể."),
        (5, "Mã chi bộ", "Thiếu mã chi bộ."),
    ]


def test_a_cell_outside_the_importers_scope_is_refused_like_an_unknown_one(world):
    data = xlsx(
        HEADERS, [row("Ngô Văn Ngoài", "61", world.other_ward_cell.code), row("Ngô Văn Trong", "62", world.anhoa.code)]
    )
    report = run(world.ward_officer, data)
    assert errors_of(report) == [
        (2, "Mã chi bộ", f"Không có chi bộ mã «{world.other_ward_cell.code}» trong phạm vi bạn được nhập đảng viên.")
    ]
    assert not Member.objects.filter(card_number__in=["61", "62"]).exists()
    # A cell committee may import into its own cell only.
    report = run(world.anhoa_secretary, xlsx(HEADERS, [row("Ngô Văn Bên", "63", world.other_cell.code)]))
    assert [e["column"] for e in report.errors] == ["Mã chi bộ"]


def test_a_cell_name_that_matches_two_cells_asks_for_the_code(world):
    make_org("Chi bộ khu vực An Hòa", Organization.Kind.CELL, world.ward)
    headers = ["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Chi bộ"]
    data = xlsx(headers, [["Lâm Văn Tên", "Nam", "01/01/1980", "01/01/2010", "chi bo khu vuc an hoa"]])
    assert errors_of(run(world.ward_officer, data)) == [
        (2, "Chi bộ", "Có 2 chi bộ tên «chi bo khu vuc an hoa»; hãy ghi mã chi bộ.")
    ]


def test_duplicate_card_numbers_in_the_file_point_at_the_first_row(world):
    code = world.anhoa.code
    data = xlsx(HEADERS, [row("Hồ Văn Một", "71", code), row("Hồ Văn Hai", "72", code), row("Hồ Văn Ba", "71", code)])
    report = run(world.ward_officer, data)
    assert errors_of(report) == [(4, "Số thẻ đảng viên", "Số thẻ đảng viên 71 trùng với dòng 2.")]
    assert report.valid == 2 and report.imported == 0
    assert not Member.objects.filter(card_number__in=["71", "72"]).exists()


def test_a_card_number_already_in_the_database_is_refused_even_from_another_ward(world):
    MemberFactory(org=world.other_ward_cell, card_number="81")
    report = run(world.ward_officer, xlsx(HEADERS, [row("Tô Văn Trùng", "81", world.anhoa.code)]))
    assert errors_of(report) == [(2, "Số thẻ đảng viên", "Số thẻ đảng viên 81 đã có trong hệ thống.")]
    assert Member.objects.filter(card_number="81").count() == 1


def test_importing_the_same_probationary_members_twice_is_refused(world):
    data = xlsx(HEADERS, [row("Lưu Thị Mới", None, world.anhoa.code, official=None, joined="01/06/2025")])
    assert run(world.ward_officer, data).imported == 1
    data.seek(0)
    report = run(world.ward_officer, data)
    assert errors_of(report) == [(2, "Họ và tên", "Đã có đảng viên Lưu Thị Mới sinh ngày 17/05/1970 trong chi bộ này.")]
    assert Member.objects.filter(full_name="Lưu Thị Mới").count() == 1


# --- Dry run, all or nothing, file-level checks ---------------------------------------------------


def test_a_dry_run_reports_the_count_and_saves_nothing(world):
    before = (Member.objects.count(), Membership.objects.count())
    data = xlsx(HEADERS, [row("Chu Văn Thử", "91", world.anhoa.code), row("Chu Văn Thử Hai", "92", world.anhoa.code)])
    report = run(world.ward_officer, data, dry_run=True)
    assert report.ok and report.valid == 2 and report.imported == 0
    assert (Member.objects.count(), Membership.objects.count()) == before


def test_one_bad_row_among_many_imports_nothing(world):
    rows = [row(f"Đặng Văn Số {i}", f"10{i:03d}", world.anhoa.code) for i in range(40)]
    rows[25][2] = "30/13/1970"
    before = (Member.objects.count(), Membership.objects.count())
    report = run(world.ward_officer, xlsx(HEADERS, rows))
    assert errors_of(report) == [(27, "Ngày sinh", "«30/13/1970» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy.")]
    assert report.valid == 39
    assert (Member.objects.count(), Membership.objects.count()) == before


def test_a_file_missing_a_required_column_is_refused_whole(world):
    data = xlsx(["Họ và tên", "Giới tính", "Số thẻ đảng viên", "Mã chi bộ"], [["A B", "Nam", "1", world.anhoa.code]])
    with pytest.raises(ChiboError, match="Thiếu cột bắt buộc: Ngày sinh, Ngày vào Đảng") as err:
        run(world.ward_officer, data)
    assert err.value.field == "file"


def test_a_sheet_without_a_header_row_is_refused(world):
    data = xlsx(["Cột 1", "Cột 2"], [["a", "b"]])
    with pytest.raises(ChiboError, match="Không tìm thấy dòng tiêu đề"):
        run(world.ward_officer, data)


def test_a_file_that_is_not_a_workbook_is_refused(world):
    with pytest.raises(ChiboError, match="không phải bảng tính Excel .xlsx hợp lệ"):
        run(world.ward_officer, BytesIO(b"PK\x03\x04 not really a zip"))


def test_a_default_cell_outside_scope_is_refused(world):
    data = xlsx(["Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng"], [["A B", "Nam", "01/01/1980", "01/01/2010"]])
    with pytest.raises(ChiboError, match="không có quyền") as err:
        run(world.anhoa_secretary, data, default_org=world.other_cell)
    assert err.value.field == "default_org"


def test_the_documented_header_variants_are_exactly_the_recognised_ones():
    from pathlib import Path

    from chibo.members.excel import COLUMNS, NAME_PART_ALIASES, field_for_header, normalize_header

    doc = (Path(__file__).resolve().parents[3] / "docs" / "import-template.md").read_text()
    section = doc.split("## Header variants", 1)[1].split("## Dates", 1)[0]
    documented: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            documented[cells[0].strip("`")] = {normalize_header(h) for h in cells[1].split(";")}
    for column in COLUMNS:
        assert documented[column.field] == {normalize_header(column.header), *column.aliases}, column.field
        assert all(field_for_header(h)[0] == column.field for h in documented[column.field])  # type: ignore[index]
    assert set(documented) == {c.field for c in COLUMNS}
    parts_table = section.split("A name split over", 1)[1].split("Not supported", 1)[0]
    parts = [line.strip().strip("|").split("|") for line in parts_table.splitlines() if line.count("|") == 3]
    documented_parts = [{normalize_header(h) for h in cells[1].split(";")} for cells in parts[2:]]
    assert documented_parts == [set(aliases) for aliases in NAME_PART_ALIASES.values()]


def test_a_file_full_of_errors_keeps_the_first_ones_and_the_total(world, monkeypatch):
    from chibo.members import imports

    monkeypatch.setattr(imports, "MAX_REPORTED_ERRORS", 2)
    data = xlsx(HEADERS, [row(f"Vũ Văn Số {i}", str(i), "XX") for i in range(3)])
    report = run(world.ward_officer, data)
    assert report.error_count == 3
    assert [e["row"] for e in report.errors] == [2, 3]


# --- Long files: checked in batches, inserted in one transaction -----------------------------------


@pytest.fixture
def small_batches(monkeypatch):  # type: ignore[no-untyped-def]
    """Batches of 3 rows, so that a short file crosses several (the mechanism of a 300,000-row file)."""
    monkeypatch.setattr("chibo.members.imports.CHECK_BATCH", 3)


def test_a_card_or_person_seen_in_an_earlier_batch_is_still_a_duplicate(world, small_batches):
    code = world.anhoa.code
    rows = [row(f"Đỗ Văn Lô {i}", f"6{i:07d}", code) for i in range(7)]
    rows.append(row("Đỗ Văn Trùng", "60000001", code))  # row 9: the card of row 3, two batches earlier
    rows += [row("Hà Thị Dự Bị", None, code, official=None), row("Hồ Văn Kế", "61111111", code)]
    rows.append(row("Hà Thị Dự Bị", None, code, official=None))  # row 12: the person of row 10
    report = run(world.ward_officer, xlsx(HEADERS, rows))
    assert [(r, m) for r, _c, m in errors_of(report)] == [
        (9, "Số thẻ đảng viên 60000001 trùng với dòng 3."),
        (12, "Trùng với dòng 10 (cùng họ tên, ngày sinh, chi bộ)."),
    ]
    assert report.imported == 0 and not Member.objects.filter(full_name__startswith="Đỗ Văn").exists()


def test_an_error_in_the_last_batch_leaves_the_batches_before_it_unsaved(world, small_batches):
    code = world.anhoa.code
    rows = [row(f"Đỗ Văn Lô {i}", f"6{i:07d}", code) for i in range(10)]
    rows.append(row("Đỗ Văn Sai", "69999999", "KHONG-CO"))
    report = run(world.ward_officer, xlsx(HEADERS, rows))
    assert report.error_count == 1 and report.valid == 10 and report.imported == 0
    assert not Member.objects.filter(full_name__startswith="Đỗ Văn").exists()


def test_a_file_of_several_batches_is_imported_whole_with_its_rolls(world, small_batches):
    code = world.anhoa.code
    report = run(world.ward_officer, xlsx(HEADERS, [row(f"Đỗ Văn Lô {i}", f"6{i:07d}", code) for i in range(10)]))
    assert report.ok and report.imported == report.valid == 10
    members = Member.objects.filter(full_name__startswith="Đỗ Văn Lô", org=world.anhoa)
    assert members.count() == 10
    assert Membership.objects.filter(member__in=members, org=world.anhoa, ended_on__isnull=True).count() == 10


def test_the_queries_of_an_import_do_not_grow_with_its_rows(world):
    """One batch of 5 rows and one of 40 cost the same queries (the roll's history once named its member
    and cell with two queries a row); a first import of 2 rows fills the process's caches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    code = world.anhoa.code
    reads, inserts = [], []
    for start, n in ((200, 2), (0, 5), (100, 40)):
        data = xlsx(HEADERS, [row(f"Đỗ Văn Lô {i}", f"6{i:07d}", code) for i in range(start, start + n)])
        with CaptureQueriesContext(connection) as queries:
            assert run(world.ward_officer, data).imported == n
        sql = [q["sql"] for q in queries.captured_queries]
        inserts.append(sum(q.startswith("INSERT") for q in sql))
        reads.append(len(sql) - inserts[-1])
    assert reads[1] == reads[2]
    # SQLite takes at most 999 parameters a statement, so 40 members of some 30 columns go in two INSERTs where
    # PostgreSQL needs one: a statement per batch, never one per row.
    assert inserts[2] <= inserts[1] + 2
