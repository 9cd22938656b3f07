"""Cheap polls of a live meeting (issue 13): what a member's phone (the panel, every 15 s) and the
secretary's page (the list of speakers, every 5 s) ask again and again is answered from the meeting's
`live_version` when nothing changed, without signing the user in again or building any context.

- The panel and the list of speakers are sent with an ETag: an HMAC (SECRET_KEY) of the meeting, its
  `live_version` and `updated_at`, the page, the language, the user and the session. Only a response this
  server built after every scope check can have given a phone that value.
- `LivePollMiddleware` (after the session and locale middleware, before authentication) answers a
  repeated poll whose If-None-Match still matches with 304 Not Modified: one query for the session, one for
  the version. Anything else (no session, another version, another user) goes on to the view, which checks
  scope as always and builds the answer afresh.

What a 304 reveals is only that the copy this same session was shown is still current; every change to
the meeting (each write takes services._lock, which adds one to the version) or a full save of it
(updated_at) makes the next poll go through the whole view again, scope included.
"""

import re
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from chibo.meetings.models import Meeting

# The polled pages, by path (the middleware runs before URL resolution would be worth its cost).
POLLED = re.compile(r"^/meetings/(?P<pk>\d+)/live/(?P<page>panel|speakers)/$")


def etag(*, page: str, meeting_id: int, version: int, updated_at: object, user_id: object, session_key: str) -> str:
    """The ETag of a polled page as this session was shown it (quoted, as HTTP has it)."""
    value = f"{page}:{meeting_id}:{version}:{updated_at}:{get_language()}:{user_id}:{session_key}"
    return '"' + salted_hmac("chibo.meetings.polling", value).hexdigest()[:24] + '"'


def etag_for(request: HttpRequest, page: str, meeting: Meeting) -> str:
    return etag(
        page=page,
        meeting_id=meeting.pk,
        version=meeting.live_version,
        updated_at=meeting.updated_at.isoformat(),
        user_id=str(request.user.pk),
        session_key=request.session.session_key or "",
    )


def mark(response: HttpResponse, tag: str) -> HttpResponse:
    """A polled answer the browser keeps and revalidates every time (private: it is this user's)."""
    response["ETag"] = tag
    patch_cache_control(response, private=True, no_cache=True)
    return response


class LivePollMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = request.headers.get("If-None-Match")
        if asked and request.method == "GET":
            match = POLLED.match(request.path_info)
            if match is not None:
                answer = self._not_modified(request, asked, int(match["pk"]), match["page"])
                if answer is not None:
                    return answer
        return self.get_response(request)

    @staticmethod
    def _not_modified(request: HttpRequest, asked: str, pk: int, page: str) -> HttpResponse | None:
        user_id = request.session.get(SESSION_KEY)  # the session: one query
        if user_id is None:
            return None
        row = Meeting.objects.filter(pk=pk).values_list("live_version", "updated_at").first()  # the version
        if row is None:
            return None
        tag = etag(
            page=page,
            meeting_id=pk,
            version=row[0],
            updated_at=row[1].isoformat(),
            user_id=str(user_id),
            session_key=request.session.session_key or "",
        )
        if tag not in (t.strip() for t in asked.split(",")):
            return None
        return mark(HttpResponseNotModified(), tag)
