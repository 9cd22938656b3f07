"""Import members from a spreadsheet (C2): every row checked, errors reported by row and column, all or nothing.

An upload becomes an `ImportJob` (the file kept under MEDIA_ROOT). The job is checked and, unless it is a
dry run, imported in one transaction with bulk inserts. Memory stays flat whatever the file's length: rows
are read as openpyxl streams them and checked in batches of CHECK_BATCH (what is carried from batch to
batch is one small entry per card number, per card-less person and per cell); the members of a file
without errors wait in a temporary file (a spool on disk) and go in, batch after batch, inside the one
transaction. Files with more rows than
settings.CHIBO_IMPORT_BACKGROUND_ROWS are handled by a Celery task (inline when there is no broker) while
the page polls the job. `import_members()` is the core that pages, the task, commands and tests share.

The file format (columns, header variants) lives in chibo.members.excel and docs/import-template.md.
"""

import logging
import pickle
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import partial
from pathlib import Path
from typing import IO, Any

from django import db
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.workbook.workbook import Workbook

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, has_perm_on, orgs_with
from chibo.core.errors import ChiboError
from chibo.core.history import created_history, records_actor
from chibo.core.vietnamese import normalize_name, unaccent
from chibo.core.workbooks import OLE2_MAGIC, is_encrypted_office_file, open_workbook, reading
from chibo.members.excel import COLUMN_BY_FIELD, MEMBER_SHEET, cell_text, field_for_header, normalize_header
from chibo.members.models import ImportJob, Member, Membership
from chibo.members.services import EDITABLE_FIELDS, build_member, validate_member_fields
from chibo.organizations.models import Organization

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 1000  # a file with more is reported in part: its first errors show what to fix
QUOTE_CHARS = 40  # an error quotes at most this much of the cell it is about
MAX_IGNORED_COLUMNS = 30  # the unused columns named in the report
HEADER_SCAN_ROWS = 20  # exports from the national database put titles above the header row
BATCH_SIZE = 500  # rows per INSERT and per IN (…) lookup, well below SQLite's variable limit
CHECK_BATCH = 2000  # rows read and checked against the database together, then spooled and let go
PROGRESS_EVERY = 250
# Excel date serials below this (1/1/1910) are not dates of anyone on a roll: most likely a bare year.
MIN_DATE_SERIAL = 3654

MEMBER_FIELDS = EDITABLE_FIELDS
NAME_PARTS = ("name_family_middle", "name_family", "name_middle", "name_given")
REQUIRED = ("gender", "birth_date", "joined_on")
HISTORY_FIELDS = ["full_name", "org_id", "card_number", "birth_date", "joined_on", "official_on", "status"]

Source = str | Path | IO[bytes]
MEMBER_TEXT_FIELDS = {f.name: f for f in Member._meta.concrete_fields if isinstance(f, models.CharField)}


@dataclass
class ImportReport:
    """What a check (and an import) found: the rows, the valid ones, the errors by row and column."""

    rows: int = 0
    valid: int = 0
    imported: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int | None, column: str, letter: str, message: str) -> None:
        self.error_count += 1
        self.errors.append({"row": row, "column": column, "letter": letter, "message": message})
        if len(self.errors) >= 2 * MAX_REPORTED_ERRORS:  # a file wrong everywhere stays small in memory
            self._keep_first()

    def _keep_first(self) -> None:
        self.errors.sort(key=lambda e: (e["row"] or 0, column_index_from_string(e["letter"]) if e["letter"] else 0))
        del self.errors[MAX_REPORTED_ERRORS:]

    def finish(self) -> "ImportReport":
        """Errors in the order of the sheet (file-level ones first), the first MAX_REPORTED_ERRORS kept."""
        self._keep_first()
        return self


@dataclass
class Layout:
    """Where the member table sits in the workbook and which column holds which field."""

    sheet: str
    header_row: int
    positions: dict[str, int]  # field → 0-based column index
    headers: dict[str, str]  # field → header as written in the file
    ignored: list[str]
    last_row: int | None  # from the file's dimension record, when it has one

    def column(self, name: str) -> tuple[str, str]:
        """(header as in the file, column letter) of a field, for the report."""
        if name in self.positions:
            return self.headers[name], get_column_letter(self.positions[name] + 1)
        if name == "full_name" and "name_given" in self.positions:
            return self.column("name_given")
        column = COLUMN_BY_FIELD.get(name)
        return (column.header if column else name), ""


