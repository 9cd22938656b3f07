"""One's own data as a workbook: the same content as the JSON download, one sheet per section."""

import re
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Column headings of each section, in Vietnamese (the JSON keeps stable English keys for machines).
_LABELS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "email": "Thư điện tử",
    "date_joined": "Ngày tạo tài khoản",
    "role": "Vai trò",
    "organization": "Tổ chức",
    "from": "Từ ngày",
    "to": "Đến trước ngày",
    "gender": "Giới tính",
    "birth_date": "Ngày sinh",
    "card_number": "Số thẻ đảng viên",
    "joined_on": "Ngày vào Đảng",
    "official_on": "Ngày chính thức",
    "status": "Trạng thái",
    "cell": "Chi bộ",
    "residence_address": "Nơi cư trú",
    "phone": "Điện thoại",
    "occupation": "Nghề nghiệp",
    "left_on": "Ngày ra khỏi danh sách",
    "left_reason": "Lý do",
    "kind": "Hình thức",
    "reason": "Lý do",
    "title": "Chức vụ",
    "scope": "Phạm vi",
    "note": "Ghi chú",
}


def _cell_value(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value)
    return value


def _write_row(ws: Worksheet, values: list[Any]) -> None:
    ws.append([_cell_value(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, date):
            cell.number_format = "DD/MM/YYYY"


def _facts_sheet(ws: Worksheet, facts: dict[str, Any]) -> None:
    for key, value in facts.items():
        if not isinstance(value, list):
            _write_row(ws, [_LABELS.get(key, key), value])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40


def _table_sheet(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    if not rows:
        ws.append(["Không có."])
        return
    keys = list(rows[0])
    ws.append([_LABELS.get(k, k) for k in keys])
    for row in rows:
        _write_row(ws, [row[k] for k in keys])


def personal_data_workbook(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tài khoản"
    _facts_sheet(ws, data["account"])
    _table_sheet(wb.create_sheet("Vai trò"), data["account"]["roles"])
    member = data["member"]
    if member is not None:
        _facts_sheet(wb.create_sheet("Hồ sơ đảng viên"), member)
        _table_sheet(wb.create_sheet("Quá trình sinh hoạt"), member["memberships"])
        _table_sheet(wb.create_sheet("Chức vụ"), member["positions"])
        _table_sheet(wb.create_sheet("Miễn sinh hoạt"), member["exemptions"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
