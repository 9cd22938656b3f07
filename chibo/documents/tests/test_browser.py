"""The document page in Chromium: readable at 375 px, signed with one tap, and printed on A4 with page
numbers from page 2. Screenshots go to /tmp/documents-*.png."""

import tempfile
from pathlib import Path

import pytest
from django.urls import reverse

from chibo.documents import services
from chibo.documents.models import MeetingDocument
from chibo.documents.tests.conftest import Held
from chibo.testing.browser import page_width

SHOTS = Path(tempfile.gettempdir())


@pytest.mark.browser
def test_the_chair_signs_on_a_phone_and_the_printable_page_prints_on_a4(phone, held: Held) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)
    page = phone(held.world.anhoa_secretary)
    page.goto(reverse("documents:detail", args=[document.pk]))
    assert page_width(page) <= 375
    page.screenshot(path=str(SHOTS / "documents-draft-375.png"), full_page=True)
    page.get_by_role("button", name="Ký với tư cách chủ trì (Trần Văn Bí Thư)").click()
    expect(page.locator(".messages")).to_contain_text("Đã ký.")
    document.refresh_from_db()
    assert document.status == MeetingDocument.Status.SIGNED

    desktop = page.context.new_page()
    desktop.set_viewport_size({"width": 1200, "height": 900})
    desktop.goto(reverse("documents:print", args=[document.pk]))
    desktop.screenshot(path=str(SHOTS / "documents-print.png"), full_page=True)
    desktop.emulate_media(media="print")
    pdf = desktop.pdf(prefer_css_page_size=True)
    with open(SHOTS / "documents-print.pdf", "wb") as out:
        out.write(pdf)
    # A4 (595 × 842 pt) pages, more than one for this meeting.
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 2
