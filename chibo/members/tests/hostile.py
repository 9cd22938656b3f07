"""A corpus of hostile workbooks, written part by part (streamed, so a 400 MB cell costs no memory to make).

Used by test_hostile_workbooks.py (small sizes, lowered limits) and bench/hostile_imports.py (the sizes of
the attack in issue 14: a 400 MB cell, a 1 GB part). Each case says what the import must answer:
"refused" (the upload is refused at the file field), "report" (a bounded error report, nothing saved) or
"imported" (the rows of the visible member sheet only).
"""

import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from chibo.core.workbooks import OLE2_MAGIC

HEADERS = ["Họ và tên", "Giới tính", "Ngày sinh", "Số thẻ đảng viên", "Ngày vào Đảng", "Mã chi bộ", "Nghề nghiệp"]
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MB = 1024 * 1024


def _content_types(n_sheets: int, shared: bool) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n_sheets + 1)
    )
    strings = (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        if shared
        else ""
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}{strings}</Types>"
    )


def _workbook(sheets: list[tuple[str, str]]) -> str:
    entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
        for i, (name, state) in enumerate(sheets, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook {NS} xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>'
    )


def _workbook_rels(n_sheets: int, shared: bool) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n_sheets + 1)
    )
    if shared:
        rels += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )


ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: Iterable[list[object]], *, prologue: str = "") -> Iterable[str]:
    """A worksheet, yielded in pieces."""
    yield f'<?xml version="1.0" encoding="UTF-8"?>{prologue}<worksheet {NS}><sheetData>'
    for r, values in enumerate(rows, start=1):
        yield f'<row r="{r}">' + "".join(_cell(f"{_letter(c)}{r}", v) for c, v in enumerate(values)) + "</row>"
    yield "</sheetData></worksheet>"


def member_row(code: str, i: int, occupation: object = "Kỹ sư") -> list[object]:
    return [f"Nguyễn Văn Thử {i}", "Nam", "17/05/1970", f"7{i:07d}", "01/03/2000", code, occupation]


@dataclass
class Part:
    name: str
    pieces: Callable[[], Iterable[str | bytes]]


