"""Bench-only yardsticks for `make bench` (bench/run.py), mounted only when settings.CHIBO_BENCH_FLOOR is on
(the bench's server sets CHIBO_BENCH_FLOOR=1; production URLs never include them).

- `floor(request, case)`: the irreducible work of a page, the "second floor" each page is compared with:
  the session's user (or an API token's) authenticated as the pages do, then ONE hand-written SQL query
  returning the rows the page shows, sent back as plain text. Parameters come from the query string.
- `QueryCountMiddleware`: the number of SQL queries a request ran, in the `X-Bench-Queries` header.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

PAGE = 50

# Case name → (SQL, parameter names read from the query string, in order). Each query returns what the
# page it stands for shows: the same rows, in the same order, with the columns the page prints.
_MEMBER_ROW = (
    "SELECT m.id, m.full_name, m.gender, m.birth_date, m.card_number, m.status, o.name "
    "FROM members_member m JOIN organizations_organization o ON o.id = m.org_id "
)
_SCOPE = "o.path LIKE %s || '%%' "
SQL: dict[str, tuple[str, tuple[str, ...]]] = {
    "member_list": (
        _MEMBER_ROW + "WHERE " + _SCOPE + "AND m.left_on IS NULL ORDER BY m.name_sort_key, m.id LIMIT 51 OFFSET %s",
        ("path", "offset"),
    ),
    "member_search": (
        _MEMBER_ROW + "WHERE " + _SCOPE + "AND m.left_on IS NULL AND m.search_text LIKE '%%' || %s || '%%' "
        "ORDER BY m.name_sort_key, m.id LIMIT 51",
        ("path", "q"),
    ),
    "member_record": (
        "SELECT m.*, o.name, o.path, (SELECT count(*) FROM members_membership r WHERE r.member_id = m.id) "
        "FROM members_member m JOIN organizations_organization o ON o.id = m.org_id WHERE m.id = %s",
        ("member",),
    ),
    "meeting_list": (
        "SELECT mt.id, mt.kind, mt.scheduled_date, mt.scheduled_time, mt.status, o.name "
        "FROM meetings_meeting mt JOIN organizations_organization o ON o.id = mt.org_id "
        "WHERE " + _SCOPE + "ORDER BY mt.scheduled_date DESC, mt.id DESC LIMIT 51",
        ("path",),
    ),
    "meeting_detail": (
        "SELECT mt.*, o.name, (SELECT count(*) FILTER (WHERE a.status IN ('present', 'late')) || '/' || count(*) "
        "FROM meetings_attendance a WHERE a.meeting_id = mt.id), "
        "(SELECT count(*) FROM meetings_speakingturn t WHERE t.meeting_id = mt.id) "
        "FROM meetings_meeting mt JOIN organizations_organization o ON o.id = mt.org_id WHERE mt.id = %s",
        ("meeting",),
    ),
    "live": (
        "SELECT a.member_id, m.full_name, a.status, a.reason FROM meetings_attendance a "
        "JOIN members_member m ON m.id = a.member_id WHERE a.meeting_id = %s ORDER BY m.name_sort_key",
        ("meeting",),
    ),
    "live_panel": (
        "SELECT t.position, m.full_name, t.status, "
        "(SELECT count(*) FROM meetings_attendance a WHERE a.meeting_id = t.meeting_id "
        "AND a.status IN ('present', 'late')) FROM meetings_speakingturn t "
        "JOIN members_member m ON m.id = t.member_id WHERE t.meeting_id = %s ORDER BY t.position",
        ("meeting",),
    ),
    "calendar": (
        "SELECT mt.id, mt.org_id, o.name, mt.scheduled_date, mt.scheduled_time, mt.status "
        "FROM meetings_meeting mt JOIN organizations_organization o ON o.id = mt.org_id "
        "WHERE " + _SCOPE + "AND mt.scheduled_date >= %s::date "
        "AND mt.scheduled_date < (%s::date + interval '1 month') ORDER BY mt.scheduled_date, mt.scheduled_time",
        ("path", "month", "month"),
    ),
    "minutes": (
        "SELECT d.*, (SELECT string_agg(m.full_name || ': ' || t.summary, E'\\n' ORDER BY t.position) "
        "FROM meetings_speakingturn t JOIN members_member m ON m.id = t.member_id WHERE t.meeting_id = d.meeting_id) "
        "FROM documents_meetingdocument d WHERE d.id = %s",
        ("document",),
    ),
    "tasks": (
        "SELECT t.id, t.description, t.due_on, count(a.id) FROM tasks_task t "
        "LEFT JOIN tasks_taskassignment a ON a.task_id = t.id WHERE t.meeting_id = %s GROUP BY t.id ORDER BY t.id",
        ("meeting",),
    ),
}


def _user(request: HttpRequest) -> Any:
    """The user as the pages (session) or the API (bearer token) authenticate them."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        from chibo.accounts.tokens import token_authenticate

        token = token_authenticate(header.removeprefix("Bearer ").strip())
        return token.user if token is not None else None
    user = request.user
    return user if user.is_authenticated else None


def floor(request: HttpRequest, case: str) -> HttpResponse:
    if _user(request) is None:
        return HttpResponseForbidden("sign in")
    sql, names = SQL[case]
    params = [request.GET.get(name, "0") for name in names]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    body = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)
    return HttpResponse(f"{len(rows)} rows\n{body}", content_type="text/plain; charset=utf-8")


class QueryCountMiddleware:
    """`X-Bench-Queries`: the SQL queries the request ran (session, user and grants included)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = [0]

        def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count[0])
        return response
