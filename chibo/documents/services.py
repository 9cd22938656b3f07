"""Every write to minutes and resolutions (C7). Pages, the API and tests call these functions and nothing else.

The life of a document: `document_compose` (the meeting must be closed) → DRAFT, edited with
`document_update` → `document_sign` by each signer (SIGNED while some are missing; a signer may
`document_unsign` before the last signature) → LOCKED when all have signed → `document_amend` only.

Who signs (rule): the member the document names — the meeting's chair and recorder for minutes, the
cell's secretary on the meeting day (else the deputy) for a resolution — through the account linked to
that member. When the named member has no account, a user who runs the cell's meetings (Perm.RUN_MEETINGS)
may record that the paper copy was signed; the signature is then marked `on_paper`.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.documents import compose
from chibo.documents.models import RECIPIENTS, Amendment, MeetingDocument, ResolutionClause, Signature
from chibo.documents.selectors import signers, signs_on_paper_for
from chibo.meetings.models import Meeting, Vote
from chibo.organizations.models import Organization

Kind = MeetingDocument.Kind
Status = MeetingDocument.Status

# --- guards ------------------------------------------------------------------------------------------


def _lock(document: MeetingDocument) -> MeetingDocument:
    """The document re-read under a row lock, with what the checks read."""
    locked = MeetingDocument.objects.select_for_update().get(pk=document.pk)
    locked.meeting = Meeting.objects.select_related("org", "chair", "recorder").get(pk=locked.meeting_id)
    return locked


def change_refused(document: MeetingDocument) -> ChiboError:
    what = document.get_kind_display()
    if document.is_locked:
        return ChiboError(_("%(what)s đã ký và khóa, không sửa được; hãy lập đính chính.") % {"what": what})
    return ChiboError(_("%(what)s đã có chữ ký, không sửa được; người đã ký phải rút chữ ký trước.") % {"what": what})


def _require_draft(document: MeetingDocument) -> None:
    if not document.is_draft:
        raise change_refused(document)


def _check_number(document: MeetingDocument, number: int, year: int) -> None:
    if number < 1:
        raise ChiboError(_("Số văn bản phải từ 1 trở lên."), field="number")
    taken = (
        MeetingDocument.objects.filter(org_id=document.org_id, kind=document.kind, year=year, number=number)
        .exclude(pk=document.pk)
        .exists()
    )
    if taken:
        raise ChiboError(
            _("Số %(n)s đã dùng cho %(what)s khác của chi bộ năm %(year)s.")
            % {"n": f"{number:02d}", "what": document.get_kind_display().lower(), "year": year},
            field="number",
        )


def _check_issued_on(document: MeetingDocument, issued_on: date) -> None:
    held = compose.meeting_day(document.meeting)
    if issued_on < held:
        raise ChiboError(
            _("Ngày ban hành không được trước ngày họp (%(d)s).") % {"d": held.strftime("%d/%m/%Y")}, field="issued_on"
        )
    if issued_on > today():
        raise ChiboError(_("Ngày ban hành không được ở tương lai."), field="issued_on")


# --- composing ---------------------------------------------------------------------------------------


def _check_composable(meeting: Meeting, kind: str) -> None:
    if kind not in Kind.values:
        raise ChiboError(_("Loại văn bản không hợp lệ."), field="kind")
    if meeting.status != Meeting.Status.CLOSED:
        raise ChiboError(_("Buổi sinh hoạt chưa bế mạc: chỉ lập biên bản, nghị quyết sau khi bế mạc."))
    if kind == Kind.RESOLUTION:
        vote = meeting.votes.filter(subject=Vote.Subject.RESOLUTION).first()
        if vote is None:
            raise ChiboError(_("Chi bộ chưa biểu quyết nghị quyết tại buổi họp này, nên chưa lập được nghị quyết."))
        if not vote.passed:
            raise ChiboError(_("Nghị quyết không được biểu quyết thông qua, nên không lập được."))


def _next_number(org: Organization, kind: str, year: int) -> int:
    # Serialised by the caller's lock on the cell's row: two meetings of one cell never take one number.
    found = MeetingDocument.objects.filter(org=org, kind=kind, year=year).aggregate(m=Max("number"))["m"]
    return (found or 0) + 1


def _fill(document: MeetingDocument, meeting: Meeting, kind: str) -> list[str]:
    """Set the composed header and text on `document`; returns the resolution's clauses."""
    day = compose.meeting_day(meeting)
    # The document is in Vietnamese whatever the language of the person composing it.
    with translation.override("vi"):
        issuer = compose.issuer_on(meeting.org, day)
        record = compose.read_record(meeting)
        if kind == Kind.MINUTES:
            document.sections = compose.minutes_sections(record, issuer)
        else:
            document.sections = compose.resolution_sections(record, issuer)
        document.subtitle = compose.default_subtitle(meeting, kind)
    document.superior_name, document.issuer_name, document.place = (
        issuer.superior_name,
        issuer.issuer_name,
        issuer.place,
    )
    return compose.resolution_clauses(meeting) if kind == Kind.RESOLUTION else []


