"""One's own data as a workbook: the same content as the JSON download, one sheet per section."""

import re
from datetime import date
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from chibo.core.workbooks import data_row

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Column headings of each section, in the reader's language (the JSON keeps stable English keys for machines).
_LABELS = {
    "username": gettext_noop("Tên đăng nhập"),
    "full_name": gettext_noop("Họ và tên"),
    "email": gettext_noop("Thư điện tử"),
    "date_joined": gettext_noop("Ngày tạo tài khoản"),
    "role": gettext_noop("Vai trò"),
    "organization": gettext_noop("Tổ chức"),
    "from": gettext_noop("Từ ngày"),
    "to": gettext_noop("Đến trước ngày"),
    "gender": gettext_noop("Giới tính"),
    "birth_date": gettext_noop("Ngày sinh"),
    "card_number": gettext_noop("Số thẻ đảng viên"),
    "joined_on": gettext_noop("Ngày vào Đảng"),
    "official_on": gettext_noop("Ngày chính thức"),
    "status": gettext_noop("Trạng thái"),
    "cell": gettext_noop("Chi bộ"),
    "residence_address": gettext_noop("Nơi cư trú"),
    "phone": gettext_noop("Điện thoại"),
    "occupation": gettext_noop("Nghề nghiệp"),
    "left_on": gettext_noop("Ngày ra khỏi danh sách"),
    "left_reason": gettext_noop("Lý do"),
    "kind": gettext_noop("Hình thức"),
    "reason": gettext_noop("Lý do"),
    "title": gettext_noop("Chức vụ"),
    "scope": gettext_noop("Phạm vi"),
    "note": gettext_noop("Ghi chú"),
}


def _label(key: str) -> str:
    return _(_LABELS[key]) if key in _LABELS else key


def _cell_value(value: Any) -> Any:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value)
    return value


def _write_row(ws: Worksheet, values: list[Any]) -> None:
    """As data, never as formulas (chibo.core.workbooks): a name or address is the person's own input."""
    ws.append(data_row(ws, [_cell_value(v) for v in values], date_format="DD/MM/YYYY"))


def _facts_sheet(ws: Worksheet, facts: dict[str, Any]) -> None:
    for key, value in facts.items():
        if not isinstance(value, list):
            _write_row(ws, [_label(key), value])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 40


def _table_sheet(ws: Worksheet, rows: list[dict[str, Any]]) -> None:
    if not rows:
        ws.append([_("Không có.")])
        return
    keys = list(rows[0])
    ws.append(data_row(ws, [_label(k) for k in keys]))
    for row in rows:
        _write_row(ws, [row[k] for k in keys])


def personal_data_workbook(data: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Tài khoản")
    _facts_sheet(ws, data["account"])
    _table_sheet(wb.create_sheet(_("Vai trò")), data["account"]["roles"])
    member = data["member"]
    if member is not None:
        _facts_sheet(wb.create_sheet(_("Hồ sơ đảng viên")), member)
        _table_sheet(wb.create_sheet(_("Quá trình sinh hoạt")), member["memberships"])
        _table_sheet(wb.create_sheet(_("Chức vụ")), member["positions"])
        _table_sheet(wb.create_sheet(_("Miễn sinh hoạt")), member["exemptions"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
