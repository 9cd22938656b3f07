"""The member's self-assessment and the cell's review minutes as Word files in the Party's format
(HD 36-HD/VPTW), drawn by chibo.documents.docx_builder like the meetings' minutes: header (the superior
and the cell as they stood on the day, "ĐẢNG CỘNG SẢN VIỆT NAM", place and date), title, body, signatures."""

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from django.utils import timezone

from chibo.documents.compose import issuer_on, long_date
from chibo.documents.docx_builder import document_docx
from chibo.documents.selectors import Block, Rendered, SignatureBlock
from chibo.reviews.classify import reason_texts
from chibo.reviews.criteria import GRADES, criteria_for
from chibo.reviews.models import SHORT, CellReview, MemberReview


@dataclass(frozen=True)
class Printable:
    """The fields of chibo.documents.selectors.Rendered that the Word builder reads."""

    superior: str
    issuer: str
    number: str
    place_date: str
    title: str
    subtitle: str
    grounds: list[str]
    blocks: list[Block]
    signatures: list[SignatureBlock]
    recipients: list[str]
    clauses: list[str] = field(default_factory=list)
    amendments: list = field(default_factory=list)
    is_draft: bool = False
    is_resolution: bool = False
    before_clauses: list[Block] = field(default_factory=list)
    sign_off: str = ""


def _header(cell_review: CellReview, day: date) -> tuple[str, str, str]:
    """(superior, issuer, place and date), as printed."""
    issuer = issuer_on(cell_review.org, day)
    return issuer.superior_name.upper(), issuer.issuer_name.upper(), f"{issuer.place}, {long_date(day)}"


def _signature(role: str, heading: tuple[str, ...], name: str) -> SignatureBlock:
    return SignatureBlock(role=role, lines=heading, name=name, signed=False, note="Ký, ghi rõ họ tên")


def self_assessment_docx(review: MemberReview) -> bytes:
    cell_review = review.cell_review
    day = timezone.localdate(review.self_submitted_at) if review.self_submitted_at else date(cell_review.year, 12, 31)
    grades = dict(GRADES)
    lines = []
    for i, c in enumerate(criteria_for(review.form), start=1):
        given = review.self_grades.get(c.key, {})
        grade = str(grades.get(given.get("grade", ""), "……"))
        lines.append(f"{i}. {c.label}: {grade}." + (f" {given['note']}" if given.get("note") else ""))
    blocks = [
        Block("Họ và tên: " + review.member.full_name, [f"Chi bộ: {cell_review.org.name}"]),
        Block("I. TỰ ĐÁNH GIÁ THEO TIÊU CHÍ", lines),
        Block("II. ƯU ĐIỂM", [review.self_strengths or "……"]),
        Block("III. HẠN CHẾ, KHUYẾT ĐIỂM VÀ NGUYÊN NHÂN", [review.self_weaknesses or "……"]),
        Block(
            "IV. TỰ NHẬN MỨC XẾP LOẠI CHẤT LƯỢNG",
            [str(review.get_self_level_display()) if review.self_level else "……"],
        ),
    ]
    superior, issuer, place_date = _header(cell_review, day)
    printable = Printable(
        superior=superior,
        issuer=issuer,
        place_date=place_date,
        number=f"Mẫu {review.form}",
        title="BẢN KIỂM ĐIỂM CÁ NHÂN",
        subtitle=f"Năm {cell_review.year}",
        grounds=[],
        blocks=blocks,
        signatures=[_signature("member", ("NGƯỜI TỰ KIỂM ĐIỂM",), review.member.full_name)],
        recipients=[],
    )
    return document_docx(cast(Rendered, printable))


def minutes_docx(cell_review: CellReview) -> bytes:
    """Biên bản hội nghị kiểm điểm: each member in turn, the committee's proposal, the opinions, the vote."""
    day = cell_review.meeting_date or date(cell_review.year, 12, 31)
    reviews = cell_review.member_reviews.select_related("member").order_by("member__name_sort_key", "pk")
    opening = [
        f"Thời gian: {long_date(day)}. Địa điểm: {cell_review.meeting_place or '……'}.",
        f"Chủ trì: {cell_review.chair or '……'}. Thư ký: {cell_review.recorder or '……'}.",
        f"Số đảng viên có mặt: {cell_review.present if cell_review.present is not None else '……'}/{len(reviews)}.",
    ]
    members: list[str] = []
    counts: dict[str, int] = {v: 0 for v in SHORT}
    for i, r in enumerate(reviews, start=1):
        if not r.is_rated:
            members.append(f"{i}. Đồng chí {r.member.full_name}: không xếp loại ({r.get_not_rated_display()}).")
            continue
        votes = f"{r.votes_for} tán thành, {r.votes_against} không tán thành" if r.votes_for is not None else "……"
        proposal = "; ".join(reason_texts(r.reasons)[-1:])
        members.append(
            f"{i}. Đồng chí {r.member.full_name} (mẫu {r.form}): tự nhận "
            f"{SHORT.get(r.self_level, '……')}; hệ thống {r.points}/100 ({proposal}); chi ủy đề xuất "
            f"{SHORT.get(r.committee_level, '……')}; ý kiến: {r.opinions or 'không có'}; biểu quyết {votes}; "
            f"chi bộ đề nghị {SHORT.get(r.cell_level, '……')}."
        )
        if r.cell_level:
            counts[r.cell_level] += 1
    result = [", ".join(f"{SHORT[k]}: {n}" for k, n in counts.items()) + "."]
    if cell_review.quota_exception:
        result.append(f"Lý do vượt tỷ lệ HTXSNV: {cell_review.quota_exception}")
    superior, issuer, place_date = _header(cell_review, day)
    printable = Printable(
        superior=superior,
        issuer=issuer,
        place_date=place_date,
        number="Số ……-BB/CB",
        title="BIÊN BẢN",
        subtitle=f"hội nghị kiểm điểm, đánh giá, xếp loại đảng viên năm {cell_review.year}",
        grounds=[],
        blocks=[
            Block("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", opening),
            Block("II. KIỂM ĐIỂM, BIỂU QUYẾT TỪNG ĐẢNG VIÊN", members),
            Block("III. KẾT QUẢ CHI BỘ ĐỀ NGHỊ", result),
        ],
        signatures=[
            _signature("chair", ("CHỦ TRÌ",), str(cell_review.chair or "")),
            _signature("recorder", ("THƯ KÝ",), str(cell_review.recorder or "")),
        ],
        recipients=[f"- {issuer_on(cell_review.org, day).superior_name} (để báo cáo),", "- Lưu chi bộ."],
    )
    return document_docx(cast(Rendered, printable))