@records_actor
@transaction.atomic
def document_compose(*, actor: User | None, meeting: Meeting, kind: str, replace: bool = False) -> MeetingDocument:
    """Lập dự thảo: the minutes or the resolution of a closed meeting, written from what it recorded.
    `replace` writes a draft again from the record (after summaries were completed), losing its edits."""
    Organization.objects.select_for_update().filter(pk=meeting.org_id).first()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_composable(meeting, kind)
    existing = MeetingDocument.objects.select_for_update().filter(meeting=meeting, kind=kind).first()
    if existing is not None and not replace:
        raise ChiboError(_("Buổi họp đã có %(what)s.") % {"what": existing.get_kind_display().lower()})
    if existing is not None:
        _require_draft(existing)
    day = compose.meeting_day(meeting)
    document = existing or MeetingDocument(
        meeting=meeting,
        kind=kind,
        org=meeting.org,
        year=day.year,
        number=_next_number(meeting.org, kind, day.year),
        symbol=MeetingDocument.SYMBOLS[Kind(kind)],
        issued_on=day,
        created_by=actor,
    )
    clauses = _fill(document, meeting, kind)
    document.save()
    if kind == Kind.RESOLUTION:
        _set_clauses(document, clauses)
    return document


def _set_clauses(document: MeetingDocument, clauses: Sequence[str]) -> None:
    document.clauses.all().delete()
    ResolutionClause.objects.bulk_create(
        ResolutionClause(document=document, position=i, text=text.strip())
        for i, text in enumerate((c for c in clauses if c.strip()), start=1)
    )


# --- editing the draft -------------------------------------------------------------------------------


def section_keys(document: MeetingDocument) -> list[str]:
    return [key for key, _title in document.section_spec] + [RECIPIENTS]


@records_actor
@transaction.atomic
def document_update(
    *,
    actor: User | None,
    document: MeetingDocument,
    number: int,
    place: str,
    issued_on: date,
    subtitle: str,
    sections: Mapping[str, str],
    clauses: Sequence[str] | None = None,
) -> MeetingDocument:
    """Edit a draft: header, free text of each section, the resolution's clauses. Refused once signed."""
    document = _lock(document)
    _require_draft(document)
    unknown = set(sections) - set(section_keys(document))
    if unknown:
        raise ChiboError(_("Mục không có trong văn bản: %(keys)s.") % {"keys": ", ".join(sorted(unknown))})
    if not place.strip():
        raise ChiboError(_("Nhập địa danh."), field="place")
    if not subtitle.strip():
        raise ChiboError(_("Nhập trích yếu."), field="subtitle")
    _check_issued_on(document, issued_on)
    _check_number(document, number, issued_on.year)
    document.number, document.year, document.issued_on = number, issued_on.year, issued_on
    document.place, document.subtitle = place.strip(), subtitle.strip()
    document.sections = {**document.sections, **{k: v.replace("\r\n", "\n").strip() for k, v in sections.items()}}
    document.save(update_fields=["number", "year", "issued_on", "place", "subtitle", "sections", "updated_at"])
    if clauses is not None and document.kind == Kind.RESOLUTION:
        _set_clauses(document, clauses)
    return document


