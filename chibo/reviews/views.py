"""Pages of the year-end review (C15): the cells' years, one cell's review meeting, one member's review
(self-assessment beside the evidence), the decisions above, the summary sent up, organizations' levels.

Access: readers of a cell's roll see its reviews (404 otherwise); a member sees their own review and fills
in the self-assessment; the cell committee records the review meeting; the upper level decides (403 for
those who see but may not act)."""

import io
from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, can_see_sensitive, get_org_for_user, has_perm_on, holds_anywhere, orgs_with
from chibo.commitments.models import Commitment
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.forms import ServiceForm
from chibo.core.pagination import paginate
from chibo.criticism.models import CriticismRecord
from chibo.meetings.models import Attendance
from chibo.members.imports import check_upload
from chibo.organizations.models import Organization
from chibo.organizations.selectors import highest_visible
from chibo.reviews import documents, evidence, excel, jobs, org_rating, runs, selectors, services
from chibo.reviews.classify import reason_texts
from chibo.reviews.criteria import GRADES, criteria_for
from chibo.reviews.forms import AppraiseForm, DecideForm, ImportForm, MeetingForm, SelfAssessmentForm, SendForm
from chibo.reviews.models import SHORT, CellReview, MemberReview, ReviewRun
from chibo.tasks.models import TaskAssignment, TaskReview


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def default_year() -> int:
    """December reviews the year running; before December, the year before."""
    now = today()
    return now.year if now.month == 12 else now.year - 1


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= today().year else default_year()


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    reviews = selectors.cell_reviews_for(request.user).filter(year=year).select_related("org").order_by("org__name")
    startable = (
        orgs_with(request.user, Perm.EDIT_MEMBERS)
        .filter(kind__in=Organization.CELL_KINDS, dissolved_on__isnull=True)
        .exclude(pk__in=reviews.values("org_id"))
        .order_by("name")
    )
    own = None
    if getattr(request.user, "member_id", None):
        member_id: int = request.user.member_id  # type: ignore[union-attr,assignment]
        own = MemberReview.objects.filter(member_id=member_id, cell_review__year=year).first()
    return render(
        request,
        "reviews/index.html",
        {"year": year, "page": paginate(request, reviews), "startable": startable[:200], "own": own},
    )


@login_required
@require_POST
def review_start(request: HttpRequest) -> HttpResponse:
    org_pk = request.POST.get("org") or request.GET.get("org")
    org = get_org_for_user(request.user, org_pk, Perm.EDIT_MEMBERS)  # type: ignore[arg-type]
    raw_year = request.POST.get("year") or ""
    year = int(raw_year) if raw_year.isdigit() else 0
    try:
        cell_review = services.review_start(actor=_actor(request), org=org, year=year)
    except ChiboError as err:
        messages.error(request, err.message)
        return redirect("reviews:index")
    messages.success(request, _("Đã mở kiểm điểm năm %(year)s.") % {"year": year})
    return redirect(cell_review)


def _cell_context(request: HttpRequest, cell_review: CellReview, **forms: object) -> dict:
    reviews = cell_review.member_reviews.select_related("member").order_by("member__name_sort_key", "pk")
    rated = [r for r in reviews if r.is_rated]
    levels = [r.cell_level for r in rated if r.cell_level]
    rules = cell_review.ruleset
    quota = (
        services.quota_check(excellent=levels.count("htxsnv"), good=levels.count("httnv"), rules=rules) if rules else ""
    )
    return {
        "cell_review": cell_review,
        "reviews": reviews,
        "short": SHORT,
        "quota": quota,
        "can_appraise": selectors.can_appraise(request.user, cell_review),
        "can_decide": services.can_decide(request.user, cell_review.org),
        "meeting_form": forms.get("meeting_form")
        or MeetingForm(
            initial={
                "meeting_date": cell_review.meeting_date or today(),
                "present": cell_review.present,
                "place": cell_review.meeting_place,
            }
        ),
        "send_form": forms.get("send_form") or SendForm(initial={"quota_exception": cell_review.quota_exception}),
        "submitted": sum(1 for r in reviews if r.self_submitted_at),
    }


@login_required
def cell_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    cell_review = selectors.get_cell_review_for_user(request.user, pk)
    return render(request, "reviews/cell.html", _cell_context(request, cell_review))


