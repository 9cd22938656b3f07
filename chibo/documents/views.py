"""Pages of minutes and resolutions (C7): a meeting's documents, the document (edited while a draft),
signing, amending, the Word file, the printable page, and a cell's minutes book of a year.

Who may do what (scope through chibo.accounts.scope, via the meetings' own selectors):
- read a document, download it, print it, read the minutes book: Perm.ATTEND_MEETINGS on the cell —
  the cell's members, the supervisors assigned to it, its committee, viewers and officers above it.
  Members read their own cell's minutes, drafts included (the draft is marked "DỰ THẢO"): the minutes
  are read back to them at the meeting anyway.
- compose, edit a draft, amend a locked document: Perm.RUN_MEETINGS on the cell (403 for a reader).
- sign: the member the document names (chibo.documents.services), so the page is open to readers and the
  service refuses anyone else with a message.
Anything outside the user's read scope answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.audit.models import AccessLog
from chibo.audit.services import record_access
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.documents import docx_builder, selectors, services
from chibo.documents.forms import AmendForm, DocumentForm, SignForm
from chibo.documents.models import MeetingDocument
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import get_meeting_for_user
from chibo.organizations.models import Organization


def _kind(kind: str) -> str:
    if kind not in MeetingDocument.Kind.values:
        raise Http404
    return kind


def _attachment(request: AuthenticatedHttpRequest, org: Organization, content: bytes, filename: str) -> HttpResponse:
    # Minutes name members with their absences and what they said: a download is noted (C19).
    record_access(user=request.user, action=AccessLog.Action.EXPORT, org=org, detail=filename)
    response = HttpResponse(content, content_type=docx_builder.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- a meeting's documents -----------------------------------------------------------------------------


@login_required
def meeting_documents(request: AuthenticatedHttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_pk)
    documents = {d.kind: d for d in MeetingDocument.objects.filter(meeting=meeting)}
    rows = [(kind, label, documents.get(kind)) for kind, label in MeetingDocument.Kind.choices]
    return render(
        request,
        "documents/meeting.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_run": has_perm_on(request.user, meeting.org, Perm.RUN_MEETINGS),
            "closed": meeting.status == Meeting.Status.CLOSED,
        },
    )


@login_required
@require_POST
def document_compose(request: AuthenticatedHttpRequest, meeting_pk: int, kind: str) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, meeting_pk, action="change")
    try:
        document = services.document_compose(
            actor=request.user, meeting=meeting, kind=_kind(kind), replace=request.POST.get("replace") == "1"
        )
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect("documents:meeting", meeting_pk=meeting.pk)
    messages.success(request, _("Đã lập dự thảo từ nội dung đã ghi của buổi họp."))
    return redirect(document)


# --- one document ------------------------------------------------------------------------------------


@login_required
def document_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    actor = request.user
    rendered = selectors.render(document)
    can_run = has_perm_on(actor, document.org, Perm.RUN_MEETINGS)
    signed = {s.role: s for s in document.signatures.all()}
    # Sign buttons for the signatures this user gives: their own, or on paper for a signer without account.
    to_sign = [
        block
        for block in rendered.signatures
        if not block.signed and not document.is_locked and selectors.may_sign(actor, document, block.role)
    ]
    to_unsign = [s for s in signed.values() if s.signed_by_id == actor.pk and not document.is_locked]
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "r": rendered,
            "can_run": can_run,
            "to_sign": to_sign,
            "to_unsign": to_unsign,
        },
    )


@login_required
def document_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk, action="change")
    if not document.is_draft:
        messages.error(request, services.change_refused(document).message)
        return redirect(document)
    form = DocumentForm(request.POST or None, document=document, initial=DocumentForm.initial_for(document))
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                actor=request.user,
                document=document,
                number=form.cleaned_data["number"],
                place=form.cleaned_data["place"],
                issued_on=form.cleaned_data["issued_on"],
                subtitle=form.cleaned_data["subtitle"],
                sections=form.sections(),
                clauses=form.clauses(),
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect(document)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "documents/edit.html", {"document": document, "form": form}, status=status)


@login_required
@require_POST
def document_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn tư cách ký."))
        return redirect(document)
    try:
        services.document_sign(actor=request.user, document=document, role=form.cleaned_data["role"])
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        document.refresh_from_db()
        done = _("Đã ký; văn bản đã khóa.") if document.is_locked else _("Đã ký.")
        messages.success(request, done)
    return redirect(document)


@login_required
@require_POST
def document_unsign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chọn chữ ký cần rút."))
        return redirect(document)
    try:
        services.document_unsign(actor=request.user, document=document, role=form.cleaned_data["role"])
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã rút chữ ký."))
    return redirect(document)


@login_required
def document_amend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk, action="change")
    if not document.is_locked:
        messages.error(request, _("Chỉ đính chính văn bản đã ký và khóa; dự thảo thì sửa trực tiếp."))
        return redirect(document)
    chosen = request.GET.get("field", "")
    initial = {}
    if chosen in services.amendable_fields(document):
        initial = {"field": chosen, "new_value": services.current_value(document, chosen)}
    form = AmendForm(request.POST or None, document=document, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_amend(
                actor=request.user,
                document=document,
                field=form.cleaned_data["field"],
                new_value=form.cleaned_data["new_value"],
                reason=form.cleaned_data["reason"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi đính chính."))
            return redirect(document)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "documents/amend.html", {"document": document, "form": form}, status=status)


@login_required
def document_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    content = docx_builder.document_docx(selectors.render(document))
    return _attachment(request, document.org, content, docx_builder.filename_for(document))


@login_required
def document_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.get_document_for_user(request.user, pk)
    return render(request, "documents/print.html", {"documents": [selectors.render(document)], "book": None})


# --- the minutes book --------------------------------------------------------------------------------


def _get_cell(request: AuthenticatedHttpRequest, org_pk: int) -> Organization:
    org = get_org_for_user(request.user, org_pk, Perm.ATTEND_MEETINGS)
    if not org.is_cell:
        raise Http404
    return org


def _book_year(year: int) -> int:
    if not 1930 <= year <= today().year + 1:
        raise Http404
    return year


@login_required
def minutes_book(request: AuthenticatedHttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _get_cell(request, org_pk)
    year = _book_year(year)
    years = sorted({*selectors.years_with_minutes(org), year, today().year}, reverse=True)
    return render(
        request,
        "documents/book.html",
        {"org": org, "year": year, "years": years, "page": paginate(request, selectors.book_pages(org, year))},
    )


@login_required
def minutes_book_docx(request: AuthenticatedHttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _get_cell(request, org_pk)
    book = selectors.minutes_book(org, _book_year(year))
    return _attachment(request, org, docx_builder.book_docx(book), f"so-bien-ban-{org.code}-{year}.docx")


@login_required
def minutes_book_print(request: AuthenticatedHttpRequest, org_pk: int, year: int) -> HttpResponse:
    org = _get_cell(request, org_pk)
    book = selectors.minutes_book(org, _book_year(year))
    return render(request, "documents/print.html", {"documents": book.minutes, "book": book})