# --- signing -----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def document_sign(*, actor: User, document: MeetingDocument, role: str, at: datetime | None = None) -> Signature:
    """Ký: the signer named for `role` signs; the last signature locks the document."""
    document = _lock(document)
    if document.is_locked:
        raise change_refused(document)
    needed = {s.role: s for s in signers(document)}
    signer = needed.get(role)
    if signer is None:
        raise ChiboError(_("Văn bản này không có chữ ký với tư cách đó."), field="role")
    if document.signatures.filter(role=role).exists():
        raise ChiboError(_("Đã ký với tư cách %(title)s rồi.") % {"title": signer.title.lower()}, field="role")
    if signer.member is None:
        if role == Signature.Role.SECRETARY:
            raise ChiboError(_("Chi bộ chưa có bí thư hoặc phó bí thư vào ngày họp; hãy ghi chức vụ trước khi ký."))
        raise ChiboError(_("Buổi họp chưa ghi người %(title)s.") % {"title": signer.title.lower()}, field="role")
    if document.kind == Kind.RESOLUTION and not document.clauses.exists():
        raise ChiboError(_("Nghị quyết chưa có nội dung quyết nghị."))
    on_paper = False
    if actor.member_id != signer.member.pk:
        if not signs_on_paper_for(actor, document, signer.member.pk):
            raise ChiboError(
                _("Chỉ đồng chí %(name)s (%(title)s) mới ký được.")
                % {"name": signer.member.full_name, "title": signer.title.lower()},
                field="role",
            )
        on_paper = True
    signature = Signature.objects.create(
        document=document,
        role=role,
        member=signer.member,
        title=signer.title,
        signed_by=actor,
        on_paper=on_paper,
        signed_at=at or timezone.now(),
    )
    if set(needed) <= set(document.signatures.values_list("role", flat=True)):
        document.status, document.locked_at = Status.LOCKED, timezone.now()
    else:
        document.status = Status.SIGNED
    document.save(update_fields=["status", "locked_at", "updated_at"])
    if document.is_locked and document.is_minutes:
        # The fact the meetings app reads to stop its record changing (it does not import documents).
        Meeting.objects.filter(pk=document.meeting_id).update(minutes_locked_at=document.locked_at)
        document.meeting.minutes_locked_at = document.locked_at
    if document.is_locked and document.is_minutes and apps.is_installed("chibo.quality"):
        # The meeting's score locks with its minutes (C14); the quality app is built on this one.
        from chibo.quality.services import score_lock_with_minutes

        score_lock_with_minutes(meeting=document.meeting)
    return signature


@records_actor
@transaction.atomic
def document_unsign(*, actor: User, document: MeetingDocument, role: str) -> MeetingDocument:
    """Rút chữ ký: before the last signature, whoever signed may take it back (to let the draft be corrected)."""
    document = _lock(document)
    if document.is_locked:
        raise change_refused(document)
    signature = document.signatures.filter(role=role).first()
    if signature is None:
        raise ChiboError(_("Chưa có chữ ký này."), field="role")
    if signature.signed_by_id != actor.pk:
        raise ChiboError(_("Chỉ người đã ký mới rút được chữ ký."), field="role")
    signature.delete()
    document.status = Status.SIGNED if document.signatures.exists() else Status.DRAFT
    document.save(update_fields=["status", "updated_at"])
    return document


# --- amending a locked document ----------------------------------------------------------------------