def _cell_form_post(
    request: HttpRequest,
    pk: int,
    form_class: type[ServiceForm],
    service: Callable[..., object],
    done: str,
    form_key: str,
) -> HttpResponse:
    """A committee's form on the cell's year: the service's refusal stays on the form, beside the field."""
    cell_review = selectors.get_cell_review_for_user(request.user, pk, action="change")
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=_actor(request), cell_review=cell_review, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, done)
            return redirect(cell_review)
    context = _cell_context(request, cell_review, **{form_key: form})
    return render(request, "reviews/cell.html", context, status=400)


@login_required
@require_POST
def cell_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _cell_form_post(
        request, pk, MeetingForm, services.review_meeting_record, _("Đã ghi hội nghị kiểm điểm."), "meeting_form"
    )


@login_required
@require_POST
def cell_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    cell_review = selectors.get_cell_review_for_user(request.user, pk, action="change")
    try:
        n = services.review_refresh(actor=_actor(request), cell_review=cell_review)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã tổng hợp lại chứng cứ của %(n)s đảng viên.") % {"n": n})
    return redirect(cell_review)


@login_required
@require_POST
def cell_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _cell_form_post(request, pk, SendForm, services.review_send, _("Đã gửi kết quả lên cấp trên."), "send_form")


@login_required
@require_POST
def cell_lock(request: HttpRequest, pk: int) -> HttpResponse:
    cell_review = selectors.get_cell_review_for_user(request.user, pk)
    if not services.can_decide(request.user, cell_review.org):
        raise PermissionDenied
    try:
        services.review_lock(actor=_actor(request), cell_review=cell_review)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã phê duyệt và khóa kết quả năm %(year)s.") % {"year": cell_review.year})
    return redirect(cell_review)


def _evidence_links(review: MemberReview, sensitive: bool) -> dict:
    """Where each figure comes from: the meetings missed without reason, the tasks late or not done, the
    criticism records (for those who may see them). Three queries at most."""
    year = review.cell_review.year
    first, after = date(year, 1, 1), date(year + 1, 1, 1)
    absences = (
        Attendance.objects.filter(
            member_id=review.member_id,
            status=Attendance.Status.UNEXCUSED,
            is_exempt=False,
            meeting__scheduled_date__gte=first,
            meeting__scheduled_date__lt=after,
        )
        .select_related("meeting")
        .order_by("meeting__scheduled_date")[:50]
    )
    tasks = (
        TaskAssignment.objects.filter(member_id=review.member_id, task__due_on__gte=first, task__due_on__lt=after)
        .exclude(review__outcome=TaskReview.Outcome.DONE)
        .select_related("task", "review")
        .order_by("task__due_on")[:50]
    )
    criticism = []
    if sensitive:
        criticism = list(
            CriticismRecord.objects.filter(
                member_id=review.member_id, meeting__scheduled_date__gte=first, meeting__scheduled_date__lt=after
            ).select_related("meeting")[:50]
        )
    return {"absences": list(absences), "tasks_off": list(tasks), "criticism": criticism}


def _commitment_label(data: dict) -> str:
    level, status = data.get("commitment_level", ""), data.get("commitment_status", "")
    if level in Commitment.Level.values:
        return str(Commitment.Level(level).label)
    return str(Commitment.Status(status).label) if status in Commitment.Status.values else ""


def _member_context(request: HttpRequest, review: MemberReview, **forms: object) -> dict:
    cell_review = review.cell_review
    user = request.user
    sensitive = can_see_sensitive(user, review.member)
    grades = dict(GRADES)
    self_rows = [
        (c, grades.get(review.self_grades.get(c.key, {}).get("grade", ""), ""), review.self_grades.get(c.key, {}))
        for c in criteria_for(review.form)
    ]
    appraise_initial = {
        "committee_level": review.committee_level or review.proposed_level,
        "votes_for": review.votes_for,
        "votes_against": review.votes_against or 0,
        "opinions": review.opinions,
        "discipline_exception": review.discipline_exception,
    }
    return {
        "review": review,
        "cell_review": cell_review,
        "e": evidence.stored(review.evidence),
        "commitment_label": _commitment_label(review.evidence),
        "reasons": reason_texts(review.reasons),
        "self_rows": self_rows,
        "sensitive": sensitive,
        "is_own": getattr(user, "member_id", None) == review.member_id,
        "can_appraise": selectors.can_appraise(user, cell_review) and cell_review.is_open,
        "can_decide": services.can_decide(user, cell_review.org),
        "appraise_form": forms.get("appraise_form") or AppraiseForm(initial=appraise_initial),
        "decide_form": forms.get("decide_form")
        or DecideForm(initial={"level": review.decided_level or review.cell_level}),
        "amendments": review.amendments.select_related("author"),
        "short": SHORT,
        **_evidence_links(review, sensitive),
    }


