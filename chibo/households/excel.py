"""The household spreadsheet (template, import, export) and the health station's monthly export (C13).

The reading machinery is the member import's (chibo.members.imports: the upload checks, opening a workbook
safely, the report by row and column; chibo.members.excel: reading cells and headers): only the columns
and the rows' rules are the households' own.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chibo.accounts.models import User
from chibo.core.errors import ChiboError
from chibo.core.workbooks import data_row, data_value, open_workbook, reading
from chibo.households.models import Area, Household, LiaisonEvent
from chibo.households.services import HOUSEHOLD_FIELDS, build_household, households_insert, validate_household
from chibo.members.excel import cell_text, normalize_header
from chibo.members.imports import BadValue, ImportReport, Source, quote, read_phone
from chibo.organizations.models import Organization

SHEET = "Hộ dân"
HEADER_SCAN_ROWS = 20


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool
    width: int
    note: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("head_name", "Chủ hộ", True, 26, "Họ và tên chủ hộ, có dấu.", ("chu ho", "ho ten chu ho", "ten chu ho")),
    Column("street", "Số nhà, đường", False, 28, "Số nhà, tên đường hoặc hẻm.", ("so nha duong", "dia chi", "so nha")),
    Column(
        "hamlet",
        "Khu vực, ấp",
        True,
        16,
        "Một khu vực, ấp của địa bàn chi bộ (trang «Hướng dẫn» liệt kê).",
        ("khu vuc ap", "khu vuc", "ap", "to", "khu vuc ap to"),
    ),
    Column("ward", "Phường, xã", False, 20, "Để trống: phường, xã của địa bàn.", ("phuong xa", "phuong", "xa")),
    Column("people", "Số nhân khẩu", False, 10, "Số người trong hộ (1–99).", ("so nhan khau", "nhan khau", "so nguoi")),
    Column("phone", "Điện thoại", False, 14, "Số điện thoại của hộ.", ("dien thoai", "so dien thoai", "sdt")),
    Column("lat", "Vĩ độ", False, 11, "Không bắt buộc; ví dụ 9.681234.", ("vi do", "lat", "latitude")),
    Column("lon", "Kinh độ", False, 11, "Không bắt buộc; ví dụ 105.571234.", ("kinh do", "lon", "lng", "longitude")),
    Column("notes", "Ghi chú", False, 30, "Hoàn cảnh, lưu ý khi đến hộ.", ("ghi chu",)),
)
_ALIASES = {alias: c.field for c in COLUMNS for alias in (normalize_header(c.header), *c.aliases)}


# --- Template and export -------------------------------------------------------------------------------


def _header(ws: Worksheet, columns: tuple[Column, ...] | list[Column]) -> None:
    ws.append([c.header for c in columns])
    for i, column in enumerate(columns, start=1):
        ws.cell(row=1, column=i).font = Font(bold=True, color="B71C1C" if column.required else "000000")
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"


def write_template(out: IO[bytes], *, area: Area) -> None:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET
    _header(ws, COLUMNS)
    notes = wb.create_sheet("Hướng dẫn")
    notes.append(["Cột", "Bắt buộc", "Cách ghi"])
    for column in COLUMNS:
        notes.append([column.header, "Có" if column.required else "", column.note])
    notes.append([])
    notes.append([f"Địa bàn: {area.ward}; khu vực, ấp: {', '.join(area.hamlets)}."])
    notes.append(["Có lỗi ở bất kỳ dòng nào thì không dòng nào được nhập; sửa theo báo cáo rồi tải lên lại."])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 70
    wb.save(out)


def write_households(households: list[Household], out: IO[bytes]) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET)
    ws.append([c.header for c in COLUMNS])
    for h in households:
        ws.append(data_row(ws, [getattr(h, c.field) if getattr(h, c.field) != "" else None for c in COLUMNS]))
    wb.save(out)
    return len(households)


# Only what the health sector needs to follow a resident: no member, no party data.
HEALTH_HEADERS = (
    "Ngày về",
    "Người về",
    "Về từ (tỉnh, thành phố)",
    "Chủ hộ",
    "Địa chỉ",
    "Điện thoại hộ",
    "Số nhân khẩu",
    "Đã báo",
    "Người nhận tin",
    "Lúc báo",
    "Ghi chú",
)


def write_health(events: list[LiaisonEvent], out: IO[bytes], *, title: str) -> int:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "Báo trạm y tế"
    ws.append([title])
    ws["A1"].font = Font(bold=True)
    ws.append(list(HEALTH_HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for e in events:
        h = e.household
        notified_at = timezone.localtime(e.notified_at).replace(tzinfo=None) if e.notified_at else None
        row = data_row(
            ws,
            [
                e.arrived_on,
                e.person_name,
                e.arrived_from,
                h.head_name,
                h.address,
                h.phone,
                h.people,
                e.get_notified_display() if e.notified else "",
                e.notified_contact,
                None,
                e.text,
            ],
            date_format="DD/MM/YYYY",
        )
        row[9] = data_value(ws, notified_at, number_format="DD/MM/YYYY HH:MM")
        ws.append(row)
    for i, width in enumerate((12, 22, 22, 22, 36, 14, 10, 18, 20, 17, 30), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    wb.save(out)
    return len(events)


# --- Import ----------------------------------------------------------------------------------------------


def read_coordinate(value: object) -> Decimal | None:
    text = cell_text(value).replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("«%(text)s» không phải một số tọa độ (ví dụ 9.681234).") % {"text": quote(text)}) from None
    if not number.is_finite():
        raise BadValue(_("«%(text)s» không phải một số tọa độ (ví dụ 9.681234).") % {"text": quote(text)})
    return number.quantize(Decimal("0.000001"))


def read_people(value: object) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if not text.isdigit():
        raise BadValue(_("Số nhân khẩu «%(text)s» phải là số nguyên.") % {"text": quote(text)})
    return int(text)


_READERS = {"lat": read_coordinate, "lon": read_coordinate, "people": read_people, "phone": read_phone}


def _find_header(wb: Any) -> tuple[Any, int, dict[str, int]]:
    for ws in wb.worksheets:
        # Never a hidden sheet, whose content the person uploading does not see (as the member import).
        if not hasattr(ws, "iter_rows") or ws.sheet_state != "visible":
            continue
        for number, values in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            positions: dict[str, int] = {}
            for i, value in enumerate(values):
                name = _ALIASES.get(normalize_header(value))
                if name and name not in positions:
                    positions[name] = i
            if "head_name" in positions and "hamlet" in positions:
                return ws, number, positions
    raise ChiboError(
        _("Không tìm thấy dòng tiêu đề: cần ít nhất các cột Chủ hộ và Khu vực, ấp (tải tệp mẫu để xem)."), field="file"
    )


def import_households(
    *, actor: User | None, cell: Organization, area: Area, source: Source, dry_run: bool
) -> ImportReport:
    """Check every row; unless `dry_run` or any row is wrong, insert them all in one transaction."""
    report = ImportReport()
    wb = open_workbook(source)
    try:
        with reading():  # rows are parsed as they are read: a broken part is a clear refusal
            ws, header_row, positions = _find_header(wb)
            letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
            headers = {c.field: c.header for c in COLUMNS}
            keys_in_db = set(Household.objects.filter(cell=cell).values_list("dedup_key", flat=True))
            first_row: dict[str, int] = {}
            built: list[Household] = []

            def fail(row: int, name: str, message: str) -> None:
                report.add(row, headers.get(name, name), letters.get(name, ""), message)

            rows = ws.iter_rows(min_row=header_row + 1, values_only=True)
            for number, values in enumerate(rows, start=header_row + 1):
                raw = {name: (values[i] if i < len(values) else None) for name, i in positions.items()}
                if not any(cell_text(v) for v in raw.values()):
                    continue
                report.rows += 1
                fields: dict[str, Any] = {}
                ok = True
                for name in HOUSEHOLD_FIELDS:
                    try:
                        fields[name] = _READERS[name](raw.get(name)) if name in _READERS else cell_text(raw.get(name))
                    except BadValue as bad:
                        fail(number, name, str(bad))
                        fields[name] = None
                        ok = False
                if not ok:
                    continue
                try:
                    validate_household(fields, area)
                except ChiboError as err:
                    fail(number, err.field or "head_name", err.message)
                    continue
                household = build_household(cell=cell, area=area, **fields)
                if household.dedup_key in first_row:
                    fail(
                        number,
                        "head_name",
                        _("Trùng với dòng %(row)s (cùng chủ hộ và địa chỉ).") % {"row": first_row[household.dedup_key]},
                    )
                    continue
                if household.dedup_key in keys_in_db:
                    fail(number, "head_name", _("Hộ này (cùng chủ hộ và địa chỉ) đã có trong danh sách."))
                    continue
                first_row[household.dedup_key] = number
                built.append(household)
    finally:
        wb.close()
    if report.rows == 0:
        report.add(None, "", "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    report.valid = len(built)
    if dry_run or not report.ok:
        return report.finish()
    report.imported = households_insert(households=built)
    return report.finish()
