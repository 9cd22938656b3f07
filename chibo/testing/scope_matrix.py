"""The scope matrix (C3): every page and API operation, requested by every persona, inside and outside scope.

Each app lists its URLs in `chibo/<app>/tests/scope_cases.py` as a module-level `CASES = [ScopeCase(...)]`.
chibo/core/tests/test_scope_matrix.py then

1. fails for any named URL (outside admin and i18n) or API operation that has no case, and for any case
   whose URL or operation no longer exists;
2. requests every case as each persona of `chibo.testing.factories.build_world()` and as an anonymous visitor,
   and checks that the personas in `allowed` get in (no 401/403/404, no redirect to sign-in) and that
   everyone else gets the case's denial: `denied` (404 for an object outside scope, 403 where a page is
   readable but the action is not) for a signed-in persona; a redirect to sign-in (pages) or 401 (API)
   for the anonymous visitor. Personas listed in `forbidden` see the object but may not do this: 403.

A page is named by its URL name ("members:detail"); an API operation by its method and path as in the
OpenAPI document ("GET /api/v1/members/{member_id}"). `args` builds the URL kwargs or path parameters from
the world; it may create what the case needs (a meeting, an import job): each request runs in its own
transaction, rolled back afterwards. Pages answering POST only are sent an empty form; API operations
other than GET an empty JSON object. Two cases of one target (with and without `?org=`) differ by `label`.

A list answers everyone signed in and filters what it shows; `shows` and `seen_by` check the filter: the
text `shows(world)` (say, an An Hòa member's name) must appear for the personas in `seen_by` and for
nobody else who gets the page.

Example:
    ScopeCase("members:detail", allowed=ANHOA_ROLL | {"anhoa_member"},
              args=lambda w: {"pk": w.member_of_anhoa.pk}),
    ScopeCase("GET /api/v1/orgs/{org_id}", allowed=ANHOA_VISIBLE, args=lambda w: {"org_id": w.anhoa.pk}),
    # Officers rename An Hòa; those who only see it get 403, everyone else 404.
    ScopeCase("organizations:rename", allowed=ANHOA_OFFICERS, forbidden=ANHOA_VISIBLE - ANHOA_OFFICERS,
              args=lambda w: {"pk": w.anhoa.pk}),
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps

from chibo.testing.factories import World

ANONYMOUS = "anonymous"
PERSONAS = (
    "admin",
    "town_officer",
    "ward_officer",
    "anhoa_secretary",
    "anhoa_member",
    "other_cell_secretary",
    "outsider",
    "viewer",
    "supervisor",
)
SIGNED_IN = frozenset(PERSONAS)
EVERYONE = SIGNED_IN | {ANONYMOUS}

# Named groups for the cell everyone's tests talk about, Chi bộ An Hòa (see World).
ANHOA_OFFICERS = frozenset({"admin", "town_officer", "ward_officer"})  # edit anything in An Hòa
ANHOA_EDITORS = ANHOA_OFFICERS | {"anhoa_secretary"}  # edit its members, run its meetings
ANHOA_ROLL = ANHOA_EDITORS | {"viewer"}  # list its members, see their records
ANHOA_VISIBLE = ANHOA_ROLL | {"anhoa_member", "supervisor"}  # see the cell itself
# The ward above it, Phường Bình Thạnh: its officers, and the viewer granted there.
WARD_VISIBLE = ANHOA_OFFICERS | {"viewer"}


def _nothing(world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class ScopeCase:
    target: str  # "app:url_name" for a page, "METHOD /api/v1/path/{param}" for an API operation
    allowed: frozenset[str]
    args: Callable[[World], dict[str, Any]] = _nothing  # URL kwargs or API path parameters
    query: Callable[[World], dict[str, Any]] = _nothing  # query string
    method: str = "GET"  # pages only; "POST" for POST-only pages (API targets carry their method)
    forbidden: frozenset[str] = frozenset()  # signed-in personas who see the object but may not act: 403
    denied: int = 404  # what any other signed-in persona outside `allowed` gets
    label: str = ""  # tells apart several cases of one target
    # For lists, which filter rather than refuse: a text (a member's name) that only `seen_by` find in the page.
    shows: Callable[[World], str] | None = None
    seen_by: frozenset[str] = frozenset()
    module: str = field(default="", compare=False)  # set by collect_cases(): where the case is written

    def __post_init__(self) -> None:
        unknown = (set(self.allowed) | set(self.forbidden)) - EVERYONE
        if unknown:
            raise ValueError(f"{self.target}: unknown personas {sorted(unknown)}; use {sorted(EVERYONE)}")
        if set(self.allowed) & set(self.forbidden):
            raise ValueError(
                f"{self.target}: {sorted(set(self.allowed) & set(self.forbidden))} both allowed and forbidden"
            )
        if ANONYMOUS in self.forbidden:
            raise ValueError(f"{self.target}: the anonymous visitor is sent to sign in, never 403")
        object.__setattr__(self, "allowed", frozenset(self.allowed))
        object.__setattr__(self, "forbidden", frozenset(self.forbidden))
        object.__setattr__(self, "seen_by", frozenset(self.seen_by))
        if not self.seen_by <= self.allowed:
            raise ValueError(f"{self.target}: seen_by {sorted(self.seen_by - self.allowed)} are not allowed in")

    @property
    def is_api(self) -> bool:
        return " /" in self.target

    @property
    def http_method(self) -> str:
        return self.target.split(" ", 1)[0] if self.is_api else self.method

    def denial_for(self, persona: str) -> int:
        """The status a signed-in persona outside `allowed` gets."""
        return 403 if persona in self.forbidden else self.denied

    @property
    def id(self) -> str:
        return f"{self.target}[{self.label}]" if self.label else self.target


def collect_cases() -> list[ScopeCase]:
    """Every installed chibo app's `tests/scope_cases.py` CASES, in app order."""
    cases: list[ScopeCase] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chibo."):
            continue
        module_name = f"{config.name}.tests.scope_cases"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name in (module_name, f"{config.name}.tests"):
                continue
            raise
        for case in getattr(module, "CASES", []):
            if not isinstance(case, ScopeCase):
                raise TypeError(f"{module_name}.CASES holds {case!r}, not a ScopeCase")
            object.__setattr__(case, "module", module_name)
            cases.append(case)
    return cases
