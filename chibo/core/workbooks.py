"""Workbooks in and out, safely: uploaded .xlsx files checked before any parser sees them, and every value
we write kept as data, never as a formula.

Reading. An .xlsx is a zip of XML parts. A 400 KB upload can hold a part of gigabytes (a "zip bomb") or a
single cell of hundreds of megabytes; openpyxl would hold either in memory. `check_xlsx_archive()` reads
the archive's directory and streams each XML part once, in chunks, before openpyxl opens it, and refuses:
  - more parts than settings.CHIBO_XLSX_MAX_PARTS, a part above CHIBO_XLSX_MAX_PART_MB uncompressed or a
    whole above CHIBO_XLSX_MAX_TOTAL_MB (Python's zipfile never inflates a part past its declared size, so
    the declared sizes are the bound; a part that lies about its size fails its CRC), or a shared-strings
    table above CHIBO_XLSX_MAX_STRINGS_MB (openpyxl keeps that table in memory, the sheets it streams);
  - a document type declaration or entity (<!DOCTYPE, <!ENTITY: entity expansion, XXE) and CDATA, which
    Excel never writes;
  - any token (text or tag) longer than CHIBO_XLSX_MAX_TOKEN_KB between two '<': Excel's own limit is
    32,767 characters a cell, so nothing legitimate comes near it;
  - a worksheet of more than CHIBO_XLSX_MAX_ROWS rows (its `<row` elements, counted in the same pass): a
    zip bomb of millions of tiny rows fits under the size limits but would take minutes to parse.
Opening a read-only sheet, openpyxl looks for its <dimension> record by parsing up to the end of the
sheet's data when the record is missing (a whole 100 MB bomb, 70 s and 180 MB of empty elements, before
we read a single row); `_parse_dimensions` below stops at the start of the data instead.
A password-protected workbook is not a zip but an OLE2 container with an "EncryptionInfo" stream: it gets
its own message. openpyxl parses with defusedxml when it is installed (it is), a second line of defence.

Writing. `data_row()` turns values into cells that Excel and LibreOffice read as data: text starting with
= + - @ tab or CR (or the full-width ＝ ＋ － ＠) is written as a string cell with Excel's quote prefix
(the apostrophe that shows "this is text", kept when the cell is edited), following OWASP's guidance on
CSV injection without changing the value itself, so an exported list imports again unchanged. Characters
XML cannot carry are dropped instead of failing the export. Every export goes through it.
"""

import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG, WorkSheetParser
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import iterparse

from chibo.core.errors import ChiboError

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1024 * 1024
_FORBIDDEN_MARKUP = (b"<!DOCTYPE", b"<!ENTITY", b"<![CDATA[")
_LT = ord("<")
_ROW_MARKS = (b"<row ", b"<row>", b":row ", b":row>")  # <row …> and a prefixed <x:row …>