# --- Upload checks ----------------------------------------------------------------------------------


def check_upload(upload: UploadedFile) -> None:
    """Refuse, with a clear message, anything but an .xlsx file within the size limit."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix == ".xls":
        raise ChiboError(
            _("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở tệp bằng Excel và lưu lại dạng .xlsx."), field="file"
        )
    if suffix == ".csv":
        raise ChiboError(_("Chỉ nhận tệp Excel .xlsx: hãy mở tệp CSV bằng Excel và lưu lại dạng .xlsx."), field="file")
    if suffix != ".xlsx":
        raise ChiboError(_("Chỉ nhận tệp Excel dạng .xlsx."), field="file")
    if not upload.size:
        raise ChiboError(_("Tệp rỗng."), field="file")
    limit_mb = settings.CHIBO_IMPORT_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ChiboError(
            _("Tệp quá lớn (%(size_mb)s MB); giới hạn là %(limit_mb)s MB. Hãy chia thành nhiều tệp.")
            % {"size_mb": format(upload.size / 1024 / 1024, ".1f"), "limit_mb": limit_mb},
            field="file",
        )
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    if is_encrypted_office_file(head):
        raise ChiboError(
            _("Tệp có mật khẩu bảo vệ: hãy mở bằng Excel, bỏ mật khẩu (Tệp › Thông tin › Bảo vệ) rồi lưu lại."),
            field="file",
        )
    if head.startswith(OLE2_MAGIC):
        raise ChiboError(
            _("Tệp Excel 97–2003 (.xls) đổi đuôi thành .xlsx: hãy mở tệp bằng Excel và lưu lại dạng .xlsx."),
            field="file",
        )
    if head[:4] != b"PK\x03\x04":  # every .xlsx is a zip archive
        raise ChiboError(
            _("Nội dung tệp không phải bảng tính Excel .xlsx (tệp bị hỏng hoặc chỉ đổi đuôi)."), field="file"
        )


def _candidate_sheets(wb: Workbook) -> list[Any]:
    """The sheet the template names when the file has it, else the visible sheets in order: never a hidden
    one, whose content the person uploading does not see."""
    visible = [ws for ws in wb.worksheets if hasattr(ws, "iter_rows") and ws.sheet_state == "visible"]
    named = [ws for ws in visible if normalize_header(ws.title) == normalize_header(MEMBER_SHEET)]
    return named or visible


def find_layout(wb: Workbook, *, has_default_org: bool) -> Layout:
    """The first (visible) sheet with a header row we recognise; refuses a file missing a required column."""
    for ws in _candidate_sheets(wb):
        for number, values in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
            layout = _layout_from_header(ws.title, number, values)
            if layout is not None:
                layout.last_row = ws.max_row
                _check_required_columns(layout, has_default_org=has_default_org)
                return layout
    raise ChiboError(
        _(
            "Không tìm thấy dòng tiêu đề: cần các cột Họ và tên, Giới tính, Ngày sinh, Ngày vào Đảng, "
            "Mã chi bộ (tải tệp mẫu để xem)."
        ),
        field="file",
    )


def _layout_from_header(sheet: str, number: int, values: tuple[object, ...]) -> Layout | None:
    best: dict[str, tuple[int, int]] = {}  # field → (rank, index)
    twice: tuple[int, int] | None = None  # two columns with the same header for one field
    for index, value in enumerate(values):
        found = field_for_header(value)
        if found is None:
            continue
        name, rank = found
        if name in best and rank == best[name][0] and twice is None:
            twice = (best[name][1], index)
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)
    has_name = "full_name" in best or "name_given" in best
    if not has_name or len(best) < 3:
        return None
    if twice is not None:
        first, second = twice
        raise ChiboError(
            _(
                "Cột «%(header)s» có hai lần (cột %(first)s và %(second)s, trang «%(sheet)s», dòng %(row)s): "
                "không biết dùng cột nào; hãy xóa hoặc đổi tên một cột."
            )
            % {
                "header": quote(cell_text(values[second])),
                "first": get_column_letter(first + 1),
                "second": get_column_letter(second + 1),
                "sheet": quote(sheet),
                "row": number,
            },
            field="file",
        )
    positions = {name: index for name, (_, index) in best.items()}
    used = set(positions.values())
    ignored = [quote(cell_text(v)) for i, v in enumerate(values) if i not in used and cell_text(v)]
    if len(ignored) > MAX_IGNORED_COLUMNS:
        ignored[MAX_IGNORED_COLUMNS:] = [_("và %(count)s cột khác") % {"count": len(ignored) - MAX_IGNORED_COLUMNS}]
    headers = {name: cell_text(values[index]) for name, index in positions.items()}
    if "full_name" in positions:  # a full-name column makes any split-name columns redundant
        for part in NAME_PARTS:
            if part in positions:
                ignored.append(headers.pop(part))
                del positions[part]
    return Layout(sheet=sheet, header_row=number, positions=positions, headers=headers, ignored=ignored, last_row=None)


def _check_required_columns(layout: Layout, *, has_default_org: bool) -> None:
    missing = [COLUMN_BY_FIELD[f].header for f in REQUIRED if f not in layout.positions]
    if not has_default_org and "cell_code" not in layout.positions and "cell_name" not in layout.positions:
        missing.append(COLUMN_BY_FIELD["cell_code"].header)
    if missing:
        raise ChiboError(
            _("Thiếu cột bắt buộc: %(columns)s (trang «%(sheet)s», dòng tiêu đề %(header_row)s).")
            % {"columns": ", ".join(missing), "sheet": layout.sheet, "header_row": layout.header_row},
            field="file",
        )


def _data_rows(wb: Workbook, layout: Layout) -> Iterator[tuple[int, dict[str, object]]]:
    """(row number as Excel shows it, {field: raw value}) for every row that is not blank."""
    ws = wb[layout.sheet]
    rows = ws.iter_rows(min_row=layout.header_row + 1, values_only=True)
    for number, values in enumerate(rows, start=layout.header_row + 1):
        raw = {name: (values[i] if i < len(values) else None) for name, i in layout.positions.items()}
        if any(cell_text(v) for v in raw.values()):
            yield number, raw


def inspect_upload(source: Source, *, has_default_org: bool, limit: int) -> tuple[Layout, int]:
    """The layout and the number of data rows, counted up to `limit + 1` only (reading costs ~0.1 ms a row)."""
    wb = open_workbook(source)
    try:
        with reading():
            layout = find_layout(wb, has_default_org=has_default_org)
            counted = 0
            for _row in _data_rows(wb, layout):
                counted += 1
                if counted > limit:
                    break
    finally:
        wb.close()
    if counted == 0:
        raise ChiboError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."), field="file")
    return layout, counted


# --- Reading values ---------------------------------------------------------------------------------


def quote(text: str) -> str:
    """At most QUOTE_CHARS of `text`, for a message: a report never carries a whole hostile cell."""
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_PHONE = re.compile(r"\+?[0-9][0-9 .()\-]{6,18}[0-9]")
_GENDERS = {
    "nam": Member.Gender.MALE,
    "male": Member.Gender.MALE,
    "m": Member.Gender.MALE,
    "nu": Member.Gender.FEMALE,
    "female": Member.Gender.FEMALE,
    "f": Member.Gender.FEMALE,
}


class BadValue(ValueError):
    """A cell whose value cannot be read as its column asks; the message is for the report."""


def read_date(value: object) -> date | None:
    """A real Excel date, a date serial, or text dd/mm/yyyy (also d-m-yyyy, d.m.yyyy and yyyy-mm-dd)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value >= MIN_DATE_SERIAL:
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError, TypeError):
                pass
        raise BadValue(_date_message(text))
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise BadValue(_date_message(text))