HEADER_FIELDS = {
    "number": "Số văn bản",
    "place": "Địa danh",
    "issued_on": "Ngày ban hành",
    "subtitle": "Trích yếu",
}
_SECTION_NAMES = {"grounds": "Căn cứ", "closing": "Kết thúc cuộc họp", RECIPIENTS: "Nơi nhận"}


def amendable_fields(document: MeetingDocument) -> dict[str, str]:
    """What a correction may change, with the name the document prints for it ("clause:2": the 2nd clause)."""
    fields = dict(HEADER_FIELDS)
    for key, title in [*document.section_spec, (RECIPIENTS, "")]:
        fields[key] = _SECTION_NAMES.get(key) or title
    for clause in document.clauses.all():
        fields[f"clause:{clause.position}"] = f"Quyết nghị {clause.position}"
    return fields


def current_value(document: MeetingDocument, field: str) -> str:
    if field == "number":
        return f"{document.number:02d}"
    if field == "issued_on":
        return document.issued_on.strftime("%d/%m/%Y")
    if field in ("place", "subtitle"):
        return str(getattr(document, field))
    if field.startswith("clause:"):
        return document.clauses.get(position=int(field.split(":", 1)[1])).text
    return document.section(field)


def _parse_day(value: str) -> date:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar day, no time
    except ValueError:
        raise ChiboError(_("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."), field="new_value") from None


def _apply(document: MeetingDocument, field: str, value: str) -> str:
    """Write `value` into `field`; returns the value as the amendment records it."""
    if field == "number":
        if not value.strip().isdigit():
            raise ChiboError(_("Số văn bản là một số."), field="new_value")
        _check_number(document, int(value), document.year)
        document.number = int(value)
        document.save(update_fields=["number", "updated_at"])
        return f"{document.number:02d}"
    if field == "issued_on":
        day = _parse_day(value)
        _check_issued_on(document, day)
        if day.year != document.year:
            raise ChiboError(_("Đính chính ngày không được đổi năm của văn bản."), field="new_value")
        document.issued_on = day
        document.save(update_fields=["issued_on", "updated_at"])
        return day.strftime("%d/%m/%Y")
    text = value.replace("\r\n", "\n").strip()
    if field in ("place", "subtitle"):
        if not text:
            raise ChiboError(_("Nội dung đính chính không được để trống."), field="new_value")
        setattr(document, field, text)
        document.save(update_fields=[field, "updated_at"])
    elif field.startswith("clause:"):
        if not text:
            raise ChiboError(_("Nội dung đính chính không được để trống."), field="new_value")
        document.clauses.filter(position=int(field.split(":", 1)[1])).update(text=text)
    else:
        document.sections = {**document.sections, field: text}
        document.save(update_fields=["sections", "updated_at"])
    return text


@records_actor
@transaction.atomic
def document_amend(*, actor: User, document: MeetingDocument, field: str, new_value: str, reason: str) -> Amendment:
    """Đính chính a locked document: the field takes the new value and the change is kept, with who, when
    and why, and printed at the end of the document. Nothing else ever changes a locked document."""
    document = _lock(document)
    if not document.is_locked:
        raise ChiboError(_("Chỉ đính chính văn bản đã ký và khóa; dự thảo thì sửa trực tiếp."))
    fields = amendable_fields(document)
    if field not in fields:
        raise ChiboError(_("Chọn mục cần đính chính."), field="field")
    if not reason.strip():
        raise ChiboError(_("Ghi lý do đính chính."), field="reason")
    before = current_value(document, field)
    normalised = new_value.replace("\r\n", "\n").strip()
    if normalised == before:
        raise ChiboError(_("Nội dung đính chính trùng với nội dung hiện có."), field="new_value")
    after = _apply(document, field, new_value)
    return Amendment.objects.create(
        document=document,
        field=field,
        field_label=fields[field],
        before=before,
        after=after,
        reason=reason.strip(),
        author=actor,
    )
