"""The member spreadsheet format (C2): its columns, the header variants we recognise, and the files we write.

One format serves the import template, the import and the export, so that an exported list imports again.
Headers are a data-exchange format like the national member database's (CSDL đảng viên) own exports, so
they stay in Vietnamese whatever the page language; docs/import-template.md documents them.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.vietnamese import unaccent
from chibo.core.workbooks import data_row, data_value
from chibo.members.models import Member
from chibo.organizations.models import Organization

DATE_FORMAT = "DD/MM/YYYY"
MEMBER_SHEET = "Đảng viên"
NOTES_SHEET = "Hướng dẫn"
CODES_SHEET = "Mã chi bộ"
SENSITIVE_FIELDS = ("strengths", "aspirations")


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template and the export write it
    required: bool
    kind: str  # text, date, gender, email, phone, code
    width: int
    note: str  # what to write, for the notes sheet and the documentation
    # Header variants, normalised by normalize_header(), best first: when a file has two columns that
    # mean the same field ("Họ và tên đang dùng" and "Họ và tên khai sinh"), the earlier variant wins.
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "full_name",
        "Họ và tên",
        True,
        "text",
        28,
        "Họ, tên đệm và tên, viết có dấu.",
        (
            "ho va ten",
            "ho ten",
            "ho va ten dang dung",
            "ho ten dang dung",
            "ho va ten dang vien",
            "ho ten dang vien",
            "ten dang vien",
            "ho va ten khai sinh",
            "ho ten khai sinh",
            "full name",
        ),
    ),
    Column(
        "gender",
        "Giới tính",
        True,
        "gender",
        10,
        "Nam hoặc Nữ (có dấu hoặc không dấu).",
        ("gioi tinh", "gioi", "nam nu", "phai", "gender", "sex"),
    ),
    Column(
        "birth_date",
        "Ngày sinh",
        True,
        "date",
        12,
        "Ngày dạng dd/mm/yyyy hoặc ô kiểu ngày của Excel.",
        ("ngay sinh", "ngay thang nam sinh", "sinh ngay", "ngay sinh dang vien", "birth date", "date of birth"),
    ),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        False,
        "code",
        16,
        "Để trống nếu chưa có thẻ (đảng viên dự bị). Không được trùng.",
        (
            "so the dang vien",
            "so the dv",
            "so the",
            "so the dang",
            "the dang vien",
            "ma the dang vien",
            "card number",
        ),
    ),
    Column(
        "joined_on",
        "Ngày vào Đảng",
        True,
        "date",
        13,
        "Ngày được kết nạp; khi đã đủ 18 tuổi.",
        (
            "ngay vao dang",
            "ngay ket nap",
            "ngay ket nap dang",
            "ngay ket nap vao dang",
            "ngay vao dang lan dau",
            "joined on",
        ),
    ),
    Column(
        "official_on",
        "Ngày chính thức",
        False,
        "date",
        13,
        "Ngày được công nhận chính thức; để trống nếu đang dự bị.",
        (
            "ngay chinh thuc",
            "ngay vao dang chinh thuc",
            "ngay cong nhan chinh thuc",
            "ngay duoc cong nhan chinh thuc",
            "ngay cong nhan dang vien chinh thuc",
            "ngay chuyen chinh thuc",
            "ngay chuyen dang chinh thuc",
            "official on",
        ),
    ),
    Column(
        "cell_code",
        "Mã chi bộ",
        True,
        "code",
        12,
        "Mã của chi bộ nơi đảng viên sinh hoạt (xem trang «Mã chi bộ»).",
        ("ma chi bo", "ma chi bo sinh hoat", "ma to chuc dang", "ma to chuc", "ma don vi", "cell code"),
    ),
    Column(
        "cell_name",
        "Tên chi bộ",
        False,
        "text",
        28,
        "Chỉ để đọc; dùng khi không ghi mã chi bộ (tên phải khớp đúng một chi bộ).",
        ("ten chi bo", "chi bo", "chi bo sinh hoat", "noi sinh hoat", "to chuc dang", "ten to chuc dang"),
    ),
    Column(
        "residence_address",
        "Nơi cư trú",
        False,
        "text",
        36,
        "Địa chỉ nơi ở hiện nay.",
        (
            "noi cu tru",
            "noi o hien nay",
            "noi o hien tai",
            "cho o hien nay",
            "noi o",
            "dia chi cu tru",
            "dia chi",
            "dia chi thuong tru",
            "noi thuong tru",
            "dia chi lien he",
            "address",
        ),
    ),
    Column(
        "phone",
        "Điện thoại",
        False,
        "phone",
        14,
        "Số điện thoại; nên định dạng ô là văn bản để giữ số 0 đầu.",
        ("dien thoai", "so dien thoai", "sdt", "so dt", "dt", "dien thoai di dong", "di dong", "phone"),
    ),
    Column(
        "email",
        "Thư điện tử",
        False,
        "email",
        24,
        "Địa chỉ thư điện tử hợp lệ.",
        ("thu dien tu", "email", "e mail", "dia chi email", "dia chi thu dien tu"),
    ),
    Column(
        "occupation",
        "Nghề nghiệp",
        False,
        "text",
        20,
        "Nghề nghiệp hiện nay.",
        ("nghe nghiep", "nghe nghiep hien nay", "cong viec", "cong viec hien nay", "occupation"),
    ),
    Column(
        "strengths",
        "Sở trường",
        False,
        "text",
        24,
        "Không bắt buộc; chỉ chi ủy và cấp trên xem được.",
        ("so truong", "so truong nang khieu", "nang khieu", "strengths"),
    ),
    Column(
        "aspirations",
        "Tâm tư, nguyện vọng",
        False,
        "text",
        30,
        "Không bắt buộc; chỉ chi ủy và cấp trên xem được.",
        ("tam tu nguyen vong", "tam tu va nguyen vong", "tam tu", "nguyen vong", "aspirations"),
    ),
)
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}

# Files that split the name ("Họ và tên đệm" | "Tên", or "Họ" | "Tên đệm" | "Tên"): joined back, in this
# order, when the file has no full-name column.
NAME_PART_ALIASES = {
    "name_family_middle": ("ho va ten dem", "ho va dem", "ho dem", "ho va chu lot", "ho chu lot"),
    "name_family": ("ho",),
    "name_middle": ("ten dem", "chu lot", "dem"),
    "name_given": ("ten", "ten goi"),
}


def _alias_table() -> dict[str, tuple[str, int]]:
    table: dict[str, tuple[str, int]] = {}
    for column in COLUMNS:
        for rank, alias in enumerate((normalize_header(column.header), *column.aliases)):
            table.setdefault(alias, (column.field, rank))
    for part, aliases in NAME_PART_ALIASES.items():
        for rank, alias in enumerate(aliases):
            table.setdefault(alias, (part, rank))
    return table


_PARENTHESES = re.compile(r"\([^)]*\)|\[[^]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalize_header(value: object) -> str:
    """'Ngày vào Đảng (dd/mm/yyyy) *' → 'ngay vao dang': no diacritics, notes in brackets, punctuation."""
    if value is None:
        return ""
    text = _PARENTHESES.sub(" ", str(value))
    return _NOT_WORD.sub(" ", unaccent(text)).strip()


def field_for_header(value: object) -> tuple[str, int] | None:
    """(field, preference rank) the header means, or None for a column we do not use."""
    return _ALIASES.get(normalize_header(value))


# --- Writing --------------------------------------------------------------------------------------


def _header_font(column: Column) -> Font:
    return Font(bold=True, color="B71C1C" if column.required else "000000")


# Where each column's value comes from, for QuerySet.values_list(): model instances would cost more than
# the spreadsheet itself at 50,000 rows.
EXPORT_SOURCES = {"cell_code": "org__code", "cell_name": "org__name"}
_ORG_PATH = "org__path"


def export_columns(with_sensitive_columns: bool) -> list[Column]:
    return [c for c in COLUMNS if with_sensitive_columns or c.field not in SENSITIVE_FIELDS]


def export_rows(members: QuerySet[Member], *, with_sensitive_columns: bool) -> QuerySet[Any]:
    """The list's members as tuples in the order of export_columns(), then the cell's tree path."""
    sources = [EXPORT_SOURCES.get(c.field, c.field) for c in export_columns(with_sensitive_columns)]
    return members.values_list(*sources, _ORG_PATH)


def write_members(
    rows: Iterable[tuple[Any, ...]],
    out: IO[bytes],
    *,
    with_sensitive_columns: bool,
    may_see_sensitive: Callable[[str], bool],
) -> int:
    """Write export_rows() to `out` as .xlsx in openpyxl's write-only mode (constant memory); returns the count.

    `may_see_sensitive(org_path)` says whether the reader may see strengths and aspirations of that
    cell's members; where not, those cells stay empty.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(MEMBER_SHEET)
    columns = export_columns(with_sensitive_columns)
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.header)
        cell.font = _header_font(column)
        header.append(cell)
    ws.append(header)

    genders = {value: str(label) for value, label in Member.Gender.choices}
    gender_at = next(i for i, c in enumerate(columns) if c.field == "gender")
    sensitive_at = [i for i, c in enumerate(columns) if c.field in SENSITIVE_FIELDS]
    # One styled cell per date column, reused row after row: openpyxl writes each row as it is appended.
    date_cells: dict[int, WriteOnlyCell] = {}
    for i, column in enumerate(columns):
        if column.kind == "date":
            date_cells[i] = WriteOnlyCell(ws)
            date_cells[i].number_format = DATE_FORMAT
    count = 0
    for *values, org_path in rows:
        values[gender_at] = genders.get(values[gender_at], values[gender_at])
        if sensitive_at and not may_see_sensitive(org_path):
            for i in sensitive_at:
                values[i] = None
        for i, cell in date_cells.items():
            if values[i] is not None:
                cell.value = values[i]
                values[i] = cell
        # Empty text is left out of the file rather than written as empty strings; text that Excel would
        # take for a formula is written as data (chibo.core.workbooks).
        ws.append([data_value(ws, v) if v != "" else None for v in values])
        count += 1
    wb.save(out)
    return count


