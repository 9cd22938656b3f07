"""Rule-set pages (C20): what is in force at a node and where each value comes from, readable by anyone
who sees the node (a cell's secretary reads the rules the cell meets under); a new version, pre-filled from
the one in force, for officers. A node outside the user's scope is 404; creating a version at a node one
sees but may not edit (no EDIT_ORG) is 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.forms import day_filter
from chibo.core.pagination import paginate
from chibo.rules.forms import RuleSetVersionForm
from chibo.rules.models import RULE_FIELDS, RuleSetVersion
from chibo.rules.selectors import ancestor_paths, rule_values, ruleset_chain, ruleset_for
from chibo.rules.services import ruleset_create_version


@login_required
def rules_of_org(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, org_pk)
    on_form, on, _bad = day_filter(request, "on", _("Đang áp dụng vào ngày"), today())
    own = RuleSetVersion.objects.filter(org=org).select_related("created_by").order_by("-version")
    inherited = (
        RuleSetVersion.objects.filter(org__path__in=ancestor_paths(org)[1:])
        .select_related("org")
        .order_by("org__depth", "-version")[:50]
    )
    return render(
        request,
        "rules/org.html",
        {
            "org": org,
            "on": on,
            "on_form": on_form,
            "values": rule_values(org, on),
            "chain": ruleset_chain(org, on),
            "page": paginate(request, own, per_page=20),
            "inherited": inherited,
            "can_edit": has_perm_on(request.user, org, Perm.EDIT_ORG),
        },
    )


@login_required
def version_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, org_pk, action="change")
    in_force = ruleset_for(org, today())
    if request.method == "POST":
        form = RuleSetVersionForm(request.POST)
        if form.is_valid():
            try:
                version = ruleset_create_version(actor=request.user, org=org, **form.cleaned_data)  # type: ignore[arg-type]
            except ChiboError as err:
                form.add_error(err.field, err.message)
            else:
                messages.success(
                    request,
                    _("Đã tạo phiên bản %(v)s, hiệu lực từ %(d)s.")
                    % {"v": version.version, "d": version.effective_from.strftime("%d/%m/%Y")},
                )
                return redirect("rules:org", org_pk=org.pk)
        status = 400
    else:
        initial = {name: getattr(in_force, name) for name in RULE_FIELDS} | {"effective_from": today()}
        form = RuleSetVersionForm(initial=initial)
        status = 200
    return render(request, "rules/create.html", {"org": org, "form": form, "in_force": in_force}, status=status)