def _date_message(text: str) -> str:
    if re.fullmatch(r"\d{4}", text):
        return _("«%(text)s» chỉ có năm; cần đủ ngày, tháng, năm (dd/mm/yyyy).") % {"text": quote(text)}
    return _("«%(text)s» không phải ngày hợp lệ; ghi dạng dd/mm/yyyy.") % {"text": quote(text)}


def read_gender(value: object) -> str | None:
    text = cell_text(value)
    if not text:
        return None
    gender = _GENDERS.get(unaccent(text).strip())
    if gender is None:
        raise BadValue(_("Giới tính «%(text)s» không hợp lệ; ghi Nam hoặc Nữ.") % {"text": quote(text)})
    return gender


def read_phone(value: object) -> str:
    text = cell_text(value)
    # A number typed into a General cell loses its leading 0 (0912… becomes 912…): put it back.
    if isinstance(value, int | float) and len(text) == 9 and not text.startswith("0"):
        text = "0" + text
    if text and not _PHONE.fullmatch(text):
        raise BadValue(_("Số điện thoại «%(text)s» không hợp lệ (chỉ ghi một số).") % {"text": quote(text)})
    return text


def read_email(value: object) -> str:
    text = cell_text(value)
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise BadValue(_("Thư điện tử «%(text)s» không hợp lệ.") % {"text": quote(text)}) from None
    return text


