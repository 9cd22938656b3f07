"""Word files of minutes and resolutions in the Party's format (HD 36-HD/VPTW, 2018), with python-docx.

A4; Times New Roman (a TCVN 6909:2001 Unicode font) 14 pt; margins top 25, bottom 25, left 35, right
15 mm; page numbers centred in the top margin from page 2 on. The header is a borderless two-column
table: on the left the superior organization, the issuing body in bold, "*" and the number; on the right
"ĐẢNG CỘNG SẢN VIỆT NAM" in bold, underlined by a rule of its own length, and the place and date in
italics. Then the title and its subtitle, the body, the signature blocks, "Nơi nhận", and any amendments.

Everything is drawn from chibo.documents.selectors.Rendered, as the HTML pages are.
"""

from io import BytesIO
from typing import Any

from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from chibo.documents.compose import short_date
from chibo.documents.models import MeetingDocument
from chibo.documents.selectors import Book, Rendered, SignatureBlock

FONT = "Times New Roman"
CONTENT_WIDTH = Mm(210 - 35 - 15)
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- the page --------------------------------------------------------------------------------------


def _base_font(doc: DocxDocument) -> None:
    """Times New Roman for every script (Vietnamese letters fall in several Unicode ranges Word maps to
    different font slots), instead of the template's theme fonts."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for fonts in defaults.iter(qn("w:rFonts")):
            for attr in list(fonts.attrib):
                if attr.endswith("Theme"):
                    del fonts.attrib[attr]
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.0


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A Word field (PAGE), which Word and LibreOffice compute when the page is laid out."""

    def char(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    for element in (char("begin"), instr, char("separate")):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _new_document() -> DocxDocument:
    doc = Document()
    _base_font(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(35), Mm(15)
    section.header_distance, section.footer_distance = Mm(12), Mm(12)
    # No number on the first page: its header is a separate, empty one.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = CENTER
    _field(number, "PAGE", "2")
    return doc


def _table_property(table: Table, element: Any, *before: str) -> None:
    """Put `element` in the table's properties ahead of the first of `before` present: Word and LibreOffice
    ignore properties out of the schema's order."""
    props = table._tbl.tblPr
    follower = next((props.find(qn(tag)) for tag in before if props.find(qn(tag)) is not None), None)
    if follower is None:
        props.append(element)
    else:
        follower.addprevious(element)


def _no_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    _table_property(table, borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")


def _no_padding(table: Table) -> None:
    """Cells without inner margins: the header's two blocks need every millimetre of the 160 mm line."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), "0")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _table_property(table, margins, "w:tblLook")


def _columns(doc: DocxDocument, widths: tuple[int, ...], *, borders: bool = False) -> Table:
    table = doc.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if borders:
        table.style = doc.styles["Table Grid"]
    else:
        _no_borders(table)
    # Word reads the cells' widths, LibreOffice the grid's: set both.
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    return table


def _line(
    where: DocxDocument | _Cell,
    text: str,
    *,
    align: Any = JUSTIFY,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    size: float | None = None,
    indent: bool = False,
    first: bool = False,
) -> Paragraph:
    """One paragraph; `first` reuses the empty paragraph a new table cell starts with."""
    paragraph = where.paragraphs[0] if first and isinstance(where, _Cell) else where.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return paragraph


def _tight(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.space_after = Pt(0)


# --- one document --------------------------------------------------------------------------------


def _header(doc: DocxDocument, r: Rendered) -> None:
    if r.is_draft:
        _line(doc, "DỰ THẢO", align=RIGHT, bold=True, size=12)
    # 164 mm, centred: 2 mm into each margin, so that a long superior name and the date keep to one line.
    table = _columns(doc, (Mm(80), Mm(84)))
    _no_padding(table)
    left, right = table.rows[0].cells
    lines = [(r.superior, False)] if r.superior else []
    lines += [(r.issuer, True), ("*", False), (r.number, False)]
    for i, (text, bold) in enumerate(lines):
        _tight(_line(left, text, align=CENTER, bold=bold, first=i == 0))
    _tight(_line(right, "ĐẢNG CỘNG SẢN VIỆT NAM", align=CENTER, bold=True, underline=True, size=15, first=True))
    _line(right, "")
    _line(right, r.place_date, align=CENTER, italic=True)


def _title(doc: DocxDocument, r: Rendered) -> None:
    _line(doc, "")
    _tight(_line(doc, r.title, align=CENTER, bold=True, size=16))
    _tight(_line(doc, r.subtitle, align=CENTER, bold=True))
    _line(doc, "-----", align=CENTER)


def _body(doc: DocxDocument, r: Rendered) -> None:
    for ground in r.grounds:
        _line(doc, ground, italic=True, indent=True)
    for block in r.before_clauses:
        if block.title:
            _line(doc, block.title, align=LEFT, bold=True)
        for text in block.lines:
            _line(doc, text.strip(), indent=True)
    if r.is_resolution:
        _line(doc, "CHI BỘ QUYẾT NGHỊ:", align=CENTER, bold=True)
        for i, clause in enumerate(r.clauses, start=1):
            _line(doc, f"{i}. {clause}", indent=True)
    for block in r.blocks:
        if block.title:
            _line(doc, block.title, align=LEFT, bold=True)
        for text in block.lines:
            _line(doc, text.strip(), indent=True)


def _signature(cell: _Cell, block: SignatureBlock) -> None:
    for i, heading in enumerate(block.lines):
        _tight(_line(cell, heading, align=CENTER, bold=True, first=i == 0))
    # Room to sign by hand on the printed copy; the electronic sign-off is stated once, below.
    for _ in range(4):
        _line(cell, "")
    _line(cell, block.name, align=CENTER, bold=True)


def _recipients(cell: DocxDocument | _Cell, r: Rendered, *, first: bool = False) -> None:
    if not r.recipients:
        return
    _tight(_line(cell, "Nơi nhận:", align=LEFT, bold=True, italic=True, underline=True, size=12, first=first))
    for text in r.recipients:
        _tight(_line(cell, text, align=LEFT, size=11))


def _signatures(doc: DocxDocument, r: Rendered) -> None:
    _line(doc, "")
    table = _columns(doc, (Mm(80), Mm(80)))
    left, right = table.rows[0].cells
    if r.is_resolution:
        _recipients(left, r, first=True)
        _signature(right, r.signatures[0])
        _sign_off(doc, r)
        return
    for cell, block in zip((left, right), r.signatures, strict=False):
        _signature(cell, block)
    _sign_off(doc, r)
    _line(doc, "")
    _recipients(doc, r)


def _sign_off(doc: DocxDocument, r: Rendered) -> None:
    if r.sign_off:
        _line(doc, r.sign_off, align=LEFT, italic=True, size=11)


def _amendments(doc: DocxDocument, r: Rendered) -> None:
    if not r.amendments:
        return
    _line(doc, "")
    _line(doc, "ĐÍNH CHÍNH SAU KHI KÝ", align=LEFT, bold=True)
    for i, a in enumerate(r.amendments, start=1):
        at = timezone.localtime(a.created_at)
        who = a.author_name
        _tight(
            _line(doc, f"{i}. Lúc {at:%H:%M} ngày {at:%d/%m/%Y}, {who} đính chính mục “{a.field_label}”.", bold=True)
        )
        _tight(_line(doc, f"Trước: {a.before or '(trống)'}", indent=True))
        _tight(_line(doc, f"Sau: {a.after or '(trống)'}", indent=True))
        _line(doc, f"Lý do: {a.reason}", indent=True, italic=True)


def _write(doc: DocxDocument, r: Rendered) -> None:
    _header(doc, r)
    _title(doc, r)
    _body(doc, r)
    _signatures(doc, r)
    _amendments(doc, r)


def _bytes(doc: DocxDocument) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def filename_for(document: MeetingDocument) -> str:
    """ASCII only, so that every browser keeps it: "bien-ban-04-BB-CB-2021.docx"."""
    word = "bien-ban" if document.is_minutes else "nghi-quyet"
    return f"{word}-{document.number:02d}-{document.symbol.replace('/', '-')}-{document.year}.docx"


def document_docx(rendered: Rendered) -> bytes:
    doc = _new_document()
    _write(doc, rendered)
    return _bytes(doc)


# --- the minutes book --------------------------------------------------------------------------------


def _cover(doc: DocxDocument, book: Book) -> None:
    if book.superior:
        _tight(_line(doc, book.superior, align=CENTER))
    _tight(_line(doc, book.issuer, align=CENTER, bold=True))
    _line(doc, "*", align=CENTER)
    for _blank in range(8):
        _line(doc, "")
    _tight(_line(doc, "SỔ BIÊN BẢN", align=CENTER, bold=True, size=26))
    _tight(_line(doc, "HỌP CHI BỘ", align=CENTER, bold=True, size=20))
    _line(doc, f"NĂM {book.year}", align=CENTER, bold=True, size=18)
    _line(doc, "")
    _line(doc, f"Gồm {len(book.minutes)} biên bản", align=CENTER, italic=True)


def _contents(doc: DocxDocument, book: Book) -> None:
    _line(doc, "MỤC LỤC", align=CENTER, bold=True, size=15)
    table = _columns(doc, (Mm(14), Mm(32), Mm(30), Mm(84)), borders=True)
    for cell, heading in zip(table.rows[0].cells, ("STT", "Số", "Ngày họp", "Nội dung"), strict=True):
        _line(cell, heading, align=CENTER, bold=True, size=12, first=True)
    for i, r in enumerate(book.minutes, start=1):
        values = (str(i), r.number, short_date(r.document.issued_on), f"Biên bản {r.subtitle}")
        for cell, value in zip(table.add_row().cells, values, strict=True):
            _line(cell, value, align=LEFT, size=12, first=True)
    if book.missing:
        _line(doc, "")
        _line(doc, "Buổi họp chưa có biên bản:", align=LEFT, bold=True, size=12)
        for meeting in book.missing:
            _tight(_line(doc, f"- {meeting} ({short_date(meeting.scheduled_date)})", align=LEFT, size=12))


def book_docx(book: Book) -> bytes:
    """The cell's minutes book of a year: a cover, the list of contents, then each meeting's minutes, each
    on a new page."""
    doc = _new_document()
    _cover(doc, book)
    doc.add_page_break()
    _contents(doc, book)
    for rendered in book.minutes:
        doc.add_page_break()
        _write(doc, rendered)
    return _bytes(doc)