def write_template(out: IO[bytes], *, cells: list[Organization]) -> None:
    """The import template: the member sheet with validation, a notes sheet, and the cells the user may fill
    (annotated with `parent_name`, since many cells share a name)."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = MEMBER_SHEET
    _template_member_sheet(ws, n_cells=len(cells))
    _template_notes_sheet(wb.create_sheet(NOTES_SHEET))
    codes = wb.create_sheet(CODES_SHEET)
    codes.append(["Mã chi bộ", "Tên chi bộ", "Trực thuộc"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for org in cells:
        codes.append(data_row(codes, [org.code, org.name, getattr(org, "parent_name", None) or ""]))
    for letter, width in (("A", 14), ("B", 40), ("C", 40)):
        codes.column_dimensions[letter].width = width
    codes.freeze_panes = "A2"
    wb.save(out)


def _template_member_sheet(ws: Worksheet, *, n_cells: int) -> None:
    ws.append([c.header for c in COLUMNS])
    ws.freeze_panes = "A2"
    last = 5000  # rows covered by validation; the import itself reads every row
    for i, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        head = ws.cell(row=1, column=i)
        head.font = _header_font(column)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        if column.required:
            head.fill = PatternFill("solid", fgColor="FDECEA")
        ws.column_dimensions[letter].width = column.width
        area = f"{letter}2:{letter}{last}"
        validation = _validation_for(column, letter, n_cells)
        if validation is not None:
            validation.add(area)
            ws.add_data_validation(validation)
        if column.kind in ("date", "code", "phone"):
            # Column styles apply to what the user types in Excel: dates shown dd/mm/yyyy, codes and
            # phone numbers kept as text so that leading zeros survive.
            ws.column_dimensions[letter].number_format = DATE_FORMAT if column.kind == "date" else "@"


def _validation_for(column: Column, letter: str, n_cells: int) -> DataValidation | None:
    if column.kind == "gender":
        dv = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
        dv.error = "Ghi Nam hoặc Nữ."
    elif column.kind == "date":
        # A warning, not a stop: dates typed as text (dd/mm/yyyy) are accepted by the import too.
        dv = DataValidation(
            type="date",
            operator="between",
            formula1="DATE(1900,1,1)",
            formula2="DATE(2100,12,31)",
            allow_blank=True,
            errorStyle="warning",
        )
        dv.error = "Ngày không hợp lệ; ghi dạng dd/mm/yyyy."
        dv.prompt = "Ngày dạng dd/mm/yyyy"
    elif column.field == "cell_code" and n_cells:
        dv = DataValidation(type="list", formula1=f"'{CODES_SHEET}'!$A$2:$A${n_cells + 1}", allow_blank=True)
        dv.error = "Mã chi bộ không có trong danh sách bạn được nhập (trang «Mã chi bộ»)."
    elif column.kind == "email":
        dv = DataValidation(
            type="custom", formula1=f'ISNUMBER(FIND("@",{letter}2))', allow_blank=True, errorStyle="warning"
        )
        dv.error = "Địa chỉ thư điện tử không hợp lệ."
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = column.header
    if dv.prompt:
        dv.showInputMessage = True
        dv.promptTitle = column.header
    return dv


def _template_notes_sheet(ws: Worksheet) -> None:
    ws.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        ws.append([column.header, "Có" if column.required else "", column.note])
    ws.append([])
    for line in (
        "Mỗi dòng là một đảng viên; dòng trống được bỏ qua.",
        "Ngày ghi dạng dd/mm/yyyy (ví dụ 05/04/1975) hoặc dùng ô kiểu ngày của Excel.",
        "Nếu tệp có lỗi ở bất kỳ dòng nào thì không dòng nào được nhập; sửa theo báo cáo rồi tải lên lại.",
        "Tên cột có thể có hoặc không có dấu; các tên cột thường gặp trong tệp xuất từ CSDL đảng viên cũng được nhận.",
        "Cột «Mã chi bộ» có thể bỏ trống nếu chọn chi bộ mặc định khi tải lên.",
    ):
        ws.append([line])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 80


# --- Reading cell values ----------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates as dd/mm/yyyy, whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


_ALIASES = _alias_table()
