"""The Word files, read back with python-docx: the Party's format (HD 36-HD/VPTW) and what the meeting recorded."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from chibo.audit.models import AccessLog
from chibo.documents import services
from chibo.documents.models import MeetingDocument
from chibo.documents.tests.conftest import Held, docx_text, hold

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _signed_minutes(held: Held) -> MeetingDocument:
    w = held.world
    document = services.document_compose(actor=w.anhoa_secretary, meeting=held.meeting, kind="minutes")
    services.document_sign(actor=w.anhoa_secretary, document=document, role="chair")
    services.document_sign(actor=w.anhoa_member, document=document, role="recorder")
    document.refresh_from_db()
    return document


def _download(client, user, document: MeetingDocument) -> bytes:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("documents:docx", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="bien-ban-01-BB-CB-2021.docx"'
    assert AccessLog.objects.filter(
        user=user, action=AccessLog.Action.EXPORT, detail="bien-ban-01-BB-CB-2021.docx"
    ).exists()
    return response.content


def test_the_signed_minutes_download_reads_back_with_header_numbers_absentees_speakers_and_vote(held: Held, client):
    document = _signed_minutes(held)
    content = _download(client, held.world.anhoa_member, document)
    doc = Document(BytesIO(content))

    # The header: a borderless two-column table, superior and issuing body left, the Party right.
    header = doc.tables[0]
    left, right = (cell.text.split("\n") for cell in header.rows[0].cells)
    assert left == ["ĐẢNG BỘ PHƯỜNG BÌNH THẠNH", "CHI BỘ KHU VỰC AN HÒA", "*", "Số 01-BB/CB"]
    assert right[0] == "ĐẢNG CỘNG SẢN VIỆT NAM" and right[-1] == "Bình Thạnh, ngày 05 tháng 4 năm 2021"
    party = header.rows[0].cells[1].paragraphs[0].runs[0]
    assert party.bold and party.underline
    place_date = header.rows[0].cells[1].paragraphs[-1].runs[0]
    assert place_date.italic
    issuer = header.rows[0].cells[0].paragraphs[1].runs[0]
    assert issuer.bold
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and {el.get(qn("w:val")) for el in borders} == {"nil"}

    text = docx_text(content)
    paragraphs = [p.text for p in doc.paragraphs]
    assert "BIÊN BẢN" in paragraphs and "họp chi bộ tháng 4 năm 2021" in paragraphs
    assert "DỰ THẢO" not in paragraphs  # signed: no draft mark
    assert "Tổng số đảng viên của chi bộ: 16 đồng chí; trong đó chính thức 15, dự bị 1; được miễn sinh hoạt 1." in text
    assert "Có mặt: 13 đồng chí (86,7%); vắng: 2 đồng chí, trong đó có lý do 1, không có lý do 1." in text
    assert "- Đồng chí Lê Văn Ốm: Đi viện điều trị." in paragraphs
    assert "- Đồng chí Phạm Thị Vắng." in paragraphs
    for speaker, summary in zip([held.speakers[0], held.late, held.speakers[0]], held.summaries, strict=True):
        assert any(p.startswith(f"- Đồng chí {speaker.full_name} (") and p.endswith(summary) for p in paragraphs)
    assert "tán thành 10 (83,3%), không tán thành 1, không biểu quyết 0" in text
    assert "nghị quyết được thông qua" in text

    # Signatures: recorder left, chair right, each signed; recipients below.
    signatures = doc.tables[1].rows[0].cells
    assert signatures[0].paragraphs[0].text == "THƯ KÝ" and "Nguyễn Thị Thường" in signatures[0].text
    assert signatures[1].paragraphs[0].text == "CHỦ TRÌ" and "Trần Văn Bí Thư" in signatures[1].text
    # Room to sign by hand: the block is its heading, four empty lines and the name; the electronic
    # sign-off is stated once, apart.
    assert [p.text for p in signatures[0].paragraphs][1:6] == ["", "", "", "", "Nguyễn Thị Thường"]
    assert not any("Đã ký" in cell.text for cell in signatures)
    sign_off = [p for p in paragraphs if p.startswith("Đã xác nhận trên hệ thống lúc")]
    assert (
        len(sign_off) == 1 and "thư ký: Nguyễn Thị Thường" in sign_off[0] and "chủ trì: Trần Văn Bí Thư" in sign_off[0]
    )
    assert "Nơi nhận:" in paragraphs and "- Lưu chi bộ." in paragraphs
    assert "- Đảng ủy phường Bình Thạnh (để báo cáo)," in paragraphs


def test_the_page_is_a4_in_times_new_roman_with_the_party_margins_and_numbers_from_page_two(held: Held):
    from chibo.documents import docx_builder, selectors

    document = services.document_compose(actor=None, meeting=held.meeting, kind="minutes")
    doc = Document(BytesIO(docx_builder.document_docx(selectors.render(document))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # stored in twips
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm) for m in margins) == (25, 25, 35, 15)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    # Page numbers: a PAGE field in the header of every page but the first, whose header is empty.
    assert section.different_first_page_header_footer
    assert " PAGE " in section.header._element.xml and "PAGE" not in section.first_page_header._element.xml
    assert doc.paragraphs[0].text == "DỰ THẢO"  # a draft says so


def test_the_resolution_prints_grounds_clauses_and_the_secretary_for_the_cell(held: Held):
    from chibo.documents import docx_builder, selectors

    w = held.world
    document = services.document_compose(actor=None, meeting=held.meeting, kind="resolution")
    services.document_sign(actor=w.anhoa_secretary, document=document, role="secretary")
    content = docx_builder.document_docx(selectors.render(MeetingDocument.objects.get(pk=document.pk)))
    doc = Document(BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Số 01-NQ/CB" in docx_text(content)
    assert paragraphs.index("NGHỊ QUYẾT") < paragraphs.index("Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    assert paragraphs.index("CHI BỘ QUYẾT NGHỊ:") < paragraphs.index("1. Hoàn thành thu đảng phí quý II.")
    assert "2. Vận động 100% hộ dân tham gia ngày chủ nhật xanh." in paragraphs
    recipients, signature = doc.tables[1].rows[0].cells
    assert recipients.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in signature.paragraphs[:2]] == ["T/M CHI BỘ", "BÍ THƯ"]
    assert "Trần Văn Bí Thư" in signature.text


def test_amendments_are_listed_at_the_end_of_the_document(held: Held, client):
    document = _signed_minutes(held)
    services.document_amend(
        actor=held.world.anhoa_secretary,
        document=document,
        field="closing",
        new_value="Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày.",
        reason="Ghi nhầm giờ kết thúc.",
    )
    paragraphs = [p.text for p in Document(BytesIO(_download(client, held.world.viewer, document))).paragraphs]
    start = paragraphs.index("ĐÍNH CHÍNH SAU KHI KÝ")
    assert "Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày." in paragraphs[:start]  # the new text is in the body
    tail = paragraphs[start:]
    assert tail[1].endswith("đồng chí Trần Văn Bí Thư đính chính mục “Kết thúc cuộc họp”.")
    assert tail[2].startswith("Trước: Cuộc họp kết thúc lúc 21 giờ 05 phút cùng ngày.")
    assert tail[3] == "Sau: Cuộc họp kết thúc lúc 21 giờ 15 phút cùng ngày."
    assert tail[4] == "Lý do: Ghi nhầm giờ kết thúc."


# --- the minutes book ---------------------------------------------------------------------------------


def _year_of_minutes(world, months: range) -> list[MeetingDocument]:  # type: ignore[no-untyped-def]
    return [
        services.document_compose(actor=None, meeting=hold(world, date(2021, m, 5)), kind="minutes") for m in months
    ]


def test_the_minutes_book_holds_a_cover_a_list_of_contents_and_every_meeting_of_the_year(world, client):
    documents = _year_of_minutes(world, range(1, 4))
    hold(world, date(2021, 4, 5))  # held, minutes not written yet
    services.document_compose(actor=None, meeting=hold(world, date(2022, 1, 5)), kind="minutes")  # another year
    client.force_login(world.anhoa_member)
    response = client.get(reverse("documents:book_docx", args=[world.anhoa.pk, 2021]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    doc = Document(BytesIO(response.content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[:3] == ["ĐẢNG BỘ PHƯỜNG BÌNH THẠNH", "CHI BỘ KHU VỰC AN HÒA", "*"]
    assert "SỔ BIÊN BẢN" in paragraphs and "NĂM 2021" in paragraphs and "Gồm 3 biên bản" in paragraphs
    contents = doc.tables[0]
    assert [row.cells[1].text for row in contents.rows] == ["Số", "Số 01-BB/CB", "Số 02-BB/CB", "Số 03-BB/CB"]
    assert [row.cells[2].text for row in contents.rows][1:] == ["05/01/2021", "05/02/2021", "05/03/2021"]
    assert any(p.startswith("- Sinh hoạt thường kỳ 05/04/2021") for p in paragraphs)  # the one without minutes
    # Each meeting's minutes, each on a new page after the cover and the contents.
    assert paragraphs.count("BIÊN BẢN") == 3
    for month in (1, 2, 3):
        assert f"họp chi bộ tháng {month} năm 2021" in paragraphs
    assert "họp chi bộ tháng 1 năm 2022" not in paragraphs
    breaks = doc.element.body.xml.count('w:type="page"')
    assert breaks == 1 + len(documents)
    numbers = [t.rows[0].cells[0].text.split("\n")[-1] for t in doc.tables[1:] if "*" in t.rows[0].cells[0].text]
    assert numbers == ["Số 01-BB/CB", "Số 02-BB/CB", "Số 03-BB/CB"]


@pytest.mark.parametrize("url_name", ["documents:book_docx", "documents:book_print"])
def test_the_minutes_book_costs_the_same_queries_for_two_and_for_five_meetings(
    world, client, django_assert_num_queries, url_name
):
    """Constant, not per meeting: session, user, grants, the cell; the documents, their signatures, clauses
    and amendments (prefetched); the meetings without minutes; and for the Word file the access-log row.
    10 queries for the Word file, 9 for the printable page, for 2 meetings as for 5."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.anhoa_secretary)
    url = reverse(url_name, args=[world.anhoa.pk, 2021])
    counts = []
    for months in (range(1, 3), range(3, 6)):
        for document in _year_of_minutes(world, months):
            services.document_sign(actor=world.anhoa_secretary, document=document, role="chair")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        client.get(url)
