"""The review pages, the files (Excel summary, Word forms and minutes), the API, organizations' levels and
the import of past years."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from chibo.accounts.tokens import token_issue
from chibo.documents.tests.conftest import docx_text
from chibo.reviews import org_rating, services
from chibo.reviews.classify import reason_texts
from chibo.reviews.models import CellReview, MemberReview, OrgRating
from chibo.reviews.selectors import consecutive_top_years, summary
from chibo.reviews.tests.conftest import Cell, a_year

pytestmark = pytest.mark.django_db
YEAR = 2025


def _start(cell: Cell) -> CellReview:
    return services.review_start(actor=None, org=cell.org, year=YEAR)


def _form_data(review: MemberReview, grade: str = "good") -> dict:
    from chibo.reviews.criteria import criteria_for

    data = {c.key: grade for c in criteria_for(review.form)}
    data |= {f"{c.key}_note": f"Ghi chú {c.key}" for c in criteria_for(review.form)}
    return data | {"strengths": "Dự họp đầy đủ", "self_level": "httnv"}


def test_the_member_submits_the_form_and_the_secretary_sees_it_beside_the_evidence(cell: Cell, client):
    a_year(cell, YEAR, member=cell.plain)
    mine = _start(cell).member_reviews.get(member=cell.plain)
    client.force_login(cell.world.anhoa_member)
    url = reverse("reviews:self", args=[mine.pk])
    assert "Tư tưởng chính trị" in client.get(url).content.decode()
    bad = client.post(url, _form_data(mine) | {"duties": ""})
    assert bad.status_code == 400 and "Hãy chọn mức tự đánh giá" in bad.content.decode()
    assert client.post(url, _form_data(mine)).status_code == 302
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(reverse("reviews:member", args=[mine.pk])).content.decode()
    assert "Ghi chú politics" in page and "có mặt 12/12 buổi" in page
    assert "Đề xuất: HTTNV." in page or "Đề xuất: HTXSNV." in page
    cell_page = client.get(reverse("reviews:cell", args=[mine.cell_review_id])).content.decode()
    assert "1/8 đảng viên đã nộp bản tự kiểm điểm." in cell_page


def test_the_cell_page_costs_the_same_queries_for_9_members_or_20(cell: Cell, client, django_assert_num_queries):
    from chibo.testing.factories import MemberFactory

    cell_review = _start(cell)
    client.force_login(cell.world.anhoa_secretary)
    url = reverse("reviews:cell", args=[cell_review.pk])
    client.get(url)
    with django_assert_num_queries(6) as small:
        client.get(url)
    CellReview.objects.all().delete()
    for i in range(11):
        MemberFactory(org=cell.org, full_name=f"Đảng Viên Thêm {i}")
    cell_review = _start(cell)
    with django_assert_num_queries(len(small.captured_queries)):
        body = client.get(reverse("reviews:cell", args=[cell_review.pk])).content.decode()
    assert "Đảng Viên Thêm 10" in body


def test_the_upper_level_decides_and_locks_from_the_pages(cell: Cell, client):
    cell_review = _start(cell)
    services.review_meeting_record(actor=None, cell_review=cell_review, meeting_date=date(YEAR, 12, 20), present=8)
    client.force_login(cell.world.anhoa_secretary)
    for r in cell_review.member_reviews.filter(not_rated=""):
        response = client.post(
            reverse("reviews:appraise", args=[r.pk]), {"committee_level": "httnv", "votes_for": 8, "votes_against": 0}
        )
        assert response.status_code == 302
    assert client.post(reverse("reviews:send", args=[cell_review.pk]), {}).status_code == 302
    mine = cell_review.member_reviews.get(member=cell.plain)
    assert client.post(reverse("reviews:lock", args=[cell_review.pk])).status_code == 403
    client.force_login(cell.world.ward_officer)
    refused = client.post(reverse("reviews:decide", args=[mine.pk]), {"level": "htnv", "reason": ""})
    assert refused.status_code == 400 and "phải ghi lý do" in refused.content.decode()
    assert client.post(reverse("reviews:lock", args=[cell_review.pk])).status_code == 302
    cell_review.refresh_from_db()
    assert cell_review.is_locked
    amended = client.post(reverse("reviews:decide", args=[mine.pk]), {"level": "htnv", "reason": "Đính chính"})
    assert amended.status_code == 302 and mine.amendments.get().after == "htnv"


def test_the_summary_counts_levels_per_cell_and_downloads_as_excel(cell: Cell, client, django_assert_num_queries):
    cell_review = _start(cell)
    services.review_meeting_record(actor=None, cell_review=cell_review, meeting_date=date(YEAR, 12, 20), present=8)
    rated = list(cell_review.member_reviews.filter(not_rated="").order_by("pk"))
    for i, r in enumerate(rated):
        level = ["htxsnv", "httnv", "httnv", "httnv", "httnv", "htnv", "khtnv"][i]
        services.review_appraise(actor=None, review=r, committee_level=level, votes_for=7, votes_against=0)
    # The tree at the year's end (the ward, its cells, their children: three), then the counts and names.
    with django_assert_num_queries(5):
        cells, total = summary(cell.world.ward, YEAR)
    assert (total.total, total.not_rated, total.rated) == (8, 1, 7)
    assert total.counts == {"htxsnv": 1, "httnv": 4, "htnv": 1, "khtnv": 1}
    assert total.share("httnv") == "57,1%" and [c.label for c in cells] == ["Chi bộ khu vực An Hòa"]
    client.force_login(cell.world.ward_officer)
    page = client.get(reverse("reviews:summary"), {"org": cell.world.ward.pk, "year": YEAR}).content.decode()
    assert "Chi bộ khu vực An Hòa" in page and "4 (57,1%)" in page
    xlsx = client.get(reverse("reviews:summary_xlsx"), {"org": cell.world.ward.pk, "year": YEAR})
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][:5] == ("Tổ chức", "Tổng số", "Không xếp loại", "HTXSNV", "HTXSNV (%)")
    assert rows[-1][:5] == ("Đảng bộ phường Bình Thạnh", 8, 1, 1, 14.3)


def test_the_self_assessment_and_the_minutes_download_as_word_in_the_partys_format(cell: Cell, client):
    cell_review = _start(cell)
    mine = cell_review.member_reviews.get(member=cell.plain)
    services.self_assessment_submit(
        actor=cell.world.anhoa_member,
        review=mine,
        grades={k: {"grade": "good", "note": "Tốt"} for k in _form_data(mine) if "_" not in k and k != "strengths"},
        self_level="httnv",
    )
    client.force_login(cell.world.anhoa_member)
    text = docx_text(client.get(reverse("reviews:self_docx", args=[mine.pk])).content)
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "CHI BỘ KHU VỰC AN HÒA" in text
    assert "Tư tưởng chính trị: Tốt. Tốt" in text and "Hoàn thành tốt nhiệm vụ" in text
    client.force_login(cell.world.anhoa_secretary)
    minutes = docx_text(client.get(reverse("reviews:minutes_docx", args=[cell_review.pk])).content)
    assert "BIÊN BẢN" in minutes and f"xếp loại đảng viên năm {YEAR}" in minutes and cell.plain.full_name in minutes
    assert "không xếp loại (Miễn công tác và sinh hoạt đảng)" in minutes


def test_the_api_lists_reviews_by_org_and_year_and_gives_one_with_its_evidence(cell: Cell, client):
    a_year(cell, YEAR)
    cell_review = _start(cell)
    _t, raw = token_issue(user=cell.world.anhoa_secretary, label="t")
    auth = {"Authorization": f"Bearer {raw}"}
    body = client.get("/api/v1/reviews", {"org": cell.org.pk, "year": YEAR}, headers=auth).json()
    assert body["count"] == 8
    item = next(i for i in body["items"] if i["member_id"] == cell.mobiliser.pk)
    assert (item["year"], item["proposed_level"], item["points"], item["status"]) == (YEAR, "httnv", 88, "open")
    detail = client.get(f"/api/v1/reviews/{item['id']}", headers=auth).json()
    assert detail["evidence"]["present"] == 12 and detail["reasons"][-1] == "Đề xuất: HTTNV."
    _t, raw_out = token_issue(user=cell.world.outsider, label="t")
    assert (
        client.get(f"/api/v1/reviews/{item['id']}", headers={"Authorization": f"Bearer {raw_out}"}).status_code == 404
    )
    assert cell_review.member_reviews.count() == 8


def _workbook(members: list[tuple], orgs: list[tuple]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "Đảng viên"
    ws.append(["Số thẻ đảng viên", "Họ và tên", "Năm", "Mức xếp loại"])
    for row in members:
        ws.append(list(row))
    o = wb.create_sheet("Tổ chức")
    o.append(["Mã tổ chức", "Tên tổ chức", "Năm", "Mức xếp loại"])
    for row in orgs:
        o.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("xep-loai.xlsx", out.getvalue())


def test_past_levels_import_all_or_nothing_with_errors_by_row_and_column(cell: Cell, client):
    w = cell.world
    client.force_login(w.ward_officer)
    url = reverse("reviews:import")
    stranger_card = "99999999"
    bad = _workbook(
        [(cell.plain.card_number, cell.plain.full_name, 2020, "HTTNV"), (stranger_card, "Ai Đó", 2020, "HTTNV"),
         (cell.mobiliser.card_number, "", 2020, "Giỏi")],
        [(w.anhoa.code, "", 2020, "HTXSNV"), (w.other_ward_cell.code, "", 2020, "HTXSNV")],
    )  # fmt: skip
    response = client.post(url, {"file": bad, "dry_run": ""})
    assert response.status_code == 400
    errors = {(e["sheet"], e["row"], e["letter"]) for e in response.context["report"].errors}
    assert errors == {("Đảng viên", 3, "A"), ("Đảng viên", 4, "D"), ("Tổ chức", 3, "A")}
    assert not MemberReview.objects.exists() and not OrgRating.objects.exists()
    rows = [(cell.plain.card_number, cell.plain.full_name, y, "HTTNV") for y in (2019, 2020)]
    orgs = [(w.anhoa.code, "Chi bộ khu vực An Hòa", y, "Hoàn thành xuất sắc nhiệm vụ") for y in range(2016, 2021)]
    dry = client.post(url, {"file": _workbook(rows, orgs), "dry_run": "on"})
    assert dry.status_code == 200 and "Hợp lệ: 2 xếp loại đảng viên, 5 xếp loại tổ chức." in dry.content.decode()
    assert not OrgRating.objects.exists()
    assert client.post(url, {"file": _workbook(rows, orgs), "dry_run": ""}).status_code == 200
    assert MemberReview.objects.filter(member=cell.plain, decided_level="httnv").count() == 2
    assert consecutive_top_years(list(OrgRating.objects.filter(org=w.anhoa))) == 5
    again = client.post(url, {"file": _workbook(rows[:1], []), "dry_run": "on"})
    assert "đã có xếp loại năm 2019" in again.content.decode()


def test_a_cell_secretary_cannot_import_organizations_levels(cell: Cell, client):
    client.force_login(cell.world.anhoa_secretary)
    upload = _workbook([], [(cell.world.anhoa.code, "", 2020, "HTXSNV")])
    response = client.post(reverse("reviews:import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 400 and "trong phạm vi được nhập" in response.content.decode()


def test_an_organization_is_proposed_from_its_year_and_decided_above_counting_years_at_the_top(cell: Cell, client):
    w = cell.world
    for year in (2022, 2023, 2024):
        OrgRating.objects.create(org=w.anhoa, year=year, level="htxsnv", source="imported")
    a_year(cell, YEAR)
    rating = org_rating.org_rating_propose(actor=None, org=w.anhoa, year=YEAR)
    # No member rated yet (0 of 30), every task on time (20), 12 of 12 meetings (20), the meetings' quality
    # year Kém (0 of 10: the test's meetings score low); no remark, no directive due: those weigh nothing,
    # so 40 of 80 → 50.
    assert (rating.points, rating.proposed_level) == (50, "htnv")
    assert rating.evidence["regular_meetings_held"] == 12 and rating.evidence["quality_levels"] == {"poor": 1}
    assert "Chưa có đảng viên nào được xếp loại" in " ".join(reason_texts(rating.reasons))
    with pytest.raises(Exception, match="Chỉ ban thường vụ"):
        org_rating.org_rating_decide(actor=w.anhoa_secretary, org=w.anhoa, year=YEAR, level="htxsnv")
    org_rating.org_rating_decide(
        actor=w.ward_officer, org=w.anhoa, year=YEAR, level="htxsnv", reason="Dẫn đầu phong trào."
    )
    assert consecutive_top_years(list(OrgRating.objects.filter(org=w.anhoa))) == 4
    client.force_login(w.viewer)
    page = client.get(reverse("reviews:org", args=[w.anhoa.pk])).content.decode()
    assert "4 năm liền hoàn thành xuất sắc nhiệm vụ." in page


def test_the_organizations_page_shows_its_consecutive_years_at_the_top(cell: Cell, client):
    for year in (2023, 2024, 2025):
        OrgRating.objects.create(org=cell.org, year=year, level="htxsnv", source="imported")
    client.force_login(cell.world.anhoa_secretary)
    page = client.get(cell.org.get_absolute_url()).content.decode()
    assert "Xếp loại hằng năm (3 năm liền HTXSNV)" in page
