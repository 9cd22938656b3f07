"""The scope matrix (C3): every URL and API operation, for every persona, inside and outside scope.

How to add a case for a new URL or operation: chibo/core/scope_matrix.py.
"""

import json
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from chibo.accounts.tokens import token_issue
from chibo.api import api
from chibo.core.scope_matrix import ANONYMOUS, PERSONAS, ScopeCase, collect_cases
from chibo.core.testing import World, build_world

CASES = collect_cases()
# Django's own admin and language switch, and the API's routes (checked operation by operation below).
EXCLUDED_NAMESPACES = {"admin", api.urls_namespace}
EXCLUDED_VIEW_MODULES = ("django.views.i18n", "django.views.static", "django.contrib.staticfiles")
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


# --- (a) every URL and operation has a case ------------------------------------------------------


def _routes() -> tuple[dict[str, str], list[str]]:
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

    walk(get_resolver().url_patterns, "", "/")
    return named, unnamed


def _api_operations() -> dict[str, str]:
    """Every API operation as "METHOD /path" (→ its operationId), plus the OpenAPI document and docs page."""
    operations: dict[str, str] = {}
    for path, item in api.get_openapi_schema()["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                operations[f"{method.upper()} {path}"] = operation.get("operationId", "")
    for name in ("openapi-json", "openapi-view"):
        operations[f"GET {reverse(f'{api.urls_namespace}:{name}')}"] = "chibo_api_docs"
    return operations


def _cases_file(module: str) -> str:
    """Where a case for code in `module` (dotted, or an operationId with underscores) belongs."""
    for app in sorted(settings.INSTALLED_APPS, key=len, reverse=True):
        if app.startswith("chibo.") and (module.startswith(app + ".") or module.startswith(app.replace(".", "_"))):
            return f"{app.replace('.', '/')}/tests/scope_cases.py"
    return "chibo/core/tests/scope_cases.py"


def test_every_url_and_api_operation_has_a_scope_case():
    named, unnamed = _routes()
    operations = _api_operations()
    targets = {case.target for case in CASES}
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
        for case in CASES
        if case.target not in named and case.target not in operations
    ]
    problems += [
        f"  {case_id!r} appears {n} times; give each case of one URL a distinct label"
        for case_id, n in Counter(case.id for case in CASES).items()
        if n > 1
    ]
    assert not problems, (
        "The scope matrix (C3) does not match the URLs and API operations. Every page and operation must say "
        "who may use it (see chibo/core/scope_matrix.py):\n" + "\n".join(problems)
    )


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


def _request(client: Client, case: ScopeCase, persona: str, world: World, tokens: dict[str, str]) -> HttpResponse:
    args, query = case.args(world), case.query(world)
    if case.is_api:
        method, path = case.target.split(" ", 1)
        url = path.format(**args)
        headers = {} if persona == ANONYMOUS else {"Authorization": f"Bearer {tokens[persona]}"}
        if method == "GET":
            return client.get(url, query, headers=headers)
        url += f"?{urlencode(query)}" if query else ""
        return client.generic(method, url, json.dumps({}), content_type="application/json", headers=headers)
    if persona != ANONYMOUS:
        client.force_login(getattr(world, persona))
    url = reverse(case.target, kwargs=args)
    if case.method == "POST":
        return client.post(url + (f"?{urlencode(query)}" if query else ""), {})
    return client.generic(case.method, url + (f"?{urlencode(query)}" if query else ""))


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
