"""The demo's year-end review (C15): Bình Thạnh's 11 cells review 2021 in December 2021, the article's
month, after their levels of 2016–2020 were imported (so An Hòa's "clean and strong, years running" shows).

- 2016–2020: members' levels (those on the rolls then) and the cells' and the ward's levels, imported
  through the same spreadsheet import a committee would use (chibo.reviews.excel);
- in August 2021 one member of Bình Thạnh B is reprimanded (khiển trách) by the ward committee;
- in December 2021 each cell opens its review: the evidence of the year and the proposals; every rated
  member submits a self-assessment; the review meeting votes each member (the committee keeps to the
  HTXSNV quota, 20 % of HTTNV); the cell sends its proposal up; the ward committee changes one level
  with a reason, approves the rest and locks the year; then it rates the cells.
Everything runs on a clock set to December 2021 (chibo.demo.replay.Clock), from one seeded generator. While
the clock reads 2021 the ward officer's grant is at the old ward committee, whose cells have since moved
under the new ward (2025), so the administrator records the ward's decisions, as in chibo.demo.meetings.
"""

import io
import random
from datetime import date, timedelta

from openpyxl import Workbook

from chibo.accounts.scope import forget_grants
from chibo.demo.builder import BINH_THANH_CELLS, Demo
from chibo.demo.replay import Clock
from chibo.members import services as member_services
from chibo.members.models import Member, Membership
from chibo.reviews import org_rating, services
from chibo.reviews.criteria import criteria_for
from chibo.reviews.excel import MEMBER_COLUMNS, MEMBER_SHEET, ORG_COLUMNS, ORG_SHEET, import_levels
from chibo.reviews.models import SHORT, CellReview, Level, MemberReview

YEAR = 2021
PAST = range(2016, 2021)
SEED = 20211220
REVIEW_DAY = date(2021, 12, 20)
DISCIPLINED = ("bt_b", date(2021, 8, 16), "12-QĐ/ĐU")  # a reprimand, in the year
# Cells clean and strong (HTXSNV) every year 2016–2020; the others mostly HTTNV.
TOP_CELLS = {"anhoa", "bt_ca", "bt_th"}