_READERS: dict[str, Callable[[object], Any]] = {
    "gender": read_gender,
    "birth_date": read_date,
    "joined_on": read_date,
    "official_on": read_date,
    "phone": read_phone,
    "email": read_email,
}


# --- Checking rows ----------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    full_name: str
    cell_code: str
    cell_name: str
    fields: dict[str, Any]  # a value that could not be read is None here, and the row is not `readable`
    readable: bool
    too_long: frozenset[str] = frozenset()  # fields already reported as longer than their column


def _max_chars(name: str) -> int:
    """The longest text a column of the file may hold: its database column's, else the setting."""
    limit: int = settings.CHIBO_IMPORT_MAX_CELL_CHARS
    max_length = getattr(MEMBER_TEXT_FIELDS.get(name), "max_length", None)
    return min(limit, max_length) if max_length else limit


def _name_key(name: str) -> str:
    return " ".join(unaccent(name).split())


class _Checker:
    """Checks the rows of one file against the database and the actor's scope, then builds the members."""

    def __init__(self, *, actor: User, layout: Layout, default_org: Organization | None, report: ImportReport):
        self.actor = actor
        self.layout = layout
        self.default_org = default_org
        self.report = report
        self.rows: list[_Row] = []  # the batch being checked
        # Carried from batch to batch: cells by code (None: no such code), whether the actor may import
        # into a cell, the first row of each card number and card-less person, the card-less members of
        # the cells met so far.
        self._cells_by_code: dict[str, Organization | None] = {}
        self._cells_by_name: dict[str, list[Organization]] | None = None
        self._allowed: dict[int, bool] = {}
        self._first_row_of_card: dict[str, int] = {}
        self._first_row_of_person: dict[tuple[int, str, date], int] = {}
        self._people_in_db: set[tuple[int, str, date]] = set()
        self._orgs_read: set[int] = set()
        self.orgs: dict[int, Organization] = {}  # the cells members were built for, by pk

    def fail(self, row: int | None, name: str, message: str) -> None:
        header, letter = self.layout.column(name)
        self.report.add(row, header, letter, message)

    # Pass 1: each row on its own.
    def read(self, number: int, raw: dict[str, object]) -> None:
        errors_before = self.report.error_count
        too_long = self._too_long(number, raw)
        if too_long:
            raw = {name: (None if name in too_long else value) for name, value in raw.items()}
        full_name = cell_text(raw.get("full_name"))
        if not full_name:
            full_name = " ".join(cell_text(raw.get(p)) for p in NAME_PARTS if cell_text(raw.get(p)))
        if not full_name:
            if not too_long & {"full_name", *NAME_PARTS}:
                self.fail(number, "full_name", _("Không được để trống."))
        elif len(full_name.split()) < 2:
            self.fail(
                number, "full_name", _("«%(full_name)s»: cần ghi đủ họ và tên.") % {"full_name": quote(full_name)}
            )
        fields: dict[str, Any] = {}
        for name in MEMBER_FIELDS:
            value = raw.get(name)
            try:
                fields[name] = _READERS[name](value) if name in _READERS else cell_text(value)
            except BadValue as bad:
                self.fail(number, name, str(bad))
                fields[name] = None
                continue
            if name in REQUIRED and not fields[name] and name not in too_long:
                self.fail(number, name, _("Không được để trống."))
        # The row goes on to the checks against the database even when a value was unreadable, so that
        # the report lists everything wrong with it at once.
        readable = self.report.error_count == errors_before
        code, cell_name = cell_text(raw.get("cell_code")), cell_text(raw.get("cell_name"))
        self.rows.append(_Row(number, full_name, code, cell_name, fields, readable, frozenset(too_long)))

    def _too_long(self, number: int, raw: dict[str, object]) -> set[str]:
        """Each text cell within its column's length; a longer one is an error quoting its start, and is
        then read as empty so that nothing downstream copies it (nor reports it again)."""
        too_long = set()
        for name, value in raw.items():
            if not isinstance(value, str):
                continue
            limit = _max_chars(name)
            if len(value) > limit and len(value.strip()) > limit:
                self.fail(
                    number,
                    name,
                    _("Dài %(length)s ký tự, quá giới hạn %(limit)s của cột: «%(start)s».")
                    % {"length": len(value), "limit": limit, "start": quote(value.strip())},
                )
                too_long.add(name)
        return too_long

    # Pass 2: the batch's rows together, against the database and the rows of the batches before.
    def build(self) -> list[Member]:
        """The members of the batch's rows that passed every check; the batch is then let go."""
        rows, self.rows = self.rows, []
        new_codes = {r.cell_code for r in rows if r.cell_code} - self._cells_by_code.keys()
        if new_codes:
            found = self._find_cells_by_code(new_codes)
            self._cells_by_code.update({code: found.get(code) for code in new_codes})
        if self._cells_by_name is None and any(r.cell_name and not r.cell_code for r in rows):
            self._cells_by_name = self._find_cells_by_name()
        orgs: dict[int, Organization] = {}
        for row in rows:
            org = self._resolve_cell(row)
            if org is not None:
                orgs[row.number] = org
        cards_in_db = self._cards_in_db({r.fields["card_number"] for r in rows if r.fields["card_number"]})
        new_orgs = {o.pk for o in orgs.values()} - self._orgs_read
        self._people_in_db |= self._cardless_in_db(new_orgs)
        self._orgs_read |= new_orgs
        first_row_of_card = self._first_row_of_card
        first_row_of_person = self._first_row_of_person
        people_in_db = self._people_in_db
        members = []
        for row in rows:
            org = orgs.get(row.number)
            card = row.fields["card_number"]
            ok = row.readable and org is not None
            if card and card in first_row_of_card:
                self.fail(
                    row.number,
                    "card_number",
                    _("Số thẻ đảng viên %(card)s trùng với dòng %(row)s.")
                    % {"card": quote(card), "row": first_row_of_card[card]},
                )
                ok = False
            elif card and card in cards_in_db:
                self.fail(
                    row.number,
                    "card_number",
                    _("Số thẻ đảng viên %(card)s đã có trong hệ thống.") % {"card": quote(card)},
                )
                ok = False
            elif card:
                first_row_of_card[card] = row.number
            if org is not None and not card and row.full_name and row.fields["birth_date"]:
                # Probationary members have no card yet: name, birth date and cell tell a re-import apart.
                person = (org.pk, normalize_name(row.full_name), row.fields["birth_date"])
                if person in first_row_of_person:
                    self.fail(
                        row.number,
                        "full_name",
                        _("Trùng với dòng %(row)s (cùng họ tên, ngày sinh, chi bộ).")
                        % {"row": first_row_of_person[person]},
                    )
                    ok = False
                elif person in people_in_db:
                    self.fail(
                        row.number,
                        "full_name",
                        _("Đã có đảng viên %(name)s sinh ngày %(birth_date)s trong chi bộ này.")
                        % {"name": quote(person[1]), "birth_date": format(person[2], "%d/%m/%Y")},
                    )
                    ok = False
                else:
                    first_row_of_person[person] = row.number
            try:
                validate_member_fields(row.fields)
            except ChiboError as err:
                self.fail(row.number, err.field or "full_name", err.message)
                ok = False
            if not ok:
                continue
            assert org is not None
            member = build_member(full_name=row.full_name, org=org, **row.fields)
            if self._fits_columns(row.number, member):
                members.append(member)
                self.orgs[org.pk] = org
        return members

    def _may_import_into(self, org: Organization) -> bool:
        if org.pk not in self._allowed:
            self._allowed[org.pk] = has_perm_on(self.actor, org, Perm.EDIT_MEMBERS)
        return self._allowed[org.pk]

    def _resolve_cell(self, row: _Row) -> Organization | None:
        if row.too_long & {"cell_code", "cell_name"}:
            return None  # reported already
        if row.cell_code:
            org = self._cells_by_code.get(row.cell_code)
            if org is None or not self._may_import_into(org):
                # One message for "no such code" and "not yours": a code outside scope reveals nothing.
                self.fail(
                    row.number,
                    "cell_code",
                    _("Không có chi bộ mã «%(cell_code)s» trong phạm vi bạn được nhập đảng viên.")
                    % {"cell_code": quote(row.cell_code)},
                )
                return None
            if not org.is_cell:
                self.fail(
                    row.number,
                    "cell_code",
                    _("Mã «%(cell_code)s» là của %(org)s, không phải một chi bộ.")
                    % {"cell_code": quote(row.cell_code), "org": org.name},
                )
                return None
            if not org.is_active:
                self.fail(
                    row.number,
                    "cell_code",
                    _("%(org)s (mã %(cell_code)s) đã giải thể.") % {"org": org.name, "cell_code": quote(row.cell_code)},
                )
                return None
            return org
        if row.cell_name:
            found = (self._cells_by_name or {}).get(_name_key(row.cell_name), [])
            if len(found) == 1:
                return found[0]
            if not found:
                message = _("Không có chi bộ tên «%(name)s» trong phạm vi bạn được nhập; hãy ghi mã chi bộ.") % {
                    "name": quote(row.cell_name)
                }
            else:
                message = _("Có %(count)s chi bộ tên «%(name)s»; hãy ghi mã chi bộ.") % {
                    "count": len(found),
                    "name": quote(row.cell_name),
                }
            self.fail(row.number, "cell_name", message)
            return None
        if self.default_org is not None:
            return self.default_org
        self.fail(
            row.number, "cell_code" if "cell_code" in self.layout.positions else "cell_name", _("Thiếu mã chi bộ.")
        )
        return None

    def _fits_columns(self, number: int, member: Member) -> bool:
        """Text within each column's length (PostgreSQL refuses longer; SQLite would silently keep it)."""
        fits = True
        for f in Member._meta.concrete_fields:
            if not isinstance(f, models.CharField) or not f.max_length:
                continue
            value = getattr(member, f.attname) or ""
            if len(value) > f.max_length:
                name = f.name if f.name in MEMBER_FIELDS else "full_name"
                label = str(f.verbose_name) if f.name in MEMBER_FIELDS else _("Họ và tên")
                self.fail(
                    number,
                    name,
                    _("%(label)s dài quá %(max_length)s ký tự.")
                    % {"label": label[:1].upper() + label[1:], "max_length": f.max_length},
                )
                fits = False
        return fits

    @staticmethod
    def _find_cells_by_code(codes: set[str]) -> dict[str, Organization]:
        found: dict[str, Organization] = {}
        ordered = sorted(codes)
        for i in range(0, len(ordered), BATCH_SIZE):
            found.update((o.code, o) for o in Organization.objects.filter(code__in=ordered[i : i + BATCH_SIZE]))
        return found

    def _find_cells_by_name(self) -> dict[str, list[Organization]]:
        cells = orgs_with(self.actor, Perm.EDIT_MEMBERS).filter(
            kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True
        )
        by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in cells:
            by_name[_name_key(org.name)].append(org)
        return by_name

    @staticmethod
    def _cards_in_db(cards: set[str]) -> set[str]:
        found: set[str] = set()
        ordered = sorted(cards)
        for i in range(0, len(ordered), BATCH_SIZE):
            chunk = ordered[i : i + BATCH_SIZE]
            found.update(
                c for c in Member.objects.filter(card_number__in=chunk).values_list("card_number", flat=True) if c
            )
        return found

    @staticmethod
    def _cardless_in_db(org_ids: set[int]) -> set[tuple[int, str, date]]:
        if not org_ids:
            return set()
        rows = (
            Member.objects.current()
            .filter(org_id__in=org_ids, card_number__isnull=True)
            .values_list("org_id", "full_name", "birth_date")
        )
        return set(rows)


