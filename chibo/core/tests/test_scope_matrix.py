"""The scope matrix (C3): every URL and API operation, for every persona, inside and outside scope.

How to add a case for a new URL or operation: chibo/testing/scope_matrix.py.
"""

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, include, path, reverse

from chibo.accounts.tokens import token_issue
from chibo.api import api
from chibo.testing.factories import World, build_world
from chibo.testing.scope_matrix import ANONYMOUS, PERSONAS, ScopeCase, collect_cases

CASES = collect_cases()
# Django's own admin and language switch, and the API's routes (checked operation by operation below).
EXCLUDED_NAMESPACES = {"admin", api.urls_namespace}
EXCLUDED_VIEW_MODULES = ("django.views.i18n", "django.views.static", "django.contrib.staticfiles")
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


# --- (a) every URL and operation has a case ------------------------------------------------------


def _routes(patterns: list[Any] | None = None) -> tuple[dict[str, str], list[str]]:
    """Named URLs to cover (name → module of its view), and the routes that have no name."""
    named: dict[str, str] = {}
    unnamed: list[str] = []

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in EXCLUDED_NAMESPACES:
                    continue
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                module = getattr(p.callback, "__module__", "") or ""
                if module.startswith(EXCLUDED_VIEW_MODULES):
                    continue
                if p.name:
                    named[namespace + p.name] = module
                else:
                    unnamed.append(f"{prefix}{p.pattern} (view in {module})")

    walk(get_resolver().url_patterns if patterns is None else patterns, "", "/")
    return named, unnamed


def _api_operations() -> dict[str, str]:
    """Every API operation as "METHOD /path" (→ its operationId), plus the OpenAPI document and docs page."""
    operations: dict[str, str] = {}
    for route, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operations[f"{method.upper()} {route}"] = operation.get("operationId", "")
    for name in ("openapi-json", "openapi-view"):
        operations[f"GET {reverse(f'{api.urls_namespace}:{name}')}"] = "chibo_api_docs"
    return operations


def _cases_file(module: str) -> str:
    """Where a case for code in `module` (dotted, or an operationId with underscores) belongs."""
    for app in sorted(settings.INSTALLED_APPS, key=len, reverse=True):
        if app.startswith("chibo.") and (module.startswith(app + ".") or module.startswith(app.replace(".", "_"))):
            return f"{app.replace('.', '/')}/tests/scope_cases.py"
    return "chibo/core/tests/scope_cases.py"


def _coverage_problems(cases: list[ScopeCase], patterns: list[Any] | None = None) -> list[str]:
    named, unnamed = _routes(patterns)
    operations = _api_operations()
    targets = {case.target for case in cases}
    problems = [
        f"  URL {name!r}: add ScopeCase({name!r}, allowed=..., args=...) to {_cases_file(module)}"
        for name, module in sorted(named.items())
        if name not in targets
    ]
    problems += [
        f"  API {target!r}: add ScopeCase({target!r}, allowed=..., args=...) to {_cases_file(op_id)}"
        for target, op_id in sorted(operations.items())
        if target not in targets
    ]
    problems += [f"  URL without a name, which the matrix cannot request: {route}; give it a name" for route in unnamed]
    problems += [
        f"  {case.id!r} in {case.module}: no such URL name or API operation any more; rename or remove the case"
        for case in cases
        if case.target not in named and case.target not in operations
    ]
    problems += [
        f"  {case_id!r} appears {n} times; give each case of one URL a distinct label"
        for case_id, n in Counter(case.id for case in cases).items()
        if n > 1
    ]
    return problems


def test_every_url_and_api_operation_has_a_scope_case():
    problems = _coverage_problems(CASES)
    assert not problems, (
        "The scope matrix (C3) does not match the URLs and API operations. Every page and operation must say "
        "who may use it (see chibo/testing/scope_matrix.py):\n" + "\n".join(problems)
    )


def _a_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    return HttpResponse("")


def test_a_new_url_without_a_case_fails_the_suite():
    patterns = [
        path("", include("chibo.urls")),
        path("leaky/<int:pk>/", _a_view, name="leaky"),
        path("nameless/", _a_view),
    ]
    problems = "\n".join(_coverage_problems(CASES, patterns))
    assert "URL 'leaky': add ScopeCase('leaky'" in problems
    assert "/nameless/" in problems
    # Django's admin and the API's own routes are not pages of ours.
    assert "admin:" not in problems
    assert "api-v1:" not in problems


def test_a_case_for_a_url_that_is_gone_fails_the_suite():
    gone = ScopeCase("members:obsolete", allowed=frozenset())
    twice = [ScopeCase("core:home", allowed=frozenset()), ScopeCase("core:home", allowed=frozenset())]
    problems = "\n".join(_coverage_problems([*CASES, gone, *twice]))
    assert "'members:obsolete'" in problems and "no such URL name" in problems
    assert "'core:home' appears" in problems


