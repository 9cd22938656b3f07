"""What every browser test shares: Debian's Chromium driven through Playwright, a phone-sized context,
and signing in through the login form as a person would.

Tests do not call this module directly: the root conftest.py gives tests marked `@pytest.mark.browser`
a `browser` (Chromium, closed after the test) and a `phone` (call it with a user for a fresh 375-px
phone signed in as them). Tests only: Playwright is a development dependency, imported when used.
"""

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.urls import reverse

from chibo.testing.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

    from chibo.accounts.models import User

CHROMIUM = Path("/usr/bin/chromium")
# Headless Chromium in a container: no sandbox (no user namespaces), no GPU, nothing that calls home.
ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
PHONE_WIDTH, PHONE_HEIGHT = 375, 812
PHONE: dict[str, Any] = {
    "viewport": {"width": PHONE_WIDTH, "height": PHONE_HEIGHT},
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": "Asia/Ho_Chi_Minh",
}


def unavailable() -> str | None:
    """Why browser tests cannot run on this machine, or None when they can."""
    if not CHROMIUM.exists():
        return f"Debian's Chromium is not installed at {CHROMIUM} (make setup installs it)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (make setup installs the dev dependencies)"
    return None


def launch(playwright: "Playwright") -> "Browser":
    """Debian's Chromium, headless: Playwright's own browser download is never used."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(ARGS))


def phone_context(browser: "Browser", **options: Any) -> "BrowserContext":
    """A fresh phone: 375 × 812 with touch, Vietnamese, in Việt Nam's time zone; `options` override."""
    return browser.new_context(**(PHONE | options))


def log_in(page: "Page", username: str, password: str = PASSWORD, *, base_url: str = "", next_url: str = "") -> "Page":
    """Sign in through the login form and wait for the page it leads to. Fails with the form's own message
    when the sign-in is refused, instead of timing out on a page that never comes."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    page.goto(base_url + reverse("accounts:login") + query)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    if reverse("accounts:login") in page.url:
        problems = page.locator(".errorlist, .errorbox, .field-error").all_inner_texts()
        raise AssertionError(f"{username} could not sign in: {' '.join(problems) or page.title()}")
    return page


def page_width(page: "Page") -> int:
    """The page's full width in CSS pixels: at most the viewport when nothing scrolls sideways."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


class Phones:
    """The phones of one test. `phones(user)` is a new phone (its own cookies) signed in as `user`;
    `phones()` one nobody has signed in on. Relative URLs go to the live server."""

    def __init__(self, browser: "Browser", base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url

    def __call__(self, user: "User | None" = None, **options: Any) -> "Page":
        page = phone_context(self.browser, base_url=self.base_url, **options).new_page()
        if user is not None:
            log_in(page, user.username)
        return page
