"""Refuse fast when overloaded (issue 13, docs/deployment.md §1.8): the live hour puts every cell's meeting on
the same evening, and a burst beyond what the server can answer must be told "come back in a few seconds"
at once, not left waiting a minute in a queue.

`OverloadGuardMiddleware` answers 503 with `Retry-After` to a read when either
- more than `CHIBO_MAX_IN_FLIGHT` requests are being served in this process (gunicorn's gthread worker
  runs a few more threads than that, so the extra ones answer refusals in microseconds while the others
  work), or
- the request already waited longer than `CHIBO_MAX_QUEUE_MS` before reaching the app, when nginx says
  when it received it (`X-Request-Start: t=<seconds.millis>`, deploy/nginx/chibo.conf): answering a poll
  that late is useless, the phone has asked again.

Writes (POST, PUT, PATCH, DELETE) are never refused here: refusing one only makes the page send it again,
and a secretary's tap must not depend on how many phones are polling. The live page keeps any action
nginx or the network refused and sends it again (static/meetings/live.js), and honours Retry-After on its
polls with a growing pause.

`CHIBO_REQUEST_CPU_LOG` (a file path) makes `RequestCpuLogMiddleware` write one line per request: the
process CPU time the request took, its kind and status; the live-hour load test reads it (bench/live_hour.py).
"""

import re
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

_DIGITS = re.compile(r"\d+")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EXEMPT_PATHS = ("/healthz",)


class _InFlight:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.count = 0

    def enter(self) -> int:
        with self.lock:
            self.count += 1
            return self.count

    def leave(self) -> None:
        with self.lock:
            self.count -= 1


IN_FLIGHT = _InFlight()


def _queued_ms(request: HttpRequest) -> float | None:
    """How long ago nginx received the request (X-Request-Start: t=1733112345.123), or None."""
    start = request.headers.get("X-Request-Start", "")
    if not start.startswith("t="):
        return None
    try:
        return (time.time() - float(start[2:])) * 1000
    except ValueError:
        return None


def refusal(retry_after: int) -> HttpResponse:
    response = HttpResponse(
        _("Máy chủ đang bận, xin thử lại sau ít giây."), status=503, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class OverloadGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.CHIBO_MAX_IN_FLIGHT
        n = IN_FLIGHT.enter()
        try:
            if request.method not in WRITES and not request.path.startswith(EXEMPT_PATHS):
                queued = _queued_ms(request)
                late = queued is not None and queued > settings.CHIBO_MAX_QUEUE_MS
                if (limit and n > limit) or late:
                    return refusal(settings.CHIBO_RETRY_AFTER_SECONDS)
            return self.get_response(request)
        finally:
            IN_FLIGHT.leave()


class RequestCpuLogMiddleware:
    """One line per request to CHIBO_REQUEST_CPU_LOG: `<kind> <status> <cpu ms> <wall ms>`, the kind from the
    URL's name (meetings:live_panel, meetings:attendance...); nothing personal. Off when the setting is empty.
    CPU is the thread's (time.thread_time): under gthread, other threads' work is not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.lock = threading.Lock()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = settings.CHIBO_REQUEST_CPU_LOG
        if not path:
            return self.get_response(request)
        cpu, wall = time.thread_time(), time.perf_counter()
        response = self.get_response(request)
        cpu_ms, wall_ms = (time.thread_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000
        match = getattr(request, "resolver_match", None)
        kind = match.view_name if match else _DIGITS.sub("N", request.path)  # 304s answered before routing
        line = f"{kind} {request.method} {response.status_code} {cpu_ms:.3f} {wall_ms:.3f}\n"
        with self.lock, open(path, "a", encoding="utf-8") as log:
            log.write(line)
        return response
