"""Officers sign in with a second factor (C3): enrolment, verification, backup codes, and the gate itself."""

from base64 import b32decode
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.urls import get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts import services
from chibo.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = True


def _code(device: TOTPDevice, drift: int = 0) -> str:
    """The code an authenticator app would show now (or `drift` steps later)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + drift):06d}"


def _enrol(client, user) -> list[str]:
    """Go through enrolment as the user would; returns the backup codes shown."""
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device), "next": "/"})
    assert response.status_code == 200, response.content
    return response.context["codes"]


def _is_two_factor_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path == reverse("accounts:two_factor")


# --- Enrolment ----------------------------------------------------------------------------------------


def test_the_enrolment_page_shows_an_inline_qr_code_and_the_secret(client, world):
    client.force_login(world.ward_officer)
    response = client.get(reverse("accounts:two_factor"))
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=world.ward_officer, confirmed=False)
    assert response.context["enrolling"]
    assert "<svg" in html and "<img" not in html  # drawn here, no QR service
    secret = response.context["secret"].replace(" ", "")
    assert secret and secret in device.config_url
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_reloading_the_enrolment_page_keeps_the_same_key(client, world):
    client.force_login(world.ward_officer)
    first = client.get(reverse("accounts:two_factor")).context["secret"]
    assert client.get(reverse("accounts:two_factor")).context["secret"] == first
    assert TOTPDevice.objects.filter(user=world.ward_officer).count() == 1


def test_a_right_code_confirms_the_device_shows_backup_codes_once_and_verifies_the_session(client, world, required):
    client.force_login(world.ward_officer)
    codes = _enrol(client, world.ward_officer)
    assert TOTPDevice.objects.get(user=world.ward_officer).confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(StaticToken.objects.filter(device__user=world.ward_officer).values_list("token", flat=True)) == set(
        codes
    )
    assert client.get(reverse("members:list")).status_code == 200
    entries = LogEntry.objects.get_for_object(world.ward_officer)
    assert any(e.changes_dict.get("xác thực hai lớp") == ["", "đã đăng ký"] for e in entries)


def test_a_wrong_code_does_not_confirm_the_device(client, world):
    client.force_login(world.ward_officer)
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=world.ward_officer)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:two_factor"), {"token": wrong})
    assert response.status_code == 400
    assert "Mã xác thực không đúng hoặc đã hết hạn." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


# --- Signing in with the second factor ---------------------------------------------------------------


def test_an_officer_is_sent_to_the_second_factor_after_the_password_and_back_after_it(client, world, required):
    client.force_login(world.ward_officer)
    _enrol(client, world.ward_officer)
    client.logout()

    response = client.post(
        reverse("accounts:login"), {"username": "ward_officer", "password": PASSWORD, "next": "/members/?q=an"}
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert _is_two_factor_redirect(response)
    assert parse_qs(urlsplit(response["Location"]).query)["next"] == ["/members/?q=an"]

    device = TOTPDevice.objects.get(user=world.ward_officer)
    # The enrolment used this step's code; the app's next code is accepted, this one would be a replay.
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device, drift=1), "next": "/members/?q=an"})
    assert response.status_code == 302 and response["Location"] == "/members/?q=an"
    assert client.get("/members/").status_code == 200


def test_a_code_cannot_be_used_twice(client, world, required):
    client.force_login(world.ward_officer)
    _enrol(client, world.ward_officer)
    device = TOTPDevice.objects.get(user=world.ward_officer)
    client.logout()
    client.force_login(world.ward_officer)
    response = client.post(reverse("accounts:two_factor"), {"token": _code(device)})
    assert response.status_code == 400
    assert _is_two_factor_redirect(client.get(reverse("core:home")))


def test_a_backup_code_works_once(client, world, required):
    client.force_login(world.ward_officer)
    codes = _enrol(client, world.ward_officer)
    client.logout()

    client.force_login(world.ward_officer)
    assert client.post(reverse("accounts:two_factor"), {"token": codes[0].upper()}).status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    client.logout()

    client.force_login(world.ward_officer)
    assert client.post(reverse("accounts:two_factor"), {"token": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=world.ward_officer).count() == 9


def test_nothing_is_remembered_a_new_sign_in_asks_again(client, world, required):
    client.force_login(world.ward_officer)
    _enrol(client, world.ward_officer)
    client.logout()
    client.force_login(world.ward_officer)
    assert _is_two_factor_redirect(client.get(reverse("core:home")))
    assert not any("remember" in name or "trust" in name for name in client.cookies)


def test_new_backup_codes_replace_the_old_ones(client, world, required):
    client.force_login(world.ward_officer)
    old = _enrol(client, world.ward_officer)
    response = client.post(reverse("accounts:backup_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    tokens = set(StaticToken.objects.filter(device__user=world.ward_officer).values_list("token", flat=True))
    assert tokens == set(new)


def test_after_a_reset_by_an_admin_the_officer_enrols_again(client, world, required):
    client.force_login(world.ward_officer)
    _enrol(client, world.ward_officer)
    services.user_reset_second_factor(actor=world.admin, user=world.ward_officer)
    # The session verified with the removed device is verified no more.
    assert _is_two_factor_redirect(client.get(reverse("core:home")))
    assert client.get(reverse("accounts:two_factor")).context["enrolling"]


# --- The gate ---------------------------------------------------------------------------------------


def _pages_without_arguments() -> list[str]:
    """Every named page that takes no argument (other than the open ones)."""
    from chibo.accounts.middleware import OPEN_VIEWS

    names = []

    def walk(patterns, namespace):  # type: ignore[no-untyped-def]
        for p in patterns:
            if hasattr(p, "url_patterns"):
                if p.namespace in ("admin",) or (p.namespace or "").startswith("api-"):
                    continue
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif p.name and not p.pattern.regex.groupindex and f"{namespace}{p.name}" not in OPEN_VIEWS:
                names.append(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_an_officer_cannot_reach_any_page_before_verifying(client, world, required):
    client.force_login(world.ward_officer)
    names = _pages_without_arguments()
    assert "members:list" in names and "accounts:user_list" in names and "audit:my_data" in names
    for name in names:
        for method in (client.get, client.post):
            response = method(reverse(name))
            assert _is_two_factor_redirect(response), f"{name} answered {response.status_code} before the second factor"


def test_an_officer_cannot_reach_a_record_or_the_admin_site_before_verifying(client, world, required):
    client.force_login(world.admin)
    for url in (
        reverse("members:detail", args=[world.member_of_anhoa.pk]),
        reverse("accounts:user_detail", args=[world.viewer.pk]),
        reverse("audit:member_history", args=[world.member_of_anhoa.pk]),
        "/admin/",
    ):
        assert _is_two_factor_redirect(client.get(url)), url


def test_an_htmx_request_is_told_to_navigate_to_the_second_factor(client, world, required):
    client.force_login(world.ward_officer)
    response = client.get(reverse("members:list"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert urlsplit(response["HX-Redirect"]).path == reverse("accounts:two_factor")


def test_an_htmx_fragment_polled_from_the_second_factor_page_is_refused_without_a_loop(client, world, required):
    client.force_login(world.ward_officer)
    response = client.get(
        reverse("members:list"),
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/accounts/two-factor/?next=%2F"},
    )
    assert response.status_code == 403
    assert "HX-Redirect" not in response


def test_the_api_refuses_a_session_officer_before_the_second_factor(client, world, required):
    client.force_login(world.ward_officer)
    response = client.get("/api/v1/orgs")
    assert response.status_code == 403


def test_a_plain_member_is_never_asked(client, world, required):
    for persona in (world.anhoa_member, world.anhoa_secretary, world.viewer, world.supervisor):
        client.force_login(persona)
        assert client.get(reverse("core:home")).status_code == 200
        assert client.get(reverse("members:detail", args=[world.member_of_anhoa.pk])).status_code != 302


def test_officers_are_not_asked_when_the_setting_is_off(client, world, settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = False
    client.force_login(world.ward_officer)
    assert client.get(reverse("members:list")).status_code == 200


def test_the_next_page_must_be_on_this_site(client, world, required):
    client.force_login(world.ward_officer)
    _enrol(client, world.ward_officer)
    client.logout()
    client.force_login(world.ward_officer)
    device = TOTPDevice.objects.get(user=world.ward_officer)
    response = client.post(
        reverse("accounts:two_factor"), {"token": _code(device, drift=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.browser
def test_an_officer_enrols_on_a_phone_in_a_browser(phone, world, settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = True
    page = phone()
    page.goto(reverse("members:list"))
    page.fill("#id_username", "ward_officer")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/accounts/two-factor/**")
    page.locator(".qr svg").wait_for()
    qr = page.locator(".qr svg").bounding_box()
    assert qr is not None and qr["width"] >= 150 and qr["x"] + qr["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Typed in by hand from the secret on the page, as an authenticator app would (no database here:
    # Playwright's loop runs in this thread).
    secret = page.locator(".secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_token", f"{totp(key):06d}")
    page.click("main form button[type=submit]")
    page.locator(".backup-codes").wait_for()
    assert page.locator(".backup-codes li").count() == 10
    page.click("text=Tôi đã lưu các mã, tiếp tục")
    page.wait_for_url("**/members/")
    assert TOTPDevice.objects.get(user=world.ward_officer).confirmed