# --- The import -------------------------------------------------------------------------------------


@records_actor
def import_members(
    *,
    actor: User,
    source: Source,
    default_org: Organization | None = None,
    dry_run: bool,
    progress: Callable[[int], object] | None = None,
    on_writing: Callable[[], object] | None = None,
) -> ImportReport:
    """Check every row of the file; unless `dry_run` or any row is wrong, insert them all in one transaction.

    Not one atomic block as a whole: the progress callback's writes must reach the page that polls them
    while the (long) reading goes on. The insert itself is atomic, so nothing is ever half imported.
    """
    if default_org is not None:
        _check_default_org(actor, default_org)
    report = ImportReport()
    wb = open_workbook(source)
    with _Spool() as spool:
        try:
            with reading():
                layout = find_layout(wb, has_default_org=default_org is not None)
                report.ignored_columns = layout.ignored
                checker = _Checker(actor=actor, layout=layout, default_org=default_org, report=report)

                def check_batch() -> None:
                    members = checker.build()
                    report.valid += len(members)
                    if not dry_run and report.ok:  # once a row is wrong nothing will be inserted
                        spool.add(members)

                for number, raw in _data_rows(wb, layout):
                    report.rows += 1
                    checker.read(number, raw)
                    if len(checker.rows) >= CHECK_BATCH:
                        check_batch()
                    if progress is not None and report.rows % PROGRESS_EVERY == 0:
                        progress(report.rows)
                check_batch()
        finally:
            wb.close()
        if report.rows == 0:
            report.add(None, "", "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
            return report.finish()
        if dry_run or not report.ok:
            return report.finish()
        if on_writing is not None:
            on_writing()
        try:
            report.imported = _insert(spool, checker.orgs)
        except IntegrityError:
            # Someone else saved one of these card numbers between the check and the insert.
            report.add(
                None,
                COLUMN_BY_FIELD["card_number"].header,
                "",
                _("Một số thẻ đảng viên vừa được nhập ở nơi khác; hãy kiểm tra lại tệp."),
            )
        return report.finish()


_SPOOLED_FIELDS = [f.attname for f in Member._meta.concrete_fields if not f.primary_key]


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


class _Spool:
    """Checked members waiting on disk for the insert, a pickled batch at a time: the file's rows are
    never all in memory at once."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by __exit__
        self.batches = 0

    def __enter__(self) -> "_Spool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def add(self, members: list[Member]) -> None:
        if members:
            # Plain values: a choice's enum class is not importable by the name pickle would look for.
            rows = [tuple(_plain(getattr(m, name)) for name in _SPOOLED_FIELDS) for m in members]
            pickle.dump(rows, self.file, protocol=pickle.HIGHEST_PROTOCOL)
            self.batches += 1

    def __iter__(self) -> Iterator[list[tuple[Any, ...]]]:
        self.file.seek(0)
        for _batch in range(self.batches):
            yield pickle.load(self.file)  # noqa: S301 - our own temporary file, written just above


@transaction.atomic
def _insert(spool: _Spool, orgs: dict[int, Organization]) -> int:
    """Every spooled member, their roll and the history of both, batch after batch in one transaction."""
    total = 0
    for rows in spool:
        members = [Member(**dict(zip(_SPOOLED_FIELDS, row, strict=True))) for row in rows]
        created = Member.objects.bulk_create(members, batch_size=BATCH_SIZE)
        # The roll starts the day they joined, as member_create() does when no other date is given. The
        # cell object itself (not only its id) names the roll in its history row without a query.
        rolls = Membership.objects.bulk_create(
            [Membership(member=m, org=orgs[m.org_id], started_on=m.joined_on) for m in created],
            batch_size=BATCH_SIZE,
        )
        # auditlog does not see bulk inserts: the history rows are written here, by the importer (the actor).
        created_history(Member, created, HISTORY_FIELDS)
        created_history(Membership, rolls, ["org_id", "started_on"])
        total += len(created)
    return total


def _check_default_org(actor: User, org: Organization) -> None:
    if not has_perm_on(actor, org, Perm.EDIT_MEMBERS):
        raise ChiboError(_("Bạn không có quyền nhập đảng viên vào chi bộ này."), field="default_org")
    if not org.is_cell:
        raise ChiboError(_("%(org)s không phải một chi bộ.") % {"org": org.name}, field="default_org")
    if not org.is_active:
        raise ChiboError(_("%(org)s đã giải thể.") % {"org": org.name}, field="default_org")


# --- Import jobs ------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def import_job_create(
    *, actor: User, upload: UploadedFile, dry_run: bool, default_org: Organization | None = None
) -> ImportJob:
    """Check the upload itself (type, size, header row, columns), keep the file, and record the job."""
    check_upload(upload)
    if default_org is not None:
        _check_default_org(actor, default_org)
    limit = settings.CHIBO_IMPORT_BACKGROUND_ROWS
    layout, counted = inspect_upload(upload, has_default_org=default_org is not None, limit=limit)
    upload.seek(0)
    # Many rows, or a large file (whose rows may be few but wide), go to the background job.
    background = counted > limit or (upload.size or 0) > settings.CHIBO_IMPORT_BACKGROUND_MB * 1024 * 1024
    if counted > limit:
        # The count stopped at the limit; the file's own dimension record, when present, tells the rest.
        rows_total = max(0, (layout.last_row or 0) - layout.header_row)
    else:
        rows_total = counted
    job = ImportJob(
        created_by=actor,
        original_name=Path(upload.name or "").name[:255],
        dry_run=dry_run,
        background=background,
        default_org=default_org,
        rows_total=rows_total,
    )
    job.file.save("upload.xlsx", upload, save=False)
    job.save()
    return job


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Run the job now, or hand it to a Celery worker when the file is large.

    Without a broker (Celery runs tasks inline), a large file still never ties up the request: it runs in
    a thread of this process while the page polls its progress (settings.CHIBO_IMPORT_THREAD_WITHOUT_BROKER).
    """
    if job.background:
        if settings.CELERY_TASK_ALWAYS_EAGER and settings.CHIBO_IMPORT_THREAD_WITHOUT_BROKER:
            transaction.on_commit(partial(_start_thread, job.pk))
            return job
        from chibo.members.jobs import run_import_job  # the task module imports this one

        transaction.on_commit(partial(run_import_job.delay, job.pk))
        return job
    return import_job_run(job_id=job.pk)


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), name=f"import-job-{job_id}", daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        import_job_run(job_id=job_id)
    finally:
        db.connections.close_all()  # this thread's own connections