def test_a_case_names_only_known_personas():
    with pytest.raises(ValueError, match="unknown personas"):
        ScopeCase("core:home", allowed=frozenset({"secretary"}))
    with pytest.raises(ValueError, match="both allowed and forbidden"):
        ScopeCase("core:home", allowed=frozenset({"viewer"}), forbidden=frozenset({"viewer"}))
    with pytest.raises(ValueError, match="are not allowed in"):
        ScopeCase("core:home", allowed=frozenset({"viewer"}), seen_by=frozenset({"admin"}))


# --- (b) every case, as every persona --------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[tuple[World, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """One world and one API token per persona for the whole module, rolled back at the end.

    Each test still runs in its own savepoint inside this transaction (the `db` fixture), so a case that
    creates or changes rows leaves nothing behind for the next one.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            world = build_world()
        tokens = {persona: token_issue(user=getattr(world, persona), label="scope matrix")[1] for persona in PERSONAS}
    yield world, tokens
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _url(case: ScopeCase, args: dict[str, Any]) -> str:
    """The case's URL, or a failure that says which parameters its `args` must provide."""
    try:
        if case.is_api:
            return case.target.split(" ", 1)[1].format(**args)
        return reverse(case.target, kwargs=args)
    except (KeyError, NoReverseMatch) as err:
        pytest.fail(f"{case.id}: cannot build its URL from args {args!r} ({err}); fix `args` in {case.module}.")


def _request(client: Client, case: ScopeCase, persona: str, world: World, tokens: dict[str, str]) -> HttpResponse:
    args, query = case.args(world), case.query(world)
    url = _url(case, args) + (f"?{urlencode(query, doseq=True)}" if query else "")
    if case.is_api:
        headers = {} if persona == ANONYMOUS else {"Authorization": f"Bearer {tokens[persona]}"}
        body = "" if case.http_method == "GET" else json.dumps({})
        return client.generic(case.http_method, url, body, content_type="application/json", headers=headers)
    if persona != ANONYMOUS:
        client.force_login(getattr(world, persona))
    if case.method == "POST":
        return client.post(url, {})
    return client.generic(case.method, url)


def _is_sign_in_redirect(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(resolve_url(settings.LOGIN_URL)) and "next=" in location


def _described(response: HttpResponse) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


@pytest.mark.parametrize(
    ("case", "persona"),
    [(case, persona) for case in CASES for persona in (*PERSONAS, ANONYMOUS)],
    ids=[f"{case.id}-{persona}" for case in CASES for persona in (*PERSONAS, ANONYMOUS)],
)
def test_scope(case: ScopeCase, persona: str, matrix, client, db) -> None:  # type: ignore[no-untyped-def]
    world, tokens = matrix
    response = _request(client, case, persona, world, tokens)
    where = f"{case.id} as {persona}"
    if persona in case.allowed:
        refused = response.status_code in (401, 403, 404, 405) or _is_sign_in_redirect(response)
        assert not refused and response.status_code < 500, (
            f"{where}: expected to get in, got {_described(response)}. If {persona} should not, remove them from "
            f"`allowed` in {case.module}; if they should, the view's scope check is wrong"
            + (" (or the page answers POST only: set method='POST')" if response.status_code == 405 else "")
            + "."
        )
        if case.shows is not None:
            text, shown = case.shows(world), persona in case.seen_by
            assert (text in response.content.decode()) == shown, (
                f"{where}: the page {'should' if shown else 'must not'} show {text!r}. "
                + (
                    f"Fix `seen_by` in {case.module} if {persona} should see it."
                    if shown
                    else "The list leaks outside scope: filter it through chibo.accounts.scope."
                )
            )
    elif persona == ANONYMOUS:
        if case.is_api:
            assert response.status_code == 401, f"{where}: expected 401 (no token), got {_described(response)}."
        else:
            assert _is_sign_in_redirect(response), (
                f"{where}: expected a redirect to sign-in, got {_described(response)}. Decorate the view with "
                f"@login_required, or add {ANONYMOUS!r} to `allowed` in {case.module} if the page is public."
            )
    else:
        expected = case.denial_for(persona)
        assert response.status_code == expected, (
            f"{where}: expected {expected} ({'may see but not act' if expected == 403 else 'outside scope'}), "
            f"got {_described(response)}. Either the view lets {persona} in (fetch objects through "
            f"chibo.accounts.scope's get_*_for_user helpers and check the permission), or {persona} belongs in "
            f"`allowed`{' or `forbidden`' if expected != 403 else ''} in {case.module}."
        )
