"""Pages that never fall out of the site: 403, 404, 500 and the CSRF refusal in Vietnamese, in the site's
layout (the menu's stylesheet and brand), each with a way back home."""

import pytest
from django.test import Client
from django.urls import path

from chibo.urls import urlpatterns as site_urls


def _boom(request):  # type: ignore[no-untyped-def]
    raise RuntimeError("a bug")


urlpatterns = [*site_urls, path("boom/", _boom)]


def _in_the_site(page: str) -> None:
    assert 'href="/static/css/chibo.css"' in page or "/static/css/chibo." in page  # the site's layout
    assert 'class="brand"' in page
    assert 'href="/"' in page and "Về trang chủ" in page  # the way back
    assert '<html lang="vi">' in page


def test_an_unknown_address_answers_404_in_vietnamese_inside_the_site(client, world):
    client.force_login(world.anhoa_secretary)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    _in_the_site(page)
    assert "Không tìm thấy trang" in page and "Not Found" not in page
    assert 'class="mainnav"' in page  # signed in: the menu is there


def test_a_forbidden_action_answers_403_in_vietnamese_inside_the_site(client, world):
    client.force_login(world.viewer)
    response = client.get(f"/rules/{world.ward.pk}/new/")
    assert response.status_code == 403
    page = response.content.decode()
    _in_the_site(page)
    assert "Bạn không có quyền làm việc này" in page and "Forbidden" not in page


@pytest.mark.urls(__name__)
def test_a_server_error_answers_500_in_vietnamese_inside_the_site(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    _in_the_site(page)
    assert "Hệ thống gặp lỗi" in page and "Server Error" not in page


def test_a_form_posted_without_its_token_answers_in_vietnamese_with_the_way_back(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.anhoa_secretary)
    came_from = f"http://testserver/meetings/{world.anhoa.pk}/"
    response = client.post(f"/rules/{world.anhoa.pk}/new/", {}, HTTP_REFERER=came_from)
    assert response.status_code == 403
    page = response.content.decode()
    _in_the_site(page)
    assert "Biểu mẫu không gửi được" in page and "CSRF verification failed" not in page
    assert f'href="{came_from}"' in page and "Quay lại trang trước" in page
    # A referer on another site is not offered as the way back.
    other = client.post(f"/rules/{world.anhoa.pk}/new/", {}, HTTP_REFERER="https://evil.example/x").content.decode()
    assert "evil.example" not in other