def write_xlsx(path: Path, parts: list[Part], *, sheets: list[tuple[str, str]], shared: bool = False) -> Path:
    """An .xlsx whose worksheet (and shared-strings) parts are streamed from `parts`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _content_types(len(sheets), shared))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", _workbook(sheets))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets), shared))
        for part in parts:
            with z.open(part.name, "w") as out:
                for piece in part.pieces():
                    out.write(piece.encode() if isinstance(piece, str) else piece)
    return path


def _repeat(text: str, total: int) -> Iterable[str]:
    block = text * max(1, MB // len(text))
    written = 0
    while written < total:
        yield block
        written += len(block)


@dataclass(frozen=True)
class Case:
    name: str
    expect: str  # refused | report | imported
    write: Callable[[Path, str, int], Path]  # (path, cell code, size in bytes of the hostile part) → path
    imported: int = 0  # for "imported": how many rows


def _huge_inline_cell(path: Path, code: str, size: int) -> Path:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
    header = "".join(_cell(f"{_letter(c)}1", v) for c, v in enumerate(HEADERS))

    def sheet() -> Iterable[str]:
        yield head + f'<row r="1">{header}</row><row r="2"><c r="A2" t="inlineStr"><is><t>'
        yield from _repeat("Nguyễn Văn A ", size)
        yield "</t></is></c></row></sheetData></worksheet>"

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _huge_shared_string(path: Path, code: str, size: int) -> Path:
    def strings() -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="1" uniqueCount="1"><si><t>'
        yield from _repeat("=HYPERLINK(", size)
        yield "</t></si></sst>"

    def sheet() -> Iterable[str]:
        rows = [HEADERS, member_row(code, 1)]
        for piece in sheet_xml(rows):
            yield piece.replace('<c r="G2" t="inlineStr"><is><t>Kỹ sư</t></is></c>', '<c r="G2" t="s"><v>0</v></c>')

    return write_xlsx(
        path,
        [Part("xl/sharedStrings.xml", strings), Part("xl/worksheets/sheet1.xml", sheet)],
        sheets=[("Đảng viên", "visible")],
        shared=True,
    )


def _zip_bomb(path: Path, code: str, size: int) -> Path:
    """Rows that compress ~1000:1: a small upload, a part far over the uncompressed limit."""

    def sheet() -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
        yield from _repeat('<row><c t="inlineStr"><is><t>a</t></is></c></row>', size)
        yield "</sheetData></worksheet>"

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _zip_bomb_of_rows(path: Path, code: str, size: int) -> Path:
    """A member sheet whose header is right, then millions of tiny rows in a quarter of `size` (at the
    bench's 400 MB: a 100 MB part, under the per-part limit): refused for its row count before parsing."""

    def sheet() -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData>'
        yield '<row r="1">' + "".join(_cell(f"{_letter(c)}1", v) for c, v in enumerate(HEADERS)) + "</row>"
        yield from _repeat('<row><c t="inlineStr"><is><t>a</t></is></c></row>', size // 4)
        yield "</sheetData></worksheet>"

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _many_parts(path: Path, code: str, size: int) -> Path:
    write_xlsx(
        path,
        [Part("xl/worksheets/sheet1.xml", lambda: sheet_xml([HEADERS, member_row(code, 1)]))],
        sheets=[("Đảng viên", "visible")],
    )
    with zipfile.ZipFile(path, "a") as z:
        for i in range(2000):
            z.writestr(f"xl/media/image{i}.xml", "<x/>")
    return path


def _doctype_part(prologue: str) -> Callable[[Path, str, int], Path]:
    def write(path: Path, code: str, size: int) -> Path:
        rows = [HEADERS, member_row(code, 1, "&lol9;")]

        def sheet() -> Iterable[str]:
            for piece in sheet_xml(rows, prologue=prologue):
                yield piece.replace("&amp;lol9;", "&lol9;")

        return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])

    return write


BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE worksheet [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>'


def _cdata(path: Path, code: str, size: int) -> Path:
    def sheet() -> Iterable[str]:
        for piece in sheet_xml([HEADERS, member_row(code, 1)]):
            yield piece.replace("<t>Kỹ sư</t>", "<t><![CDATA[<<<<]]></t>")

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _broken_xml(path: Path, code: str, size: int) -> Path:
    def sheet() -> Iterable[str]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1">'
        yield "".join(_cell(f"{_letter(c)}1", v) for c, v in enumerate(HEADERS))
        yield '</row><row r="2"><c r="A2" t="inlineStr"><is><t>Nguyễn Văn Hỏng</t></row>'  # unclosed elements

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _lying_size(path: Path, code: str, size: int) -> Path:
    """A part whose directory entry declares fewer bytes than it holds: read up to the declared size, it
    fails its CRC."""
    write_xlsx(
        path,
        [Part("xl/worksheets/sheet1.xml", lambda: sheet_xml([HEADERS, member_row(code, 1)]))],
        sheets=[("Đảng viên", "visible")],
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    declared = (info.file_size // 2).to_bytes(4, "little")
    central = data.rfind(b"xl/worksheets/sheet1.xml") - 46  # the name follows the 46-byte central header
    local = info.header_offset
    data[local + 22 : local + 26] = declared
    data[central + 24 : central + 28] = declared
    path.write_bytes(bytes(data))
    return path


def _hidden_sheet_only(path: Path, code: str, size: int) -> Path:
    def cover() -> Iterable[str]:
        return sheet_xml([["Danh sách gửi kèm"]])

    def hidden() -> Iterable[str]:
        return sheet_xml([HEADERS, member_row(code, 1), member_row(code, 2)])

    return write_xlsx(
        path,
        [Part("xl/worksheets/sheet1.xml", cover), Part("xl/worksheets/sheet2.xml", hidden)],
        sheets=[("Bìa", "visible"), ("Dữ liệu", "hidden")],
    )


def _hidden_sheet_before_visible(path: Path, code: str, size: int) -> Path:
    def hidden() -> Iterable[str]:
        return sheet_xml([HEADERS, *(member_row(code, i) for i in range(1, 6))])

    def visible() -> Iterable[str]:
        return sheet_xml([HEADERS, member_row(code, 100)])

    return write_xlsx(
        path,
        [Part("xl/worksheets/sheet1.xml", hidden), Part("xl/worksheets/sheet2.xml", visible)],
        sheets=[("Ẩn", "veryHidden"), ("Danh sách", "visible")],
    )


def _duplicate_header(path: Path, code: str, size: int) -> Path:
    rows = [[*HEADERS, "Ngày sinh"], [*member_row(code, 1), "01/01/1999"]]
    return write_xlsx(
        path, [Part("xl/worksheets/sheet1.xml", lambda: sheet_xml(rows))], sheets=[("Đảng viên", "visible")]
    )


def _long_cells(path: Path, code: str, size: int) -> Path:
    rows = [HEADERS, member_row(code, 1, "Kỹ sư " * 1000), [*member_row(code, 2)[:6], None]]
    rows[2][0] = "Trần " * 3000
    return write_xlsx(
        path, [Part("xl/worksheets/sheet1.xml", lambda: sheet_xml(rows))], sheets=[("Đảng viên", "visible")]
    )


def _every_cell_wrong(path: Path, code: str, size: int) -> Path:
    bad = ["X", "?", "31/02/1970", "", "99/99/9999", "KHONG-CO", '=HYPERLINK("http://x",B1)']

    def sheet() -> Iterable[str]:
        return sheet_xml([HEADERS, *([*bad] for _ in range(600))])

    return write_xlsx(path, [Part("xl/worksheets/sheet1.xml", sheet)], sheets=[("Đảng viên", "visible")])


def _wide_header(path: Path, code: str, size: int) -> Path:
    rows = [[*HEADERS, "Ghi chú " + "x" * 5000, *(f"Cột thêm {i}" for i in range(4000))], member_row(code, 1)]
    return write_xlsx(
        path, [Part("xl/worksheets/sheet1.xml", lambda: sheet_xml(rows))], sheets=[("Đảng viên", "visible")]
    )


def _password_protected(path: Path, code: str, size: int) -> Path:
    """What Office writes for a workbook with a password: an OLE2 container, its directory naming an
    "EncryptionInfo" and an "EncryptedPackage" stream (the header and directory entries, not a full file)."""
    head = OLE2_MAGIC + bytes(504)
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\0")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    path.write_bytes(head + directory + bytes(4096))
    return path


def _renamed_xls(path: Path, code: str, size: int) -> Path:
    path.write_bytes(OLE2_MAGIC + bytes(8192))
    return path


CORPUS: tuple[Case, ...] = (
    Case("huge_inline_cell", "refused", _huge_inline_cell),
    Case("huge_shared_string", "refused", _huge_shared_string),
    Case("zip_bomb", "refused", _zip_bomb),
    Case("zip_bomb_of_rows", "refused", _zip_bomb_of_rows),
    Case("many_parts", "refused", _many_parts),
    Case("billion_laughs", "refused", _doctype_part(BILLION_LAUGHS)),
    Case("xxe", "refused", _doctype_part(XXE)),
    Case("cdata", "refused", _cdata),
    Case("broken_xml", "refused", _broken_xml),
    Case("lying_size", "refused", _lying_size),
    Case("hidden_sheet_only", "refused", _hidden_sheet_only),
    Case("duplicate_header", "refused", _duplicate_header),
    Case("password_protected", "refused", _password_protected),
    Case("renamed_xls", "refused", _renamed_xls),
    Case("long_cells", "report", _long_cells),
    Case("every_cell_wrong", "report", _every_cell_wrong),
    Case("wide_header", "imported", _wide_header, imported=1),
    Case("hidden_sheet_before_visible", "imported", _hidden_sheet_before_visible, imported=1),
)
