"""Who may use the member pages and API (the scope matrix, chibo/testing/scope_matrix.py)."""

from datetime import date

from chibo.testing.scope_matrix import ANHOA_EDITORS, ANHOA_ROLL, SIGNED_IN, ScopeCase

# A member sees their own record, not their cell's roll.
_OWN_RECORD = ANHOA_ROLL | {"anhoa_member"}

# Changing a member of An Hòa is for those who edit its members; those who only read the record get 403.
_EDIT_ANHOA_MEMBER = {
    "allowed": ANHOA_EDITORS,
    "forbidden": _OWN_RECORD - ANHOA_EDITORS,
    "args": lambda w: {"pk": w.member_of_anhoa.pk},
}
# Anyone who edits the members of some cell may open the form to add one; the others get 403.
_EDIT_SOME_CELL = frozenset(
    {"admin", "town_officer", "ward_officer", "anhoa_secretary", "other_cell_secretary", "outsider"}
)


def _anhoa_member_name(w):  # type: ignore[no-untyped-def]
    return w.member_of_anhoa.full_name


def _exemption(w):  # type: ignore[no-untyped-def]
    from chibo.members.services import member_exempt

    exemption = member_exempt(actor=None, member=w.member_of_anhoa, reason="old_age", started_on=date(2025, 1, 1))
    return {"pk": w.member_of_anhoa.pk, "exemption_pk": exemption.pk}


def _import_job(w):  # type: ignore[no-untyped-def]
    """A finished job of the ward officer's (its file is never read: committing it is refused)."""
    from chibo.members.models import ImportJob

    job = ImportJob.objects.create(
        created_by=w.ward_officer, original_name="ds.xlsx", file="imports/members/x.xlsx", status="invalid"
    )
    return {"pk": job.pk}


CASES = [
    # The list is filtered by scope, so everyone signed in gets a page (perhaps empty, never with a stranger)...
    ScopeCase("members:list", allowed=SIGNED_IN, shows=_anhoa_member_name, seen_by=_OWN_RECORD),
    # ...but asking for a node's roll outside one's scope is 404.
    ScopeCase("members:list", label="An Hòa", allowed=ANHOA_ROLL, query=lambda w: {"org": w.anhoa.pk}),
    ScopeCase("members:detail", allowed=_OWN_RECORD, args=lambda w: {"pk": w.member_of_anhoa.pk}),
    ScopeCase("members:create", allowed=_EDIT_SOME_CELL, forbidden=SIGNED_IN - _EDIT_SOME_CELL),
    ScopeCase("members:edit", **_EDIT_ANHOA_MEMBER),
    ScopeCase("members:transfer", **_EDIT_ANHOA_MEMBER),
    ScopeCase("members:exempt", **_EDIT_ANHOA_MEMBER),
    ScopeCase("members:assign_position", **_EDIT_ANHOA_MEMBER),
    ScopeCase("members:leave", **_EDIT_ANHOA_MEMBER),
    ScopeCase(
        "members:decision",
        **(_EDIT_ANHOA_MEMBER | {"args": lambda w: {"pk": w.member_of_anhoa.pk, "kind": "discipline"}}),
    ),
    ScopeCase("members:end_exemption", **(_EDIT_ANHOA_MEMBER | {"args": _exemption})),
    # Excel (chibo/members/import_views.py): the export is the list, with the list's scope...
    ScopeCase("members:export", allowed=SIGNED_IN),
    ScopeCase("members:export", label="An Hòa", allowed=ANHOA_ROLL, query=lambda w: {"org": w.anhoa.pk}),
    # ...import is for those who edit some cell's members; a job is its uploader's alone.
    ScopeCase("members:import", allowed=_EDIT_SOME_CELL, forbidden=SIGNED_IN - _EDIT_SOME_CELL),
    ScopeCase("members:import_template", allowed=_EDIT_SOME_CELL, forbidden=SIGNED_IN - _EDIT_SOME_CELL),
    ScopeCase("members:import_job", allowed={"ward_officer"}, args=_import_job),
    ScopeCase("members:import_commit", allowed={"ward_officer"}, args=_import_job, method="POST"),
    # API
    ScopeCase("GET /api/v1/members", allowed=SIGNED_IN, shows=_anhoa_member_name, seen_by=_OWN_RECORD),
    ScopeCase("GET /api/v1/members", label="An Hòa", allowed=ANHOA_ROLL, query=lambda w: {"org": w.anhoa.pk}),
    ScopeCase(
        "GET /api/v1/members/{member_id}", allowed=_OWN_RECORD, args=lambda w: {"member_id": w.member_of_anhoa.pk}
    ),
]
