"""What a meeting document may be: at most 10 MB, PDF, Word (.docx), Excel (.xlsx), JPG or PNG — checked by
the file's content, not only its name, so a renamed executable or a broken file is refused.

Five formats are recognised by their signatures with the standard library (a .docx/.xlsx is a ZIP
holding the OOXML part that names it); a dependency on libmagic would be heavier than this."""

import zipfile
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from chibo.core.errors import ChiboError

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str


PDF = FileType(".pdf", "application/pdf")
DOCX = FileType(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileType(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JPG = FileType(".jpg", "image/jpeg")
PNG = FileType(".png", "image/png")
BY_EXTENSION = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".jpg": JPG, ".jpeg": JPG, ".png": PNG}


def _sniff(f: IO[bytes]) -> FileType | None:
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPG
    if head.startswith(b"PK\x03\x04"):
        try:
            # Only the directory is read, nothing is decompressed (no zip-bomb risk).
            names = set(zipfile.ZipFile(f).namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            f.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_upload(f: IO[bytes], *, name: str, size: int) -> FileType:
    """The file's type, or ChiboError with a Vietnamese reason (field "file")."""
    if size <= 0:
        raise ChiboError(_("Tệp rỗng, không có nội dung."), field="file")
    if size > MAX_BYTES:
        raise ChiboError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.") % {"size": _megabytes(size), "max": MAX_BYTES // 2**20},
            field="file",
        )
    dot = name.rfind(".")
    claimed = BY_EXTENSION.get(name[dot:].lower()) if dot >= 0 else None
    if claimed is None:
        raise ChiboError(_("Chỉ nhận tệp PDF, Word (.docx), Excel (.xlsx), ảnh JPG hoặc PNG."), field="file")
    found = _sniff(f)
    if found != claimed:
        raise ChiboError(
            _("Nội dung tệp không phải %(ext)s như tên tệp: tệp bị hỏng hoặc bị đổi đuôi.")
            % {"ext": claimed.extension.lstrip(".").upper()},
            field="file",
        )
    return found