def _past_levels(demo: Demo, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
    members, orgs = [], []
    for spec in BINH_THANH_CELLS:
        cell = demo.cells[spec.key]
        for year in PAST:
            top = spec.key in TOP_CELLS or rng.random() < 0.25
            level = Level.EXCELLENT if top else rng.choice([Level.GOOD, Level.GOOD, Level.GOOD, Level.FAIR])
            orgs.append((cell.code, cell.name, year, SHORT[level]))
            end = date(year, 12, 31)
            roll = Membership.objects.filter(org=cell, kind="official", started_on__lte=end).exclude(ended_on__lte=end)
            for m in Member.objects.filter(pk__in=roll.values("member_id")).exclude(exemptions__started_on__lte=end):
                draw = rng.random()
                level = (
                    Level.EXCELLENT
                    if draw < 0.12
                    else Level.GOOD
                    if draw < 0.85
                    else Level.FAIR
                    if draw < 0.98
                    else Level.POOR
                )
                members.append((m.card_number, m.full_name, year, SHORT[level]))
    ward = demo.orgs["binh_thanh"]
    orgs += [(ward.code, ward.name, year, "HTXSNV" if year != 2017 else "HTTNV") for year in PAST]
    return members, orgs


def _workbook(members: list[tuple], orgs: list[tuple]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = MEMBER_SHEET
    ws.append(list(MEMBER_COLUMNS))
    for row in members:
        ws.append(list(row))
    sheet = wb.create_sheet(ORG_SHEET)
    sheet.append(list(ORG_COLUMNS))
    for row in orgs:
        sheet.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _import_past(demo: Demo, rng: random.Random) -> None:
    members, orgs = _past_levels(demo, rng)
    report = import_levels(actor=demo.users["admin"], source=_workbook(members, orgs), dry_run=False)
    if report.errors:
        raise RuntimeError(f"Demo import of past levels refused: {report.errors[:3]}")


def _discipline(demo: Demo) -> Member:
    key, day, number = DISCIPLINED
    member = next(
        m
        for m in sorted(demo.members[key], key=lambda m: m.name_sort_key)
        if m.official_on and not m.positions.exists() and not m.exemptions.exists()
    )
    member_services.member_discipline(
        actor=demo.users["danguy.binhthanh"],
        member=member,
        discipline="reprimand",
        decided_on=day,
        decision_number=number,
        issued_by="Đảng ủy phường Bình Thạnh",
        reason="Vi phạm quy định về những điều đảng viên không được làm (tổ chức cờ bạc tại nhà).",
    )
    return member


def _self_assess(demo: Demo, review: MemberReview, rng: random.Random) -> None:
    grade = "excellent" if review.proposed_level == Level.EXCELLENT else "good"
    grades = {c.key: {"grade": grade, "note": ""} for c in criteria_for(review.form)}
    if review.evidence.get("disciplines"):
        grades["discipline"] = {"grade": "average", "note": "Đã bị khiển trách, nghiêm túc sửa chữa."}
    elif review.evidence.get("unexcused"):
        grades["discipline"] = {"grade": "good", "note": "Còn vắng sinh hoạt không báo trước."}
    own = next((u for u in demo.users.values() if u.member_id == review.member_id), None)
    services.self_assessment_submit(
        actor=own,
        review=review,
        grades=grades,
        strengths="Chấp hành tốt chủ trương của Đảng, chính sách pháp luật; gần gũi nhân dân.",
        weaknesses="Đôi lúc chưa mạnh dạn phê bình." if rng.random() < 0.5 else "",
        self_level=review.proposed_level if rng.random() < 0.8 else Level.GOOD,
    )


def _committee_levels(reviews: list[MemberReview], quota_pct: int) -> dict[int, str]:
    """The proposal, but HTXSNV kept within the quota: the best by points keep it."""
    levels = {r.pk: r.proposed_level for r in reviews}
    excellent = sorted((r for r in reviews if r.proposed_level == Level.EXCELLENT), key=lambda r: -(r.points or 0))
    good = sum(1 for r in reviews if r.proposed_level == Level.GOOD)
    while excellent and len(excellent) > good * quota_pct // 100:
        dropped = excellent.pop()
        levels[dropped.pk] = Level.GOOD
        good += 1
    return levels


def _review_cell(demo: Demo, key: str, rng: random.Random, clock: Clock) -> CellReview:
    cell = demo.cells[key]
    secretary = next((u for u in demo.users.values() if u.member_id == demo.secretaries[key].pk), None)
    clock.at(date(2021, 12, 1), 8, 0)
    cell_review = services.review_start(actor=secretary, org=cell, year=YEAR)
    reviews = list(cell_review.member_reviews.select_related("member").order_by("pk"))
    for review in reviews:
        clock.at(date(2021, 12, 1) + timedelta(days=rng.randint(2, 14)), rng.randint(7, 21), rng.randint(0, 59))
        _self_assess(demo, review, rng)
    clock.at(REVIEW_DAY, 19, 30)
    rated = [r for r in cell_review.member_reviews.filter(not_rated="").order_by("pk")]
    present = max(1, len(reviews) - rng.randint(1, 3))
    services.review_meeting_record(
        actor=secretary,
        cell_review=cell_review,
        meeting_date=REVIEW_DAY,
        present=present,
        place=f"Trụ sở {cell.name.replace('Chi bộ ', '')}",
        chair=demo.secretaries[key],
        recorder=demo.secretaries[key],
    )
    assert cell_review.ruleset is not None
    levels = _committee_levels(rated, cell_review.ruleset.excellent_quota_pct)
    for r in rated:
        against = rng.choice((0, 0, 0, 1))
        opinions = "Nhất trí với đề xuất của chi ủy." if not against else "Một ý kiến đề nghị xếp mức thấp hơn."
        services.review_appraise(
            actor=secretary,
            review=r,
            committee_level=levels[r.pk],
            votes_for=present - against,
            votes_against=against,
            opinions=opinions,
        )
    clock.at(REVIEW_DAY + timedelta(days=1), 9, 0)
    return services.review_send(actor=secretary, cell_review=cell_review)


def add_reviews(demo: Demo) -> None:
    rng = random.Random(SEED)  # noqa: S311 - reproducible demo data, not secrets
    clock = Clock()
    ward = demo.users["admin"]
    with clock.running():
        clock.at(date(2021, 1, 15), 9, 0)
        _import_past(demo, rng)
        clock.at(DISCIPLINED[1], 14, 0)
        _discipline(demo)
        sent = [_review_cell(demo, spec.key, rng, clock) for spec in BINH_THANH_CELLS]
        clock.at(date(2021, 12, 27), 14, 0)
        # The ward committee lowers one member's level, with its reason, and approves the rest.
        changed = (
            MemberReview.objects.filter(cell_review__in=sent, cell_level=Level.GOOD)
            .order_by("cell_review__org__code", "pk")
            .first()
        )
        assert changed is not None
        services.review_decide(
            actor=ward,
            review=changed,
            level=Level.FAIR,
            reason="Chưa hoàn thành chỉ tiêu vận động hộ gia đình tham gia bảo hiểm y tế.",
        )
        for cell_review in sent:
            services.review_lock(actor=ward, cell_review=cell_review)
        clock.at(date(2021, 12, 30), 15, 0)
        for spec in BINH_THANH_CELLS:
            cell = demo.cells[spec.key]
            rating = org_rating.org_rating_propose(actor=ward, org=cell, year=YEAR)
            level = Level.EXCELLENT if spec.key in TOP_CELLS else rating.proposed_level
            reason = (
                ""
                if level == rating.proposed_level
                else "Ban Thường vụ đánh giá: chi bộ trong sạch, vững mạnh tiêu biểu."
            )
            org_rating.org_rating_decide(actor=ward, org=cell, year=YEAR, level=level, reason=reason)
    for user in demo.users.values():
        forget_grants(user)  # read while the clock said 2021