class HostileWorkbook(ChiboError):
    """The upload is refused before parsing; the message says why, for the file field."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


def is_encrypted_office_file(head: bytes) -> bool:
    """An OLE2 file holding an "EncryptionInfo" stream: how Office saves a workbook with a password."""
    return head.startswith(OLE2_MAGIC) and "EncryptionInfo".encode("utf-16-le") in head


def check_xlsx_archive(source: str | Path | IO[bytes]) -> None:
    """Refuse an archive whose parts are too many, too large, or carry markup a workbook never needs."""
    max_parts = settings.CHIBO_XLSX_MAX_PARTS
    max_part = settings.CHIBO_XLSX_MAX_PART_MB * 1024 * 1024
    max_total = settings.CHIBO_XLSX_MAX_TOTAL_MB * 1024 * 1024
    max_token = settings.CHIBO_XLSX_MAX_TOKEN_KB * 1024
    max_strings = settings.CHIBO_XLSX_MAX_STRINGS_MB * 1024 * 1024
    max_rows = settings.CHIBO_XLSX_MAX_ROWS
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as archive:
            parts = archive.infolist()
            if len(parts) > max_parts:
                raise HostileWorkbook(
                    _("Tệp có %(count)s thành phần, quá giới hạn %(limit)s; đây không phải bảng tính thông thường.")
                    % {"count": len(parts), "limit": max_parts}
                )
            total = sum(p.file_size for p in parts)
            strings = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
            if total > max_total or strings > max_strings or any(p.file_size > max_part for p in parts):
                raise HostileWorkbook(
                    _(
                        "Tệp khi giải nén quá lớn (%(size_mb)s MB; giới hạn %(part_mb)s MB mỗi phần, "
                        "%(total_mb)s MB cả tệp). Hãy chia thành nhiều tệp."
                    )
                    % {
                        "size_mb": format(total / 1024 / 1024, ".0f"),
                        "part_mb": settings.CHIBO_XLSX_MAX_PART_MB,
                        "total_mb": settings.CHIBO_XLSX_MAX_TOTAL_MB,
                    }
                )
            for part in parts:
                if part.flag_bits & 0x1:
                    raise HostileWorkbook(_("Tệp có mật khẩu bảo vệ: hãy mở bằng Excel, bỏ mật khẩu rồi lưu lại."))
                if part.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as stream:
                        rows = _scan_part(stream, max_token)
                    if rows > max_rows and "worksheets/" in part.filename:
                        raise HostileWorkbook(
                            _("Trang tính có hơn %(limit)s dòng (%(rows)s dòng); hãy chia thành nhiều tệp.")
                            % {"limit": f"{max_rows:,}".replace(",", "."), "rows": f"{rows:,}".replace(",", ".")}
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise HostileWorkbook(
            _("Không đọc được tệp: tệp không phải bảng tính Excel .xlsx hợp lệ hoặc bị hỏng.")
        ) from exc
    finally:
        if position is not None and hasattr(source, "seek"):
            source.seek(position)


def _scan_part(stream: IO[bytes], max_token: int) -> int:
    """One pass over a part in 1 MB chunks: no forbidden markup, no run of more than `max_token` bytes
    between two '<' (numpy finds the '<' of a chunk at memory speed). Returns the `<row` elements seen."""
    run = 0  # bytes since the last '<', carried over chunk boundaries
    rows = 0
    tail = b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        # A mark across the boundary is counted in `window`; one wholly inside `tail` was counted before.
        rows += sum(window.count(mark) - tail.count(mark) for mark in _ROW_MARKS)
        if any(marker in window for marker in _FORBIDDEN_MARKUP):
            raise HostileWorkbook(
                _("Tệp chứa khai báo XML không được phép (DOCTYPE, ENTITY hoặc CDATA): không phải tệp do Excel tạo.")
            )
        tail = chunk[-16:]
        where = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == _LT)
        if where.size == 0:
            run += len(chunk)
        else:
            gaps = int(np.diff(where).max()) - 1 if where.size > 1 else 0
            if max(run + int(where[0]), gaps) > max_token:
                run = max_token + 1
            else:
                run = len(chunk) - int(where[-1]) - 1
        if run > max_token:
            raise HostileWorkbook(
                _("Tệp có một ô hoặc thành phần dài bất thường (trên %(limit)s KB); Excel không tạo ô dài như vậy.")
                % {"limit": settings.CHIBO_XLSX_MAX_TOKEN_KB}
            )
    return rows


def _parse_dimensions(self: WorkSheetParser) -> tuple[int, int, int, int] | None:
    """openpyxl's WorkSheetParser.parse_dimensions, stopping where the sheet's data starts.

    openpyxl listens for "end" events only, and <sheetData> ends after the last row: a sheet without a
    <dimension> record (Excel always writes one; generated and hostile files may not) was parsed whole,
    keeping an empty element per row, every time a read-only workbook was opened."""
    for _event, element in iterparse(self.source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            boundaries: tuple[int, int, int, int] = SheetDimension(ref=element.get("ref")).boundaries
            return boundaries
        if element.tag == DATA_TAG:
            break
    return None


WorkSheetParser.parse_dimensions = _parse_dimensions  # type: ignore[method-assign]


# What a broken or hostile part makes the parsers raise (XML syntax errors are SyntaxErrors, defusedxml's
# refusals ValueErrors) once the archive guard has let it through.
_UNREADABLE = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    SyntaxError,
)


@contextmanager
def reading() -> Iterator[None]:
    """Turn a parser's failure anywhere in reading the workbook into a clear refusal, never a 500."""
    try:
        yield
    except ChiboError:
        raise
    except _UNREADABLE as exc:
        raise ChiboError(
            _("Không đọc được tệp: tệp không phải bảng tính Excel .xlsx hợp lệ hoặc bị hỏng."), field="file"
        ) from exc


def open_workbook(source: str | Path | IO[bytes]) -> Workbook:
    """An uploaded workbook, read-only and values only, after check_xlsx_archive(): every import opens
    its file here (members, households). Rows are parsed as they are read: iterate them within reading()."""
    check_xlsx_archive(source)  # sizes and markup, before openpyxl parses anything
    with reading():
        return load_workbook(source, read_only=True, data_only=True)


# --- Writing ----------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def data_value(ws: Any, value: Any, *, number_format: str | None = None) -> Any:
    """`value` ready for ws.append(): plain when it cannot be read as a formula, else a string cell with
    the quote prefix. Dates get `number_format` when given."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if value.startswith(FORMULA_STARTS):
            cell = Cell(ws, row=1, column=1)  # placed by append(); write-only sheets need a position
            cell._value = value  # bypass openpyxl's "starts with = means formula" guess
            cell.data_type = "s"
            cell.quotePrefix = True
            return cell
        return value
    if number_format and isinstance(value, date | datetime):
        cell = Cell(ws, row=1, column=1, value=value)
        cell.number_format = number_format
        return cell
    return value


def data_row(ws: Any, values: Iterable[Any], *, date_format: str | None = None) -> list[Any]:
    """A row for ws.append() (normal or write-only sheet) whose every value is data."""
    return [data_value(ws, v, number_format=date_format) for v in values]
