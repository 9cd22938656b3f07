"""Commitments to follow Hồ Chí Minh's example (C10): registered yearly, progress noted, reviewed at the
year's end by the cell committee; the cell's summary."""

from datetime import date

import pytest
from django.urls import reverse

from chibo.accounts.tokens import token_issue
from chibo.commitments import selectors, services
from chibo.commitments.models import Commitment, ProgressNote
from chibo.core.errors import ChiboError
from chibo.tasks.tests.conftest import Cell

ITEMS = "Giữ gìn vệ sinh khu phố mỗi sáng chủ nhật\nVận động 5 hộ đóng quỹ khuyến học"


@pytest.fixture
def june_2025(monkeypatch):  # type: ignore[no-untyped-def]
    """Today is 15/06/2025 for the commitments' rules."""
    monkeypatch.setattr("chibo.commitments.services.today", lambda: date(2025, 6, 15))
    monkeypatch.setattr("chibo.commitments.selectors.today", lambda: date(2025, 6, 15))


def _register(member, year=2025, content=ITEMS):  # type: ignore[no-untyped-def]
    return services.commitment_register(actor=None, member=member, year=year, content=content)


def test_a_member_registers_concrete_commitments_for_the_year(cell: Cell, june_2025) -> None:  # type: ignore[no-untyped-def]
    c = _register(cell.plain, content=ITEMS + "\n\n  ")
    assert (c.year, c.org, c.status, c.items) == (
        2025, cell.org, "registered",
        ["Giữ gìn vệ sinh khu phố mỗi sáng chủ nhật", "Vận động 5 hộ đóng quỹ khuyến học"],
    )  # fmt: skip
    again = _register(cell.plain, content="Một việc khác")  # corrected before the review
    assert again.pk == c.pk and again.items == ["Một việc khác"] and Commitment.objects.count() == 1


@pytest.mark.parametrize(
    ("year", "content", "message"),
    [
        (2024, ITEMS, "Không đăng ký cho năm đã qua (2024)."),
        (2027, ITEMS, "Chỉ đăng ký cho năm nay hoặc năm tới."),
        (2025, " \n ", "Ghi ít nhất một nội dung đăng ký cụ thể."),
    ],
)
def test_a_registration_out_of_time_or_empty_is_refused(cell: Cell, june_2025, year, content, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ChiboError) as err:
        _register(cell.plain, year=year, content=content)
    assert err.value.message == message and not Commitment.objects.exists()


def test_progress_is_noted_and_the_review_waits_for_the_year_end(cell: Cell, june_2025, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    c = _register(cell.plain)
    services.progress_note_add(actor=None, commitment=c, text="Đã vận động 3/5 hộ")
    with pytest.raises(ChiboError) as err:
        services.commitment_review(actor=None, commitment=c, level="good", comment="Tốt")
    assert err.value.message == "Đánh giá bản đăng ký năm 2025 khi tổng kết cuối năm, từ ngày 01/11/2025."
    monkeypatch.setattr("chibo.commitments.services.today", lambda: date(2025, 12, 10))
    with pytest.raises(ChiboError, match="Ghi nhận xét"):
        services.commitment_review(actor=None, commitment=c, level="good", comment="")
    reviewed = services.commitment_review(actor=None, commitment=c, level="excellent", comment="Vượt chỉ tiêu 5/5 hộ")
    assert (reviewed.status, reviewed.level, reviewed.review_comment) == (
        "reviewed",
        "excellent",
        "Vượt chỉ tiêu 5/5 hộ",
    )
    with pytest.raises(ChiboError, match="đã được đánh giá, không sửa được"):
        _register(cell.plain)
    with pytest.raises(ChiboError, match="không ghi thêm"):
        services.progress_note_add(actor=None, commitment=c, text="Thêm")
    assert ProgressNote.objects.count() == 1


def test_the_cell_summary_counts_by_status_and_level_and_names_who_has_not_registered(
    cell: Cell,
    june_2025,
    monkeypatch,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for m in (cell.plain, cell.mobiliser, cell.lawyer):
        _register(m)
    monkeypatch.setattr("chibo.commitments.services.today", lambda: date(2025, 12, 10))
    services.commitment_review(
        actor=None, commitment=Commitment.objects.get(member=cell.plain), level="good", comment="Khá"
    )
    with django_assert_num_queries(2):
        s = selectors.cell_summary(cell.org, 2025)
    # On the roll and not exempt: secretary, plain, 5 with strengths = 7 (exempt and departed members left out).
    assert (s.required, s.registered, s.reviewed, s.registered_pct) == (7, 3, 1, "42,9%")
    assert [(lv, n) for lv, _label, n in s.by_level] == [("excellent", 0), ("good", 1), ("fair", 0), ("poor", 0)]
    assert [m.full_name for m in s.not_registered] == ["Võ Văn Nông", "Trần Văn Bí Thư", "Đỗ Thị Tin", "Huỳnh Thị Y"]


def test_a_member_registers_and_notes_on_the_pages(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    from chibo.core.dates import today

    client.force_login(cell.world.anhoa_member)
    url = reverse("commitments:register", args=[cell.plain.pk])
    response = client.post(url, {"year": today().year, "content": ITEMS})
    c = Commitment.objects.get()
    assert response.status_code == 302 and response["Location"] == c.get_absolute_url()
    client.post(reverse("commitments:note", args=[c.pk]), {"text": "Đã làm 2 buổi"})
    assert c.notes.get().text == "Đã làm 2 buổi"
    assert client.post(reverse("commitments:review", args=[c.pk]), {"level": "good", "comment": "x"}).status_code == 403
    assert client.get(reverse("commitments:register", args=[cell.mobiliser.pk])).status_code == 404


def test_the_api_registers_reviews_and_summarises(cell: Cell, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("chibo.commitments.services.today", lambda: date(2025, 11, 20))
    _t, raw = token_issue(user=cell.world.anhoa_secretary, label="t")
    auth = {"Authorization": f"Bearer {raw}"}
    made = client.post(
        f"/api/v1/commitments/members/{cell.lawyer.pk}", {"year": 2025, "content": ITEMS},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert made.status_code == 200, made.content
    cid = made.json()["id"]
    reviewed = client.put(
        f"/api/v1/commitments/{cid}/review", {"level": "fair", "comment": "Đạt"}, content_type="application/json",
        headers=auth,
    )  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["level"] == "fair"
    summary = client.get(f"/api/v1/commitments/cells/{cell.org.pk}/summary", {"year": 2025}, headers=auth).json()
    assert (summary["registered"], summary["reviewed"], summary["required"]) == (1, 1, 7)
    assert "Phạm Thị Luật" not in [m["full_name"] for m in summary["not_registered"]]
