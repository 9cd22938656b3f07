import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from chibo.accounts.models import ApiToken
from chibo.accounts.tokens import token_issue, token_revoke
from chibo.core.errors import ChiboError
from chibo.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token"


def _sign_in(client, username, password=PASSWORD, **extra):
    body = {"username": username, "password": password, **extra}
    return client.post(TOKEN_URL, json.dumps(body), content_type="application/json")


def _bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def test_signing_in_returns_a_token_kept_only_as_its_hash(client, world):
    response = _sign_in(client, "viewer", label="Điện thoại")
    assert response.status_code == 200
    raw = response.json()["token"]
    token = ApiToken.objects.get(user=world.viewer)
    assert token.key_hash == ApiToken.hash(raw) != raw
    assert token.label == "Điện thoại"
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert client.get("/api/v1/orgs", headers=_bearer(raw)).status_code == 200


def test_a_wrong_password_is_refused_in_vietnamese(client, world):
    response = _sign_in(client, "viewer", password="sai-mat-khau")
    assert response.status_code == 401
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_cannot_sign_in_nor_use_its_old_token(client, world):
    _token, raw = token_issue(user=world.viewer)
    world.viewer.is_active = False
    world.viewer.save(update_fields=["is_active"])
    assert _sign_in(client, "viewer").status_code == 401
    assert client.get("/api/v1/orgs", headers=_bearer(raw)).status_code == 401


def test_requests_without_a_valid_token_are_refused(client, world):
    missing = client.get("/api/v1/orgs")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    assert client.get("/api/v1/orgs", headers=_bearer("not-a-token")).status_code == 401
    assert client.get("/api/v1/orgs", headers={"Authorization": "Basic dmlld2VyOng="}).status_code == 401


def test_a_revoked_token_is_refused(client, world):
    token, raw = token_issue(user=world.viewer)
    assert client.delete(TOKEN_URL, headers=_bearer(raw)).status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/orgs", headers=_bearer(raw)).status_code == 401


def test_a_user_revokes_one_of_their_tokens_by_id(client, world):
    lost, _lost_raw = token_issue(user=world.viewer, label="Điện thoại bị mất")
    _current, raw = token_issue(user=world.viewer)
    response = client.delete(f"/api/v1/auth/tokens/{lost.pk}", headers=_bearer(raw))
    assert response.status_code == 204
    lost.refresh_from_db()
    assert lost.revoked_at is not None
    assert client.get("/api/v1/orgs", headers=_bearer(raw)).status_code == 200


def test_nobody_revokes_someone_elses_token(client, world):
    theirs, their_raw = token_issue(user=world.anhoa_member)
    _mine, raw = token_issue(user=world.admin)
    response = client.delete(f"/api/v1/auth/tokens/{theirs.pk}", headers=_bearer(raw))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.get("/api/v1/orgs", headers=_bearer(their_raw)).status_code == 200


def test_the_revoke_service_refuses_another_users_token_and_keeps_the_first_revocation(world):
    token, _raw = token_issue(user=world.anhoa_member)
    with pytest.raises(ChiboError, match="của chính mình"):
        token_revoke(actor=world.admin, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None

    first = token_revoke(actor=world.anhoa_member, token=token).revoked_at
    assert token_revoke(actor=world.anhoa_member, token=token).revoked_at == first


def test_a_deactivated_account_gets_no_new_token(world):
    world.viewer.is_active = False
    with pytest.raises(ChiboError, match="bị khóa"):
        token_issue(user=world.viewer)
    assert not ApiToken.objects.exists()


def test_a_user_lists_only_their_own_tokens(client, world):
    token_issue(user=world.anhoa_member, label="của người khác")
    token_issue(user=world.viewer, label="máy tính bảng")
    _current, raw = token_issue(user=world.viewer, label="điện thoại")
    body = client.get("/api/v1/auth/tokens", headers=_bearer(raw)).json()
    assert body["count"] == 2
    assert [t["label"] for t in body["items"]] == ["điện thoại", "máy tính bảng"]
    assert set(body["items"][0]) == {"id", "label", "created_at", "last_used_at", "revoked_at"}


def test_last_use_is_recorded_at_most_once_a_minute(client, world):
    token, raw = token_issue(user=world.viewer)
    client.get("/api/v1/orgs", headers=_bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None

    client.get("/api/v1/orgs", headers=_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first

    long_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    client.get("/api/v1/orgs", headers=_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at > long_ago + timedelta(minutes=1)


def test_repeated_failures_lock_the_account_out_with_a_vietnamese_message(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    answers = [_sign_in(client, "viewer", password="sai").status_code for _ in range(3)]
    assert answers == [401, 401, 429]

    # Locked out: even the right password is refused, in JSON (not the HTML lockout page), and no token made.
    locked = _sign_in(client, "viewer")
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert "sai quá nhiều lần" in locked.json()["detail"]
    assert "15 phút" in locked.json()["detail"]
    assert not ApiToken.objects.exists()
    assert AccessAttempt.objects.get(username="viewer").failures_since_start >= 3


def test_an_api_lockout_also_locks_the_sign_in_page(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        _sign_in(client, "viewer", password="sai")
    page = client.post(reverse("accounts:login"), {"username": "viewer", "password": PASSWORD})
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_earlier_failures_and_counts_as_a_login(client, world):
    _sign_in(client, "viewer", password="sai")
    assert _sign_in(client, "viewer").status_code == 200
    world.viewer.refresh_from_db()
    assert world.viewer.last_login is not None
    assert not AccessAttempt.objects.filter(username="viewer", failures_since_start__gt=0).exists()


def test_officers_need_their_second_factor_when_it_is_required(client, world, settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = True
    refused = _sign_in(client, "ward_officer")
    assert refused.status_code == 401
    assert "xác thực hai lớp" in refused.json()["detail"]
    assert not ApiToken.objects.exists()

    device = TOTPDevice.objects.create(user=world.ward_officer, name="Ứng dụng", confirmed=True)
    code = f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert _sign_in(client, "ward_officer", otp=wrong).status_code == 401
    device.throttle_reset()  # django-otp slows retries after a wrong code
    assert _sign_in(client, "ward_officer", otp=code).status_code == 200
    assert ApiToken.objects.filter(user=world.ward_officer).count() == 1


def test_an_officer_may_use_a_backup_code_once(client, world, settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = True
    device = StaticDevice.objects.create(user=world.ward_officer, name="Mã dự phòng", confirmed=True)
    device.token_set.create(token="bk7x2q9m")
    assert _sign_in(client, "ward_officer", otp="bk7x2q9m").status_code == 200
    assert _sign_in(client, "ward_officer", otp="bk7x2q9m").status_code == 401
    assert not device.token_set.exists()


def test_members_sign_in_without_a_second_factor(client, world, settings):
    settings.CHIBO_REQUIRE_OFFICER_2FA = True
    assert _sign_in(client, "anhoa_member").status_code == 200


def test_an_empty_sign_in_request_is_refused_as_invalid(client, world):
    response = client.post(TOKEN_URL, "{}", content_type="application/json")
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_the_openapi_document_describes_every_operation_and_the_bearer_scheme(client, world):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Chi bộ số API"
    assert {"/api/v1/auth/token", "/api/v1/orgs", "/api/v1/orgs/{org_id}", "/api/v1/members"} <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]


def test_the_docs_page_serves_its_scripts_from_our_own_static_files(client, world):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