def import_job_run(*, job_id: int) -> ImportJob:
    """Check (and import) a pending job, recording progress and the report on it. Safe to call twice."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING
    )
    job = ImportJob.objects.select_related("created_by", "default_org").get(pk=job_id)
    if not claimed:
        return job
    jobs = ImportJob.objects.filter(pk=job_id)
    try:
        with job.file.open("rb") as fh:
            report = import_members(
                actor=job.created_by,
                source=fh,
                default_org=job.default_org,
                dry_run=job.dry_run,
                progress=lambda n: jobs.update(rows_checked=n),
                on_writing=lambda: jobs.update(status=ImportJob.Status.IMPORTING),
            )
    except ChiboError as err:  # the file or the default cell no longer passes (scope changed since upload)
        report = ImportReport()
        report.add(None, "", "", err.message)
    except Exception as exc:
        # No message or traceback: both may carry a member's data (C19, nothing personal in logs).
        logger.error("member import job %s failed: %s", job_id, type(exc).__name__)
        job.status = ImportJob.Status.FAILED
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
        return job
    if report.imported:
        job.status = ImportJob.Status.IMPORTED
    elif report.ok:
        job.status = ImportJob.Status.CHECKED
    else:
        job.status = ImportJob.Status.INVALID
    job.rows_total = job.rows_checked = report.rows
    job.valid_count = report.valid
    job.error_count = report.error_count
    job.imported_count = report.imported
    job.errors = report.errors
    job.ignored_columns = report.ignored_columns
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "rows_total",
            "rows_checked",
            "valid_count",
            "error_count",
            "imported_count",
            "errors",
            "ignored_columns",
            "finished_at",
        ]
    )
    return job


@records_actor
@transaction.atomic
def import_job_commit(*, actor: User, job: ImportJob) -> ImportJob:
    """Turn a dry run that passed into the import itself; the file is checked again before inserting."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise ChiboError(_("Chỉ người tải tệp lên mới nhập được."))
    if not job.dry_run or job.status != ImportJob.Status.CHECKED:
        raise ChiboError(_("Chỉ nhập được một lần chạy thử hợp lệ chưa nhập."))
    if not job.file or not job.file.storage.exists(job.file.name):
        # Uploaded files are purged after a while (purge_import_files).
        raise ChiboError(_("Tệp đã tải lên không còn được lưu; hãy tải tệp lên và chạy thử lại."))
    job.dry_run = False
    job.status = ImportJob.Status.PENDING
    job.rows_checked = 0
    job.finished_at = None
    job.save(update_fields=["dry_run", "status", "rows_checked", "finished_at"])
    return job
