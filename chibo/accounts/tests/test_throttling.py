"""Failed sign-ins are throttled (django-axes: 5 failures lock username+address for 15 minutes), in Vietnamese,
and nothing of them reaches the logs that should not."""

import logging

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from chibo.testing.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "sai-mat-khau-hoan-toan"


def _login(client, password: str, username: str = "anhoa_member", address: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _signed_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


def test_the_login_page_is_in_vietnamese(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html


def test_a_wrong_password_is_told_in_vietnamese(client, world):
    response = _login(client, WRONG)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert not _signed_in(client)


def test_the_sixth_try_is_refused_even_with_the_right_password(client, world):
    for _ in range(5):
        _login(client, WRONG)
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert not _signed_in(client)
    assert AccessAttempt.objects.get(username="anhoa_member").failures_since_start >= 5


def test_the_lockout_is_per_username_and_address(client, world):
    for _ in range(5):
        _login(client, WRONG)
    assert _login(client, PASSWORD, address="10.0.0.2").status_code == 302  # another address
    client.logout()
    assert _login(client, PASSWORD, username="viewer").status_code == 302  # another user, same address


def test_a_success_resets_the_counter(client, world):
    for _ in range(4):
        _login(client, WRONG)
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    assert not AccessAttempt.objects.filter(username="anhoa_member").exists()
    for _ in range(4):
        _login(client, WRONG)
    assert _login(client, PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_lockout_ends_after_the_cool_off(client, world, settings):
    for _ in range(5):
        _login(client, WRONG)
    # Fifteen minutes later (AXES_COOLOFF_TIME): age the attempts rather than wait.
    from datetime import timedelta

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, PASSWORD).status_code == 302


def test_a_failed_login_logs_neither_the_password_nor_the_username(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    for _ in range(6):
        _login(client, WRONG)
    text = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert WRONG not in text
    assert PASSWORD not in text
    informative = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert informative  # the lockout is logged…
    assert not any(
        "anhoa_member" in r.getMessage() or "10.0.0.1" in r.getMessage() for r in informative
    )  # …anonymously


def test_the_throttle_keeps_no_password(client, world):
    _login(client, WRONG)
    attempt = AccessAttempt.objects.get(username="anhoa_member")
    assert WRONG not in attempt.post_data
