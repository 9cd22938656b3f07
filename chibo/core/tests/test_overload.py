"""Overload is refused fast (issue 13): reads beyond capacity get 503 with Retry-After before any work; writes
are never refused by the guard."""

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chibo.core import overload
from chibo.testing.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(monkeypatch, settings):  # type: ignore[no-untyped-def]
    """This process already serving as many requests as it may."""
    settings.CHIBO_MAX_IN_FLIGHT = 4
    settings.CHIBO_RETRY_AFTER_SECONDS = 7
    monkeypatch.setattr(overload.IN_FLIGHT, "count", 4)


def signed_in(world: World) -> Client:
    c = Client()
    c.force_login(world.anhoa_secretary)
    return c


def test_a_read_beyond_the_in_flight_limit_is_refused_at_once_with_retry_after(world: World, busy: None) -> None:
    c = signed_in(world)
    with CaptureQueriesContext(connection) as queries:
        r = c.get(reverse("meetings:list"))
    assert r.status_code == 503 and r["Retry-After"] == "7" and r["Cache-Control"] == "no-store"
    assert "Máy chủ đang bận" in r.content.decode()
    assert queries.captured_queries == []  # not even the session


def test_a_write_is_never_refused_by_the_guard(world: World, busy: None) -> None:
    r = signed_in(world).post(reverse("meetings:list"))
    assert r.status_code != 503  # the view itself answers (405: the list takes no POST)


def test_the_count_goes_back_down_after_each_request(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHIBO_MAX_IN_FLIGHT = 1
    c = signed_in(world)
    for _ in range(3):
        assert c.get(reverse("meetings:list")).status_code == 200
    assert overload.IN_FLIGHT.count == 0


def test_a_read_that_waited_too_long_in_the_queue_is_refused(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHIBO_MAX_QUEUE_MS = 2000
    c = signed_in(world)
    stale = f"t={time.time() - 3:.3f}"
    assert c.get(reverse("meetings:list"), HTTP_X_REQUEST_START=stale).status_code == 503
    fresh = f"t={time.time():.3f}"
    assert c.get(reverse("meetings:list"), HTTP_X_REQUEST_START=fresh).status_code == 200


def test_the_health_check_is_always_answered(busy: None) -> None:
    assert Client().get(reverse("core:healthz")).status_code == 200


def test_the_cpu_log_names_each_request_by_its_view_and_nothing_personal(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "cpu.log"
    settings.CHIBO_REQUEST_CPU_LOG = str(log)
    c = signed_in(world)
    c.get(reverse("meetings:list") + "?q=Nguyễn")
    kind, method, status, cpu_ms, wall_ms = log.read_text().split()
    assert (kind, method, status) == ("meetings:list", "GET", "200")
    assert 0 < float(cpu_ms) and 0 < float(wall_ms)
