import os
from pathlib import Path

import pytest

from chibo.testing.browser import unavailable as browser_unavailable
from chibo.testing.factories import World, build_world


def pytest_collection_modifyitems(config, items):  # type: ignore[no-untyped-def]
    """Tests that need a server run when its URL is set; elsewhere they are skipped, not failed."""
    needs_pg = not os.environ.get("DATABASE_URL", "").startswith("postgres")
    needs_redis = not os.environ.get("REDIS_URL")
    no_browser = browser_unavailable()
    stale_messages = _stale_messages()
    for item in items:
        if stale_messages and "compiled_messages" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=stale_messages))
        if needs_pg and "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="DATABASE_URL is not PostgreSQL"))
        if needs_redis and "redis" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="REDIS_URL is not set"))
        if "browser" in item.keywords and no_browser:
            item.add_marker(pytest.mark.skip(reason=no_browser))


def _stale_messages() -> str:
    """Why tests rendering in English cannot run (the .mo is missing or older than the .po), or ""."""
    po = Path(__file__).parent / "chibo" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        return "the English catalogue is not compiled: run make messages"
    return ""


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CHIBO_REQUIRE_OFFICER_2FA = False
    settings.CHIBO_IMPORT_THREAD_WITHOUT_BROKER = False  # background imports run inline unless a test asks


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    # Real hashing costs ~0.3 s a user; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_ruleset(request):  # type: ignore[no-untyped-def]
    """Tests with real transactions flush the database afterwards, migration-made rows included; the
    system's default rule set must be there for every test that touches the database."""
    uses_db = request.node.get_closest_marker("django_db") is not None or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")

    from chibo.rules.models import RuleSetVersion
    from chibo.rules.services import system_versions_ensure

    with blocker.unblock():
        if not RuleSetVersion.objects.filter(org__isnull=True).exists():
            system_versions_ensure()


@pytest.fixture
def browser(request, live_server, monkeypatch):  # type: ignore[no-untyped-def]
    """Debian's Chromium (chibo.testing.browser), headless, closed after the test; for @pytest.mark.browser
    tests only, which are skipped where Chromium is missing."""
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("The browser and phone fixtures are for tests marked @pytest.mark.browser.", pytrace=False)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from chibo.testing.browser import launch

    # Playwright's sync API runs an event loop in this thread; the test still reads the database between
    # steps, which Django would otherwise refuse inside a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
            # While the loop runs, Django hands this thread other database connections than outside it:
            # close them, or they hold PostgreSQL's test database open past the end of the session.
            connections.close_all()


@pytest.fixture
def phone(browser, live_server):  # type: ignore[no-untyped-def]
    """`phone(user)`: a new 375-px phone signed in as `user` through the login form; `phone()`: nobody."""
    from chibo.testing.browser import Phones

    return Phones(browser, live_server.url)
