"""The year-end review over the API (C15, C17): members' reviews by organization and year, one review with
its evidence, organizations' levels. Scoped like the pages (404 outside scope)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from chibo.accounts.scope import Perm, get_org_for_user, orgs_with
from chibo.core.api_tools import ErrorOut, Pagination
from chibo.reviews import selectors
from chibo.reviews.classify import reason_texts
from chibo.reviews.evidence import stored
from chibo.reviews.models import MemberReview, OrgRating

router = Router(tags=["Kiểm điểm, xếp loại"])


class ReviewOut(Schema):
    id: int
    member_id: int
    full_name: str = Field(alias="member.full_name")
    org_id: int = Field(alias="cell_review.org_id")
    year: int = Field(alias="cell_review.year")
    form: str
    not_rated: str
    points: int | None
    proposed_level: str
    cell_level: str
    decided_level: str
    status: str = Field(alias="cell_review.status", description="open / sent / locked")
    self_submitted: bool

    @staticmethod
    def resolve_self_submitted(obj: MemberReview) -> bool:
        return obj.self_submitted_at is not None


class ReviewDetailOut(ReviewOut):
    evidence: dict
    reasons: list[str]
    self_grades: dict
    self_level: str
    committee_level: str
    votes_for: int | None
    votes_against: int | None
    decision_reason: str

    @staticmethod
    def resolve_evidence(obj: MemberReview) -> dict:
        return stored(obj.evidence).as_full() if obj.evidence else {}

    @staticmethod
    def resolve_reasons(obj: MemberReview) -> list[str]:
        return reason_texts(obj.reasons)


class OrgRatingOut(Schema):
    org_id: int
    org_name: str = Field(alias="org.name")
    year: int
    source: str
    points: int | None
    proposed_level: str
    level: str
    consecutive_top_years: int = 0


@router.get("", response={200: list[ReviewOut], 404: ErrorOut})
@paginate(Pagination)
def review_list(request: HttpRequest, org: int | None = None, year: int | None = None) -> QuerySet[MemberReview]:
    """Kiểm điểm đảng viên trong phạm vi (của mình, hoặc của các chi bộ được xem); lọc theo `org`, `year`."""
    qs = MemberReview.objects.filter(cell_review__in=selectors.cell_reviews_for(request.user))
    own = getattr(request.user, "member_id", None)
    if own:
        qs = qs | MemberReview.objects.filter(member_id=own)
    if org is not None:
        qs = qs.filter(cell_review__org__path__startswith=get_org_for_user(request.user, org, Perm.LIST_MEMBERS).path)
    if year is not None:
        qs = qs.filter(cell_review__year=year)
    return qs.select_related("member", "cell_review").order_by(
        "-cell_review__year", "cell_review__org_id", "member__name_sort_key", "pk"
    )


@router.get("/organizations", response={200: list[OrgRatingOut], 404: ErrorOut})
@paginate(Pagination)
def org_rating_list(request: HttpRequest, org: int | None = None, year: int | None = None) -> list[dict]:
    """Xếp loại tổ chức đảng theo năm, với số năm liền hoàn thành xuất sắc nhiệm vụ."""
    qs = OrgRating.objects.filter(org__in=orgs_with(request.user, Perm.LIST_MEMBERS)).select_related("org")
    if org is not None:
        qs = qs.filter(org__path__startswith=get_org_for_user(request.user, org, Perm.LIST_MEMBERS).path)
    ratings = list(qs.order_by("org__name", "-year")[:1000])
    top = selectors.consecutive_top_years_for(list({r.org for r in ratings}))
    if year is not None:
        ratings = [r for r in ratings if r.year == year]
    return [OrgRatingOut.from_orm(r).dict() | {"consecutive_top_years": top.get(r.org_id, 0)} for r in ratings]


@router.get("/{review_id}", response={200: ReviewDetailOut, 404: ErrorOut})
def review_detail(request: HttpRequest, review_id: int) -> MemberReview:
    """Một bản kiểm điểm với chứng cứ trong năm, điểm và lý do đề xuất, các mức của chi bộ và cấp trên."""
    return selectors.get_member_review_for_user(request.user, review_id)
