"""Commitment pages (C10): mine (register, progress), a member's registration by the committee, one
commitment with its notes and year-end review, and the cell's summary of a year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.http import AuthenticatedHttpRequest
from chibo.accounts.scope import Perm, get_org_for_user, has_perm_on
from chibo.commitments import selectors, services
from chibo.commitments.forms import NoteForm, RegisterForm, ReviewForm
from chibo.commitments.models import Commitment
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.pagination import paginate
from chibo.members.models import Member


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    member = getattr(request.user, "member", None)
    page = paginate(request, Commitment.objects.filter(member=member).order_by("-year")) if member else None
    has_this_year = bool(member) and Commitment.objects.filter(member=member, year=today().year).exists()
    return render(request, "commitments/mine.html", {"member": member, "page": page, "has_this_year": has_this_year})


@login_required
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member: Member = selectors.get_member_to_register(request.user, pk)
    year = today().year
    existing = Commitment.objects.filter(member=member, year=year).first()
    initial = {"year": year, "content": existing.content if existing else ""}
    form = RegisterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_register(actor=request.user, member=member, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã lưu bản đăng ký năm %(y)s.") % {"y": commitment.year})
            return redirect(commitment)
    status = 400 if request.method == "POST" else 200
    return render(request, "commitments/register.html", {"member": member, "form": form}, status=status)


def _detail(
    request: AuthenticatedHttpRequest,
    commitment: Commitment,
    note_form: NoteForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editor = has_perm_on(request.user, commitment.member.org, Perm.EDIT_MEMBERS)
    own = selectors.is_own(request.user, commitment.member_id)
    initial = {"level": commitment.level, "comment": commitment.review_comment}
    context = {
        "commitment": commitment,
        "notes": commitment.notes.select_related("author").order_by("created_at"),
        "note_form": (note_form or NoteForm()) if (editor or own) and not commitment.is_reviewed else None,
        "review_form": (review_form or ReviewForm(initial=initial)) if editor else None,
        "can_edit": (editor or own) and not commitment.is_reviewed,
    }
    return render(request, "commitments/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.get_commitment_for_user(request.user, pk))


@login_required
@require_POST
def note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, action="note")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_add(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi kết quả thực hiện."))
            return redirect(commitment)
    return _detail(request, commitment, note_form=form, status=400)


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    commitment = selectors.get_commitment_for_user(request.user, pk, action="review")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_review(actor=request.user, commitment=commitment, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã đánh giá bản đăng ký."))
            return redirect(commitment)
    return _detail(request, commitment, review_form=form, status=400)


@login_required
def summary(request: AuthenticatedHttpRequest, org_pk: int) -> HttpResponse:
    org = get_org_for_user(request.user, org_pk, Perm.LIST_MEMBERS)
    if not org.is_cell:
        raise Http404  # the summary is a cell's

    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today().year
    data = selectors.cell_summary(org, year)
    commitments = (
        Commitment.objects.filter(org=org, year=year).select_related("member").order_by("member__name_sort_key")
    )
    return render(
        request,
        "commitments/summary.html",
        {"org": org, "year": year, "summary": data, "page": paginate(request, commitments),
         "can_edit": has_perm_on(request.user, org, Perm.EDIT_MEMBERS)},
    )  # fmt: skip
