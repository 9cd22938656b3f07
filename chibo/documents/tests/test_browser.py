"""The document page in Chromium: readable at 375 px, signed with one tap, and printed on A4 with page
numbers from page 2. Screenshots go to /tmp/documents-*.png."""

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from chibo.accounts.models import User
from chibo.documents import services
from chibo.documents.models import MeetingDocument
from chibo.documents.tests.conftest import Held

SHOTS = Path(tempfile.gettempdir())
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _session(user: User) -> str:
    c = Client()
    c.force_login(user)
    return c.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.browser
def test_the_chair_signs_on_a_phone_and_the_printable_page_prints_on_a4(live_server, held: Held, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect, sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test reads the database between steps
    document = services.document_compose(actor=None, meeting=held.meeting, kind=MeetingDocument.Kind.MINUTES)
    url = live_server.url + reverse("documents:detail", args=[document.pk])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN")
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": _session(held.world.anhoa_secretary)}
            ctx.add_cookies([cookie | {"url": live_server.url}])
            page = ctx.new_page()
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            page.screenshot(path=str(SHOTS / "documents-draft-375.png"), full_page=True)
            page.get_by_role("button", name="Ký với tư cách chủ trì (Trần Văn Bí Thư)").click()
            expect(page.locator(".messages")).to_contain_text("Đã ký.")
            document.refresh_from_db()
            assert document.status == MeetingDocument.Status.SIGNED

            desktop = ctx.new_page()
            desktop.set_viewport_size({"width": 1200, "height": 900})
            desktop.goto(live_server.url + reverse("documents:print", args=[document.pk]))
            desktop.screenshot(path=str(SHOTS / "documents-print.png"), full_page=True)
            desktop.emulate_media(media="print")
            pdf = desktop.pdf(prefer_css_page_size=True)
            with open(SHOTS / "documents-print.pdf", "wb") as out:
                out.write(pdf)
        finally:
            browser.close()
    # A4 (595 × 842 pt) pages, more than one for this meeting.
    assert b"/MediaBox [0 0 595" in pdf or b"/MediaBox [0 0 594" in pdf
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 2
