"""Reads of minutes and resolutions: scope, who must sign, the document as it prints, the minutes book.

`Rendered` is the document laid out once, in the order it prints; the HTML page, the printable page and
the DOCX builder all draw it, so the three never disagree.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.accounts.scope import Action, AnyUser, Perm, has_perm_on
from chibo.documents.compose import long_date, meeting_day
from chibo.documents.models import RECIPIENTS, Amendment, MeetingDocument, ResolutionClause, Signature
from chibo.meetings.models import Meeting
from chibo.meetings.selectors import meetings_with
from chibo.members.models import Member, Position
from chibo.organizations.models import Organization

Kind = MeetingDocument.Kind
Role = Signature.Role

# --- scope -------------------------------------------------------------------------------------------


def documents_with(user: AnyUser, perm: Perm = Perm.ATTEND_MEETINGS) -> QuerySet[MeetingDocument]:
    """Documents of the meetings the user may see with `perm` (chibo.meetings.selectors decides which)."""
    return MeetingDocument.objects.filter(meeting__in=meetings_with(user, perm))


def get_document_for_user(
    user: AnyUser, pk: int | str, perm: Perm = Perm.ATTEND_MEETINGS, *, action: Action = "see"
) -> MeetingDocument:
    """The document with its meeting and what `render` reads: 404 outside the user's scope; for "change"
    (edit, amend) 403 for someone who may read it but not run the cell's meetings."""
    try:
        document = with_parts(documents_with(user, perm)).get(pk=pk)
    except (MeetingDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if action == "change" and not has_perm_on(user, document.org, Perm.RUN_MEETINGS):
        raise PermissionDenied(_("Chỉ chi ủy và cán bộ tổ chức được sửa văn bản của buổi sinh hoạt."))
    return document


def document_of(meeting: Meeting, kind: str) -> MeetingDocument | None:
    """The meeting's minutes or resolution, with what `render` reads."""
    return with_parts(MeetingDocument.objects.filter(meeting=meeting, kind=kind)).first()


# --- who signs -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Signer:
    role: str
    member: Member | None  # None: the meeting did not name one
    lines: tuple[str, ...]  # the heading of the signature block: ("T/M CHI BỘ", "BÍ THƯ")

    @property
    def title(self) -> str:
        return self.lines[-1]


def resolution_signer(meeting: Meeting) -> tuple[Member | None, str]:
    """Who signs "T/M CHI BỘ": the secretary (bí thư) on the meeting day, else the deputy (phó bí thư)."""
    day = meeting_day(meeting)
    held = (
        Position.objects.filter(
            org_id=meeting.org_id,
            title__in=[Position.Title.SECRETARY, Position.Title.DEPUTY],
            started_on__lte=day,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("member")
    )
    by_title = {p.title: p.member for p in held}
    if Position.Title.SECRETARY in by_title:
        return by_title[Position.Title.SECRETARY], "BÍ THƯ"
    return by_title.get(Position.Title.DEPUTY), "PHÓ BÍ THƯ"


def signers(document: MeetingDocument) -> list[Signer]:
    """The signatures the document needs, left to right as they print."""
    meeting = document.meeting
    if document.is_minutes:
        return [
            Signer(Role.RECORDER, meeting.recorder, ("THƯ KÝ",)),
            Signer(Role.CHAIR, meeting.chair, ("CHỦ TRÌ",)),
        ]
    member, title = resolution_signer(meeting)
    return [Signer(Role.SECRETARY, member, ("T/M CHI BỘ", title))]


def signs_on_paper_for(actor: AnyUser, document: MeetingDocument, signer_member_id: int) -> bool:
    """Whether `actor` records on paper the signature of a signer who has no active account: the cell
    committee and the officers who run its meetings (the one rule; the page and the service read it)."""
    has_account = User.objects.filter(member_id=signer_member_id, is_active=True).exists()
    return not has_account and has_perm_on(actor, document.org, Perm.RUN_MEETINGS)


def may_sign(actor: AnyUser, document: MeetingDocument, role: str) -> bool:
    """Whether `actor` gives the signature for `role`: their own, or on paper for a signer without account."""
    signer = next((s for s in signers(document) if s.role == role), None)
    if signer is None or signer.member is None:
        return False
    return signer.member.pk == getattr(actor, "member_id", None) or signs_on_paper_for(
        actor, document, signer.member.pk
    )


# --- the document as it prints -----------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    title: str
    lines: list[str]


@dataclass(frozen=True)
class SignatureBlock:
    role: str
    lines: tuple[str, ...]
    name: str
    signed: bool
    note: str  # "Đã ký lúc 21:10 ngày 05/04/2021"


@dataclass(frozen=True)
class Rendered:
    document: MeetingDocument
    superior: str  # in capitals, as printed
    issuer: str
    number: str  # "Số 04-BB/CB"
    place_date: str  # "Bình Thạnh, ngày 05 tháng 4 năm 2021"
    title: str  # "BIÊN BẢN"
    subtitle: str
    grounds: list[str]
    blocks: list[Block]
    clauses: list[str]
    signatures: list[SignatureBlock]
    recipients: list[str]
    amendments: list[Amendment] = field(default_factory=list)
    # Printed before "CHI BỘ QUYẾT NGHỊ" (a resolution's results of last month).
    before_clauses: list[Block] = field(default_factory=list)
    # The electronic sign-off, stated once and apart from where the hand signatures go.
    sign_off: str = ""

    @property
    def is_draft(self) -> bool:
        return self.document.is_draft

    @property
    def is_resolution(self) -> bool:
        return not self.document.is_minutes


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines() if line.strip()]


# Sections printed before the clauses of a resolution rather than after them.
BEFORE_CLAUSES = ("results",)


def _signature_note(signature: Signature) -> str:
    at = timezone.localtime(signature.signed_at)
    how = "Đã ký trên bản giấy, ghi nhận" if signature.on_paper else "Đã ký"
    return f"{how} lúc {at:%H:%M} ngày {at:%d/%m/%Y}"


def _sign_off(document: MeetingDocument) -> str:
    """ "Đã xác nhận trên hệ thống lúc 21:10 ngày 05/04/2021 (chủ trì: …; thư ký: … — ký trên bản giấy)",
    once, below the signature blocks: the blocks themselves keep room for the signature by hand."""
    signatures = sorted(document.signatures.all(), key=lambda s: s.signed_at)
    if not signatures:
        return ""
    at = timezone.localtime(signatures[-1].signed_at)
    who = "; ".join(
        f"{s.title.lower()}: {s.member.full_name}" + (" — ký trên bản giấy" if s.on_paper else "") for s in signatures
    )
    state = "Đã xác nhận trên hệ thống" if document.is_locked else "Đã ký một phần trên hệ thống"
    return f"{state} lúc {at:%H:%M} ngày {at:%d/%m/%Y} ({who})."


def _signature_blocks(document: MeetingDocument, needed: list[Signer]) -> list[SignatureBlock]:
    done = {s.role: s for s in document.signatures.all()}
    blocks = []
    for signer in needed:
        signature = done.get(signer.role)
        if signature is not None:
            lines = (*signer.lines[:-1], signature.title)
            blocks.append(
                SignatureBlock(signer.role, lines, signature.member.full_name, True, _signature_note(signature))
            )
        else:
            name = signer.member.full_name if signer.member else ""
            blocks.append(SignatureBlock(signer.role, signer.lines, name, False, "Chưa ký"))
    return blocks


def render(document: MeetingDocument, needed: list[Signer] | None = None) -> Rendered:
    """The document laid out. Reads its signatures, clauses and amendments through `.all()`, so a caller
    that prefetched them (the minutes book) pays no query per document; `needed` likewise."""
    sections = document.sections
    spec = [(k, t) for k, t in document.section_spec if k != "grounds"]
    blocks = [Block(title, _lines(sections.get(key, ""))) for key, title in spec if key not in BEFORE_CLAUSES]
    before = [Block(title, _lines(sections.get(key, ""))) for key, title in spec if key in BEFORE_CLAUSES]
    return Rendered(
        document=document,
        superior=document.superior_name.upper(),
        issuer=document.issuer_name.upper(),
        number=document.number_display,
        place_date=f"{document.place}, {long_date(document.issued_on)}",
        title="BIÊN BẢN" if document.is_minutes else "NGHỊ QUYẾT",
        subtitle=document.subtitle,
        grounds=[] if document.is_minutes else _lines(sections.get("grounds", "")),
        blocks=[b for b in blocks if b.lines],
        clauses=[c.text for c in document.clauses.all()],
        signatures=_signature_blocks(document, needed if needed is not None else signers(document)),
        recipients=_lines(sections.get(RECIPIENTS, "")),
        amendments=list(document.amendments.all()),
        before_clauses=[b for b in before if b.lines],
        sign_off=_sign_off(document),
    )


def with_parts(qs: QuerySet[MeetingDocument]) -> QuerySet[MeetingDocument]:
    """What `render` reads, in a fixed number of queries for any number of documents."""
    return qs.select_related("org", "meeting", "meeting__org", "meeting__chair", "meeting__recorder").prefetch_related(
        Prefetch("signatures", queryset=Signature.objects.select_related("member")),
        Prefetch("clauses", queryset=ResolutionClause.objects.order_by("position")),
        Prefetch(
            "amendments", queryset=Amendment.objects.select_related("author__member").order_by("created_at", "id")
        ),
    )


# --- the minutes book ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    org: Organization
    year: int
    superior: str
    issuer: str
    minutes: list[Rendered]
    # Meetings of the year that were held but have no minutes yet: the book says so rather than hide them.
    missing: list[Meeting]


def minutes_of_year(org: Organization, year: int) -> QuerySet[MeetingDocument]:
    return MeetingDocument.objects.filter(org=org, kind=Kind.MINUTES, year=year).order_by("issued_on", "number", "pk")


def minutes_book(org: Organization, year: int) -> Book:
    """The cell's minutes of `year` in date order. Five queries whatever the number of meetings: the
    documents, their signatures, clauses and amendments, and the held meetings that lack minutes."""
    documents = list(with_parts(minutes_of_year(org, year)))
    # Minutes need no query to know their signers: the meeting's chair and recorder are joined.
    minutes = [render(d) for d in documents]
    missing = list(
        Meeting.objects.filter(org=org, status=Meeting.Status.CLOSED, scheduled_date__year=year)
        .exclude(documents__kind=Kind.MINUTES)
        .order_by("scheduled_date", "pk")
    )
    first = documents[-1] if documents else None  # the latest header names the book
    return Book(
        org=org,
        year=year,
        superior=(first.superior_name if first else "").upper(),
        issuer=(first.issuer_name if first else org.name).upper(),
        minutes=minutes,
        missing=missing,
    )


def years_with_minutes(org: Organization) -> list[int]:
    return list(
        MeetingDocument.objects.filter(org=org, kind=Kind.MINUTES)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def book_pages(org: Organization, year: int) -> QuerySet[MeetingDocument]:
    """The book's list page: the year's minutes with their meetings, for pagination."""
    return minutes_of_year(org, year).select_related("meeting")


def awaiting_signature(member_id: int | None) -> QuerySet[MeetingDocument]:
    """What the member must still sign, oldest first: minutes of meetings they chaired or recorded (thư ký),
    not yet signed in that role, and resolutions of the cell whose secretary they are now, not yet signed
    "T/M Chi bộ". Locked documents are done. They wait on the member's home page until signed."""
    if member_id is None:
        return MeetingDocument.objects.none()
    R, K = Signature.Role, Kind
    secretary_of = Position.objects.filter(
        member_id=member_id, title=Position.Title.SECRETARY, ended_on__isnull=True
    ).values("org")
    waiting = (
        (Q(kind=K.MINUTES, meeting__chair_id=member_id) & ~Q(signatures__role=R.CHAIR))
        | (Q(kind=K.MINUTES, meeting__recorder_id=member_id) & ~Q(signatures__role=R.RECORDER))
        | (Q(kind=K.RESOLUTION, meeting__org__in=secretary_of) & ~Q(signatures__role=R.SECRETARY))
    )
    return (
        MeetingDocument.objects.filter(waiting)
        .exclude(status=MeetingDocument.Status.LOCKED)
        .select_related("meeting", "meeting__org")
        .distinct()
        .order_by("meeting__scheduled_date", "pk")
    )
