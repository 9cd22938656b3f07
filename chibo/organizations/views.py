"""Pages of the organization tree: drill-down from the user's top nodes, node detail with history, and the
restructuring forms (create a child, rename, move, merge, split, dissolve).

Access rule for the forms: a node outside the user's view scope is 404; a node the user may see but not
restructure (no EDIT_ORG on it) is 403.
"""

import re
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.functions import Length, Substr
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on, orgs_with
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.forms import day_filter
from chibo.core.pagination import paginate
from chibo.members.models import Member, Position
from chibo.members.selectors import in_name_order
from chibo.organizations import services
from chibo.organizations.forms import (
    ChildOrgForm,
    DissolveForm,
    MergeForm,
    MoveForm,
    RenameForm,
    ServiceForm,
    SplitForm,
    child_kinds,
    search_units,
    unit_entry,
    with_parent_name,
)
from chibo.organizations.models import Organization, RestructuringEvent
from chibo.organizations.selectors import ancestors_on, children_on, version_on, versions_on


def _as_of(request: AuthenticatedHttpRequest) -> tuple[date, forms.Form]:
    """The date the tree is shown on: `as_of` as dd/mm/yyyy or yyyy-mm-dd (the date picker); else today. A bad
    date is shown beside the field (and today's tree below it), not ignored."""
    form, as_of, _bad = day_filter(request, "as_of", _("Xem theo ngày"), today())
    return as_of, form


def _top_nodes(user: Any) -> QuerySet[Organization]:
    """The highest visible nodes: those whose parent the user cannot see (one query, however large the scope)."""
    visible = orgs_with(user, Perm.VIEW_ORG)
    parent_path = Substr("path", 1, Length("path") - Organization.steplen)
    return visible.annotate(parent_path=parent_path).exclude(parent_path__in=visible.values("path")).order_by("path")