@login_required
def member_review_page(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_member_review_for_user(request.user, pk)
    return render(request, "reviews/member.html", _member_context(request, review))


@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's own form, on a phone: each criterion graded, with a note."""
    review = selectors.get_member_review_for_user(request.user, pk)
    if getattr(request.user, "member_id", None) != review.member_id:
        raise PermissionDenied
    initial = SelfAssessmentForm.initial_for(
        review.self_grades,
        strengths=review.self_strengths,
        weaknesses=review.self_weaknesses,
        self_level=review.self_level,
    )
    form = SelfAssessmentForm(request.POST or None, form_code=review.form, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_submit(
                actor=_actor(request),
                review=review,
                grades=form.grades(),
                strengths=form.cleaned_data["strengths"],
                weaknesses=form.cleaned_data["weaknesses"],
                self_level=form.cleaned_data["self_level"],
            )
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã nộp bản tự kiểm điểm."))
            return redirect(review)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/self.html", {"review": review, "form": form}, status=status)


@login_required
@require_POST
def member_appraise(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_member_review_for_user(request.user, pk)
    if not selectors.can_appraise(request.user, review.cell_review):
        raise PermissionDenied
    form = AppraiseForm(request.POST)
    if form.is_valid():
        try:
            services.review_appraise(actor=_actor(request), review=review, **form.cleaned_data)
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi kết quả biểu quyết."))
            return redirect(review.cell_review)
    context = _member_context(request, review, appraise_form=form)
    return render(request, "reviews/member.html", context, status=400)


@login_required
@require_POST
def member_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The upper level's decision before the lock, an amendment after it."""
    review = selectors.get_member_review_for_user(request.user, pk)
    if not services.can_decide(request.user, review.cell_review.org):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if review.cell_review.is_locked:
                services.review_amend(actor=_actor(request), review=review, level=data["level"], reason=data["reason"])
            else:
                services.review_decide(actor=_actor(request), review=review, level=data["level"], reason=data["reason"])
        except ChiboError as err:
            form.add_service_error(err)
        else:
            messages.success(request, _("Đã ghi quyết định."))
            return redirect(review)
    return render(request, "reviews/member.html", _member_context(request, review, decide_form=form), status=400)


@login_required
def summary_page(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    org = None
    if request.GET.get("org"):
        org = get_org_for_user(request.user, request.GET["org"], Perm.LIST_MEMBERS)  # type: ignore[arg-type]
    else:
        org = highest_visible(request.user, Perm.LIST_MEMBERS)
    if org is None:
        raise PermissionDenied
    cells, total = selectors.summary(org, year)
    selectors.add_org_standing([*cells, total], year)
    return render(
        request,
        "reviews/summary.html",
        {
            "org": org,
            "year": year,
            "cells": cells,
            "total": total,
            "can_run": has_perm_on(request.user, org, Perm.EDIT_ORG),
        },
    )


@login_required
def org_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An organization's record of years and levels, its consecutive years at the top, the year's proposal."""
    org = get_org_for_user(request.user, pk, Perm.LIST_MEMBERS)
    ratings = selectors.org_years(org)
    return render(
        request,
        "reviews/org.html",
        {
            "org": org,
            "ratings": ratings,
            "reasons": {r.pk: reason_texts(r.reasons) for r in ratings},
            "evidence": {r.pk: org_rating.evidence_lines(org, r.year, r.evidence) for r in ratings},
            "top_years": selectors.consecutive_top_years(ratings),
            "can_decide": services.can_decide(request.user, org),
            "year": _year(request),
            "decide_form": DecideForm(),
            "short": SHORT,
        },
    )


@login_required
@require_POST
def org_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose (`propose` in the form) or decide the organization's level for a year."""
    org = get_org_for_user(request.user, pk, Perm.LIST_MEMBERS)
    if not services.can_decide(request.user, org):
        raise PermissionDenied
    year = int(request.POST["year"]) if request.POST.get("year", "").isdigit() else default_year()
    try:
        if request.POST.get("propose"):
            org_rating.org_rating_propose(actor=_actor(request), org=org, year=year)
        else:
            form = DecideForm(request.POST)
            if not form.is_valid():
                raise ChiboError(_("Chọn mức xếp loại."), field="level")
            org_rating.org_rating_decide(actor=_actor(request), org=org, year=year, **form.cleaned_data)
    except ChiboError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Đã ghi xếp loại năm %(year)s.") % {"year": year})
    return redirect("reviews:org", pk=org.pk)


# --- Files: the summary workbook, the Word files, the import of past years -------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _file(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def summary_xlsx(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    org = get_org_for_user(request.user, request.GET.get("org"), Perm.LIST_MEMBERS)  # type: ignore[arg-type]
    cells, total = selectors.summary(org, year)
    selectors.add_org_standing([*cells, total], year)
    out = io.BytesIO()
    excel.write_summary(out, org=org, year=year, cells=cells, total=total)
    return _file(out.getvalue(), f"xep-loai-{org.code}-{year}.xlsx", XLSX)


@login_required
def self_docx(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_member_review_for_user(request.user, pk)
    return _file(
        documents.self_assessment_docx(review), f"ban-kiem-diem-{review.cell_review.year}-{review.pk}.docx", DOCX
    )


@login_required
def minutes_docx(request: HttpRequest, pk: int) -> HttpResponse:
    cell_review = selectors.get_cell_review_for_user(request.user, pk)
    name = f"bien-ban-kiem-diem-{cell_review.org.code}-{cell_review.year}.docx"
    return _file(documents.minutes_docx(cell_review), name, DOCX)


def _may_import(request: HttpRequest) -> None:
    """Those who edit some cell's members (members' levels) or some organization (organizations' levels)."""
    if not (holds_anywhere(request.user, Perm.EDIT_MEMBERS) or holds_anywhere(request.user, Perm.EDIT_ORG)):
        raise PermissionDenied


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    out = io.BytesIO()
    excel.write_template(out)
    return _file(out.getvalue(), "mau-nhap-xep-loai.xlsx", XLSX)


@login_required
def import_levels(request: HttpRequest) -> HttpResponse:
    """Upload past years' levels: a dry run lists errors by sheet, row and column; nothing is half-imported."""
    _may_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload)
            report = excel.import_levels(actor=_actor(request), source=upload, dry_run=form.cleaned_data["dry_run"])
        except ChiboError as err:
            form.add_service_error(err)
            status = 400
        else:
            if report.errors:
                status = 400
            elif not form.cleaned_data["dry_run"]:
                messages.success(
                    request,
                    _("Đã nhập %(m)s xếp loại đảng viên và %(o)s xếp loại tổ chức.")
                    % {"m": len(report.member_rows), "o": len(report.org_rows)},
                )
    elif request.method == "POST":
        status = 400
    return render(request, "reviews/import.html", {"form": form, "report": report}, status=status)


# --- Every cell under a node at once: the background job and its progress -------------------------------


@login_required
@require_POST
def run_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the year for every cell under the organization (officers of it): a background job."""
    org = get_org_for_user(request.user, pk, Perm.LIST_MEMBERS)
    if not has_perm_on(request.user, org, Perm.EDIT_ORG):
        raise PermissionDenied
    raw = request.POST.get("year", "")
    year = int(raw) if raw.isdigit() and 1990 <= int(raw) <= today().year else default_year()
    run = runs.run_create(actor=_actor(request), org=org, year=year)
    transaction.on_commit(lambda: jobs.run_year.delay(run.pk))
    return redirect("reviews:run", pk=run.pk)


@login_required
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        run = ReviewRun.objects.select_related("org").get(pk=pk, org__in=orgs_with(request.user, Perm.LIST_MEMBERS))
    except ReviewRun.DoesNotExist:
        raise Http404 from None
    template = "reviews/_run_progress.html" if request.headers.get("HX-Request") else "reviews/run.html"
    return render(request, template, {"run": run})