@login_required
def tree(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's top nodes and their children; each node's page drills down. `as_of` shows a past date."""
    as_of, as_of_form = _as_of(request)
    tops = list(_top_nodes(request.user))
    top_ids = [t.pk for t in tops]
    top_versions = {v.org_id: v for v in versions_on(as_of).filter(org_id__in=top_ids)}
    children: dict[int, list] = {pk: [] for pk in top_ids}
    for v in versions_on(as_of).filter(parent_id__in=top_ids).select_related("org"):
        children[v.parent_id].append(v)  # type: ignore[index]
    rows = [
        {
            "org": org,
            "version": top_versions[org.pk],
            "children": sorted(children[org.pk], key=lambda v: v.name),
            "can_add_child": org.is_active and bool(child_kinds(org)) and has_perm_on(request.user, org, Perm.EDIT_ORG),
        }
        for org in tops
        if org.pk in top_versions
    ]
    return render(request, "organizations/tree.html", {"rows": rows, "as_of": as_of, "as_of_form": as_of_form})


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, pk)
    as_of, as_of_form = _as_of(request)
    version = version_on(org, as_of)
    children = children_on(org, as_of) if version else []
    visible_ids = set(orgs_with(request.user).filter(pk__in=[c.org_id for c in children]).values_list("pk", flat=True))
    ancestors = [a for a in ancestors_on(org, as_of) if has_perm_on(request.user, a.org, Perm.VIEW_ORG)]
    events = paginate(
        request,
        RestructuringEvent.objects.filter(org=org).select_related("related_org").order_by("-effective_on", "-id"),
        per_page=20,
    )
    can_list = has_perm_on(request.user, org, Perm.LIST_MEMBERS)
    can_edit = has_perm_on(request.user, org, Perm.EDIT_ORG) and org.is_active
    committee = (
        Position.objects.filter(org=org, ended_on__isnull=True).select_related("member").order_by("title", "started_on")
        if org.is_cell and can_list
        else []
    )
    return render(
        request,
        "organizations/detail.html",
        {
            "org": org,
            "version": version,
            "as_of": as_of,
            "as_of_form": as_of_form,
            "children": [c for c in children if c.org_id in visible_ids],
            "ancestors": ancestors,
            "page": events,
            "versions": org.versions.select_related("parent").order_by("-valid_from")[:50],
            "member_count": Member.objects.current().filter(org__path__startswith=org.path).count()
            if can_list
            else None,
            "committee": committee,
            "can_list_members": can_list,
            "can_add_member": org.is_cell and org.is_active and has_perm_on(request.user, org, Perm.EDIT_MEMBERS),
            "can_edit": can_edit,
            "can_add_child": can_edit and bool(child_kinds(org)),
        },
    )


def _form_page(
    request: AuthenticatedHttpRequest,
    org: Organization,
    form: ServiceForm,
    *,
    title: str,
    submit: str,
    template: str = "",
) -> HttpResponse:
    """Render a restructuring form; an invalid submission answers 400 with the messages beside the fields."""
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        template or "organizations/form.html",
        {"org": org, "form": form, "title": title, "submit": submit},
        status=status,
    )


def _editable(request: AuthenticatedHttpRequest) -> QuerySet[Organization]:
    """Active nodes the user may restructure, each with its parent's name for the select."""
    return with_parent_name(orgs_with(request.user, Perm.EDIT_ORG).filter(dissolved_on__isnull=True))


@login_required
def create_child(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    parent = get_org_for_user(request.user, pk, action="change")
    if not child_kinds(parent) or not parent.is_active:
        raise PermissionDenied
    form = ChildOrgForm(request.POST or None, parent=parent, initial={"established_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            child = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã thành lập %(name)s.") % {"name": child.name})
            return redirect(child)
    return _form_page(
        request,
        parent,
        form,
        title=_("Thành lập tổ chức trực thuộc %(name)s") % {"name": parent.name},
        submit=_("Thành lập"),
    )


@login_required
def rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, pk, action="change")
    form = RenameForm(request.POST or None, initial={"name": org.name, "effective_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_rename(actor=request.user, org=org, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã đổi tên."))
            return redirect(org)
    return _form_page(request, org, form, title=_("Đổi tên %(name)s") % {"name": org.name}, submit=_("Đổi tên"))


@login_required
def move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, pk, action="change")
    # Cells have no children; a node cannot go under itself; staying put is no move.
    parents = _editable(request).exclude(kind__in=Organization.CELL_KINDS).exclude(path__startswith=org.path)
    if org.depth > 1:
        parents = parents.exclude(path=org.path[: -Organization.steplen])
    form = MoveForm(request.POST or None, parents=parents, initial={"effective_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.org_move(
                actor=request.user,
                org=org,
                new_parent=data["parent"],
                kind=data["kind"] or None,
                effective_on=data["effective_on"],
                decision=data["decision"],
                note=data["note"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã chuyển %(name)s.") % {"name": org.name})
            return redirect(org)
    return _form_page(
        request, org, form, title=_("Chuyển trực thuộc: %(name)s") % {"name": org.name}, submit=_("Chuyển")
    )


@login_required
def merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Merge this node (and, if chosen, other siblings) into a sibling of the same level."""
    org = get_org_for_user(request.user, pk, action="change")
    cell_kinds = [k.value for k in Organization.CELL_KINDS]
    same_level = cell_kinds if org.is_cell else [k.value for k in Organization.Kind if k.value not in cell_kinds]
    siblings = (
        _editable(request)
        .filter(depth=org.depth, path__startswith=org.path[: -Organization.steplen], kind__in=same_level)
        .exclude(pk=org.pk)
    )
    form = MergeForm(request.POST or None, siblings=siblings, initial={"effective_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = services.org_merge(
                actor=request.user,
                sources=[org, *data["sources"]],
                target=data["target"],
                effective_on=data["effective_on"],
                decision=data["decision"],
                note=data["note"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã sáp nhập vào %(name)s.") % {"name": target.name})
            return redirect(target)
    return _form_page(request, org, form, title=_("Sáp nhập %(name)s") % {"name": org.name}, submit=_("Sáp nhập"))


@login_required
def split(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Split a cell: name the new cells, then choose the new cell of every active member."""
    org = get_org_for_user(request.user, pk, action="change")
    if not org.is_cell:
        raise PermissionDenied
    parts = SplitForm.clamp(request.POST.get("parts") or request.GET.get("parts"))
    members = list(in_name_order(Member.objects.current().filter(org=org)))
    form = SplitForm(request.POST or None, members=members, parts=parts, initial={"effective_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.org_split(
                actor=request.user,
                org=org,
                parts=form.split_parts(),
                effective_on=data["effective_on"],
                decision=data["decision"],
                note=data["note"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            names = ", ".join(c.name for c in created)
            messages.success(request, _("Đã chia tách thành: %(names)s.") % {"names": names})
            return redirect(org)
    return _form_page(
        request,
        org,
        form,
        title=_("Chia tách %(name)s") % {"name": org.name},
        submit=_("Chia tách"),
        template="organizations/split.html",
    )


@login_required
def dissolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, pk, action="change")
    form = DissolveForm(request.POST or None, initial={"effective_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.org_dissolve(actor=request.user, org=org, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã giải thể %(name)s.") % {"name": org.name})
            return redirect(org)
    return _form_page(request, org, form, title=_("Giải thể %(name)s") % {"name": org.name}, submit=_("Giải thể"))


_FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


@login_required
def admin_units(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The picker's htmx search: a few units matching the words typed, the chosen one kept on top.

    Administrative units are public reference data, so any signed-in user may search them.
    """
    field = request.GET.get("field", "")
    if not _FIELD_NAME.match(field):
        field = "admin_unit"
    query = request.GET.get(f"{field}_search", "")
    chosen = request.GET.get(field, "")
    selected = unit_entry(chosen) if chosen else None
    return render(
        request,
        "organizations/_admin_unit_options.html",
        {"name": field, "selected": selected, "units": search_units(query), "searched": bool(query.strip())},
    )
