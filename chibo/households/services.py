"""Writes of C13: the cell's area and households, the assignment plans and hand adjustments, the liaison log,
and the follow-up reminders. Pages, the API, the import, the Celery task and the demo all call these."""

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chibo.accounts.models import User
from chibo.accounts.scope import in_charge_of, may_manage_households
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.history import records_actor
from chibo.core.vietnamese import normalize_name, search_text
from chibo.households import planning
from chibo.households.models import Area, Assignment, AssignmentPlan, Household, LiaisonEvent
from chibo.meetings.models import Meeting
from chibo.members.models import Member
from chibo.members.services import check_coordinates
from chibo.organizations.models import Organization
from chibo.rules.selectors import ruleset_for

HOUSEHOLD_FIELDS = ("head_name", "street", "hamlet", "ward", "people", "phone", "lat", "lon", "notes")
MAX_PEOPLE = 99


def _same_place(a: str, b: str) -> bool:
    """Names compared without diacritics, case or the words that say what the unit is."""

    def bare(name: str) -> str:
        words = search_text(name).split()
        for prefix in (["phuong"], ["xa"], ["thi", "tran"], ["khu", "vuc"], ["ap"], ["to"]):
            if words[: len(prefix)] == prefix and len(words) > len(prefix):
                words = words[len(prefix) :]
                break
        return " ".join(words)

    return bare(a) == bare(b)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Metres between two points (equirectangular; exact enough within a ward)."""
    xy = planning.project(np.array([lat2]), np.array([lon2]), (lat1, lon1))[0]
    return float(math.hypot(xy[0], xy[1]))


# --- The cell's area ---------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def area_set(
    *,
    actor: User | None,
    cell: Organization,
    ward: str,
    hamlets: list[str],
    centre_lat: Decimal | None = None,
    centre_lon: Decimal | None = None,
    radius_m: int = 3000,
) -> Area:
    if not cell.is_cell:
        raise ChiboError(_("%(org)s không phải một chi bộ.") % {"org": cell.name})
    if not ward.strip():
        raise ChiboError(_("Ghi tên phường, xã của địa bàn."), field="ward")
    names = [h.strip() for h in hamlets if h.strip()]
    if not names:
        raise ChiboError(_("Ghi ít nhất một khu vực, ấp của địa bàn."), field="hamlets")
    check_coordinates(centre_lat, centre_lon, field="centre_lat")
    area, _created = Area.objects.update_or_create(
        cell=cell,
        defaults={
            "ward": ward.strip(),
            "hamlets": names,
            "centre_lat": centre_lat,
            "centre_lon": centre_lon,
            "radius_m": radius_m,
        },
    )
    return area


def area_of(cell: Organization) -> Area:
    try:
        return cell.household_area
    except Area.DoesNotExist:
        raise ChiboError(
            _("Chi bộ chưa khai báo địa bàn (phường, xã và các khu vực, ấp); hãy khai báo trước."), field="cell"
        ) from None


# --- Households --------------------------------------------------------------------------------------


def validate_household(fields: dict[str, Any], area: Area) -> None:
    """The rules every household meets, from a form, the API or a spreadsheet row (one error at a time,
    at its field)."""
    if len((fields.get("head_name") or "").split()) < 2:
        raise ChiboError(_("Ghi đủ họ và tên chủ hộ."), field="head_name")
    hamlet = (fields.get("hamlet") or "").strip()
    if not hamlet:
        raise ChiboError(_("Không được để trống."), field="hamlet")
    if area.hamlets and not any(_same_place(hamlet, known) for known in area.hamlets):
        raise ChiboError(
            _("Khu vực, ấp «%(hamlet)s» không thuộc địa bàn chi bộ (%(known)s).")
            % {"hamlet": hamlet, "known": ", ".join(area.hamlets)},
            field="hamlet",
        )
    ward = (fields.get("ward") or "").strip()
    if ward and not _same_place(ward, area.ward):
        raise ChiboError(
            _("Hộ ở «%(ward)s», ngoài địa bàn chi bộ (%(area)s).") % {"ward": ward, "area": area.ward}, field="ward"
        )
    people = fields.get("people")
    if people is not None and not 1 <= people <= MAX_PEOPLE:
        raise ChiboError(
            _("Số nhân khẩu phải từ 1 đến %(max)s.") % {"max": MAX_PEOPLE},
            field="people",
        )
    lat, lon = fields.get("lat"), fields.get("lon")
    check_coordinates(lat, lon)
    if lat is not None and area.centre_lat is not None and area.centre_lon is not None:
        away = distance_m(float(area.centre_lat), float(area.centre_lon), float(lat), float(lon))  # type: ignore[arg-type]
        if away > area.radius_m:
            raise ChiboError(
                _("Tọa độ cách tâm địa bàn %(km)s km, ngoài địa bàn %(ward)s (bán kính %(radius)s km).")
                % {
                    "km": format(away / 1000, ".1f"),
                    "ward": area.ward,
                    "radius": format(area.radius_m / 1000, ".1f"),
                },
                field="lat",
            )


def build_household(*, cell: Organization, area: Area, **fields: Any) -> Household:
    """An unsaved household with its derived columns, after validate_household()."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValueError(f"not household fields: {sorted(unknown)}")
    values = {name: fields.get(name) for name in HOUSEHOLD_FIELDS}
    values["ward"] = (values["ward"] or "").strip() or area.ward
    values["head_name"] = normalize_name(values["head_name"] or "")
    values["people"] = values["people"] or 1
    for name in ("street", "hamlet", "phone", "notes"):
        values[name] = (values[name] or "").strip()
    # The hamlet as the area writes it, so that "khu vuc an hoa" and "An Hòa" are one hamlet.
    hamlet = str(values["hamlet"])
    values["hamlet"] = next((h for h in area.hamlets if _same_place(hamlet, h)), hamlet)
    household = Household(cell=cell, **values)
    household.refresh_keys()
    return household


@records_actor
@transaction.atomic
def household_create(*, actor: User | None, cell: Organization, **fields: Any) -> Household:
    area = area_of(cell)
    validate_household(fields, area)
    household = build_household(cell=cell, area=area, **fields)
    if Household.objects.filter(cell=cell, dedup_key=household.dedup_key).exists():
        raise ChiboError(_("Hộ này (cùng chủ hộ và địa chỉ) đã có trong danh sách."), field="head_name")
    household.save()
    return household


@records_actor
@transaction.atomic
def household_update(*, actor: User | None, household: Household, **fields: Any) -> Household:
    area = area_of(household.cell)
    merged = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS} | fields
    validate_household(merged, area)
    fresh = build_household(cell=household.cell, area=area, **merged)
    clash = Household.objects.filter(cell=household.cell, dedup_key=fresh.dedup_key).exclude(pk=household.pk)
    if clash.exists():
        raise ChiboError(_("Hộ này (cùng chủ hộ và địa chỉ) đã có trong danh sách."), field="head_name")
    for name in (*HOUSEHOLD_FIELDS, "dedup_key", "name_sort_key", "search_text"):
        setattr(household, name, getattr(fresh, name))
    household.save()
    return household


@transaction.atomic
def households_insert(*, households: list[Household]) -> int:
    """All or nothing (the import, once every row passed)."""
    try:
        with transaction.atomic():
            return len(Household.objects.bulk_create(households, batch_size=500))
    except IntegrityError:
        raise ChiboError(_("Một số hộ vừa được nhập ở nơi khác; hãy kiểm tra lại tệp."), field="file") from None


# --- Assignment --------------------------------------------------------------------------------------


def _age_on(member: Member, day: date) -> int:
    b = member.birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def exempt_ids(members: list[Member], day: date) -> set[int]:
    return set(Member.objects.filter(pk__in=[m.pk for m in members]).exempt_on(day).values_list("pk", flat=True))


def member_bounds(
    members: list[Member],
    *,
    min_load: int,
    max_load: int,
    day: date,
    settings_: dict[str, Any],
    exempt: set[int] | None = None,
) -> dict[int, tuple[int, int]]:
    """(lower, upper) per member id by the rule set: exempt members left out or lighter, old ones lighter."""
    if exempt is None:
        exempt = exempt_ids(members, day)
    lighter_upper = math.ceil(max_load * settings_["lighter_pct"] / 100)
    bounds: dict[int, tuple[int, int]] = {}
    for member in members:
        if member.pk in exempt and settings_["exempt"] == "exclude":
            continue
        if member.pk in exempt or _age_on(member, day) >= settings_["old_age"]:
            if lighter_upper > 0:
                bounds[member.pk] = (0, lighter_upper)
            continue
        bounds[member.pk] = (min_load, max_load)
    return bounds


def _problem(
    households: list[Household], members: list[Member], bounds: dict[int, tuple[int, int]], apart_pct: int
) -> planning.Problem:
    hamlets: dict[str, int] = {}

    def hamlet_id(name: str) -> int:
        key = " ".join(search_text(name).split())
        return hamlets.setdefault(key, len(hamlets)) if key else -1

    streets: dict[str, int] = {}

    def street_id(name: str) -> int:
        key = " ".join(w for w in search_text(name).split() if not w.isdigit())
        return streets.setdefault(key, len(streets)) if key else -1

    points = [(h.lat, h.lon) for h in households] + [(m.home_lat, m.home_lon) for m in members]
    known = [(float(a), float(b)) for a, b in points if a is not None and b is not None]
    origin = known[0] if known else (0.0, 0.0)

    def xy(pairs: list[tuple[Any, Any]]) -> np.ndarray:
        lat = np.array([float(a) if a is not None else np.nan for a, _b in pairs], dtype=float)
        lon = np.array([float(b) if b is not None else np.nan for _a, b in pairs], dtype=float)
        return planning.project(lat, lon, origin).reshape(len(pairs), 2)

    return planning.Problem(
        household_xy=xy([(h.lat, h.lon) for h in households]),
        member_xy=xy([(m.home_lat, m.home_lon) for m in members]),
        lower=np.array([bounds[m.pk][0] for m in members], dtype=np.int64),
        upper=np.array([bounds[m.pk][1] for m in members], dtype=np.int64),
        household_hamlet=np.array([hamlet_id(h.hamlet) for h in households], dtype=np.int64),
        member_hamlet=np.array([hamlet_id(m.home_hamlet) for m in members], dtype=np.int64),
        household_street=np.array([street_id(h.street) for h in households], dtype=np.int64),
        member_street=np.array([street_id(m.residence_address) for m in members], dtype=np.int64),
        apart_pct=apart_pct,
    )


def _relaxed(totals: Any, households: int, *, bound: str, start: int) -> int:
    """The nearest value of `bound` at which the bounds' totals straddle the households again."""
    if bound == "lower":
        value = start
        while value > 0 and totals(value)[0] > households:
            value -= 1
        return value
    value = start
    while totals(value)[1] < households and value < households:
        value += 1
    return value


def _infeasible_message(
    err: planning.Infeasible, *, min_load: int, max_load: int, households: int, totals: Any
) -> ChiboError:
    if err.bound == "lower":
        needed = _relaxed(lambda v: totals(v, max(v, max_load)), households, bound="lower", start=min_load)
        return ChiboError(
            _(
                "Không thể phân: mức tối thiểu %(min)s hộ mỗi đảng viên cần %(total)s hộ, "
                "nhưng địa bàn chỉ có %(households)s hộ. Hãy giảm mức tối thiểu xuống %(needed)s hộ trở xuống."
            )
            % {"min": min_load, "total": err.total, "households": households, "needed": needed},
            field="min_load",
        )
    needed = _relaxed(lambda v: totals(min(min_load, v), v), households, bound="upper", start=max_load)
    return ChiboError(
        _(
            "Không thể phân: với mức tối đa %(max)s hộ (đảng viên cao tuổi, được miễn nhận ít hơn) chỉ phân được "
            "%(total)s trong %(households)s hộ. Hãy nâng mức tối đa lên ít nhất %(needed)s hộ."
        )
        % {"max": max_load, "total": err.total, "households": households, "needed": needed},
        field="max_load",
    )


def assignable_members(cell: Organization, day: date) -> list[Member]:
    """The cell's members on its roll now who were already members on `day`."""
    return list(Member.objects.current().filter(org=cell, joined_on__lte=day).order_by("name_sort_key", "id"))


@records_actor
@transaction.atomic
def plan_propose(
    *, actor: User | None, cell: Organization, min_load: int, max_load: int, day: date | None = None
) -> AssignmentPlan:
    """Propose who is in charge of which household: the solver's optimum with the hamlet term, its
    distance against the shortest possible under the same bounds, proved on the full graph."""
    day = day or today()
    if min_load < 0 or max_load < 1:
        raise ChiboError(_("Mức tối đa phải từ 1 hộ trở lên."), field="max_load")
    if min_load > max_load:
        raise ChiboError(_("Mức tối thiểu không được lớn hơn mức tối đa."), field="min_load")
    rules = ruleset_for(cell, day).households
    households = list(Household.objects.filter(cell=cell).order_by("id"))
    if not households:
        raise ChiboError(_("Chi bộ chưa có hộ nào trong danh sách."))
    members = assignable_members(cell, day)
    exempt = exempt_ids(members, day)
    bounds = member_bounds(members, min_load=min_load, max_load=max_load, day=day, settings_=rules, exempt=exempt)
    members = [m for m in members if m.pk in bounds]
    if not members:
        raise ChiboError(_("Chi bộ không có đảng viên nào nhận phụ trách hộ."))
    problem = _problem(households, members, bounds, rules["apart_pct"])
    try:
        proposal = planning.solve(problem)
        optimum = planning.optimum_distance(problem)
    except planning.Infeasible as err:

        def totals(lo: int, hi: int) -> tuple[int, int]:
            b = member_bounds(members, min_load=lo, max_load=hi, day=day, settings_=rules, exempt=exempt)
            return sum(x[0] for x in b.values()), sum(x[1] for x in b.values())

        raise _infeasible_message(
            err, min_load=min_load, max_load=max_load, households=len(households), totals=totals
        ) from None
    return AssignmentPlan.objects.create(
        cell=cell,
        min_load=min_load,
        max_load=max_load,
        apart_pct=rules["apart_pct"],
        households=len(households),
        members=len(members),
        by_address=problem.by_address_count(),
        distance_m=proposal.distance,
        optimum_m=optimum.distance,
        proved=proposal.proved and optimum.proved,
        seconds=round(proposal.seconds + optimum.seconds, 3),
        pairs=[[h.pk, members[j].pk] for h, j in zip(households, proposal.assignment.tolist(), strict=True)],
        loads={str(m.pk): list(bounds[m.pk]) for m in members},
        created_by=actor,
    )


def _assign(actor: User | None, household_id: int, member_id: int, day: date, **extra: Any) -> bool:
    """End the household's current assignment on `day` and start `member_id`'s; False when unchanged."""
    current = Assignment.objects.select_for_update().current().filter(household_id=household_id).first()
    if current is not None and current.member_id == member_id:
        return False
    if current is not None:
        if current.valid_from > day:
            raise ChiboError(
                _("Hộ này đã được phân công từ ngày %(day)s; ngày mới phải từ ngày đó trở đi.")
                % {"day": f"{current.valid_from:%d/%m/%Y}"},
                field="valid_from",
            )
        current.valid_to = day
        current.save(update_fields=["valid_to"])
    Assignment.objects.create(household_id=household_id, member_id=member_id, valid_from=day, created_by=actor, **extra)
    return True


@records_actor
@transaction.atomic
def plan_apply(
    *, actor: User | None, plan: AssignmentPlan, day: date | None = None, meeting: Meeting | None = None
) -> int:
    """Put the proposal in force from `day`: households whose member changes get a new dated assignment,
    the others keep theirs. Returns how many changed."""
    plan = AssignmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != AssignmentPlan.Status.PROPOSED:
        raise ChiboError(_("Phương án này đã được áp dụng hoặc đã bỏ."))
    day = day or today()
    live = set(Household.objects.filter(cell_id=plan.cell_id).values_list("pk", flat=True))
    active = set(Member.objects.current().filter(org_id=plan.cell_id).values_list("pk", flat=True))
    if any(h not in live for h, _m in plan.pairs) or any(m not in active for _h, m in plan.pairs):
        raise ChiboError(_("Danh sách hộ hoặc đảng viên đã thay đổi từ khi lập phương án; hãy lập lại."))
    changed = sum(_assign(actor, h, m, day, plan=plan) for h, m in plan.pairs)
    plan.status = AssignmentPlan.Status.APPLIED
    plan.applied_on = day
    plan.save(update_fields=["status", "applied_on"])
    if meeting is not None:
        plan_record_in_resolution(actor=actor, plan=plan, meeting=meeting)
    return changed


@records_actor
@transaction.atomic
def plan_record_in_resolution(*, actor: User | None, plan: AssignmentPlan, meeting: Meeting) -> AssignmentPlan:
    """The cell's resolution records the assignment: a clause added to the meeting's draft resolution."""
    from chibo.meetings.services import draft_resolution_save

    if meeting.org_id != plan.cell_id:
        raise ChiboError(_("Buổi họp không phải của chi bộ này."), field="meeting")
    clause = _(
        "Phân công %(members)s đảng viên phụ trách %(households)s hộ dân trên địa bàn theo phương án ngày %(day)s."
    ) % {"members": plan.members, "households": plan.households, "day": f"{plan.created_at:%d/%m/%Y}"}
    text = meeting.draft_resolution.rstrip()
    if clause not in text:
        draft_resolution_save(actor=actor, meeting=meeting, text=f"{text}\n{clause}".strip())
    plan.meeting = meeting
    plan.save(update_fields=["meeting"])
    return plan


@records_actor
@transaction.atomic
def assignment_set(*, actor: User | None, household: Household, member: Member, day: date | None = None) -> bool:
    """The secretary's hand adjustment: another member in charge from `day`."""
    if member.org_id != household.cell_id or not member.is_active:
        raise ChiboError(_("Đảng viên này không sinh hoạt ở chi bộ của hộ."), field="member")
    return _assign(actor, household.pk, member.pk, day or today(), by_hand=True)


# --- Liaison log -------------------------------------------------------------------------------------

EVENT_FIELDS = (
    "text",
    "person_name",
    "arrived_from",
    "arrived_on",
    "notified",
    "notified_contact",
    "notified_at",
    "follow_up_on",
)


def _check_event(kind: str, occurred_on: date, fields: dict[str, Any]) -> None:
    now_day = today()
    if kind not in LiaisonEvent.Kind.values:
        raise ChiboError(_("Loại ghi chép không hợp lệ."), field="kind")
    if occurred_on > now_day:
        raise ChiboError(_("Ngày không được ở tương lai."), field="occurred_on")
    if kind == LiaisonEvent.Kind.ARRIVAL:
        if not (fields.get("arrived_from") or "").strip():
            raise ChiboError(_("Ghi người về từ tỉnh, thành phố nào."), field="arrived_from")
        if fields.get("arrived_on") is None:
            raise ChiboError(_("Ghi ngày về."), field="arrived_on")
        if fields["arrived_on"] > now_day:
            raise ChiboError(_("Ngày về không được ở tương lai."), field="arrived_on")
    if kind == LiaisonEvent.Kind.NOTIFICATION and not fields.get("notified"):
        raise ChiboError(_("Chọn nơi đã báo (trạm y tế hoặc công an phường)."), field="notified")
    if fields.get("notified"):
        if fields["notified"] not in LiaisonEvent.Notified.values:
            raise ChiboError(_("Nơi báo không hợp lệ."), field="notified")
        at = fields.get("notified_at")
        if at is None:
            raise ChiboError(_("Ghi lúc đã báo."), field="notified_at")
        if at > timezone.now() + timedelta(minutes=5):
            raise ChiboError(_("Lúc báo không được ở tương lai."), field="notified_at")
    if kind in (LiaisonEvent.Kind.OPINION, LiaisonEvent.Kind.HARDSHIP, LiaisonEvent.Kind.FOLLOW_UP):
        if not (fields.get("text") or "").strip():
            raise ChiboError(_("Ghi nội dung."), field="text")
    follow = fields.get("follow_up_on")
    if follow is not None and follow < occurred_on:
        raise ChiboError(_("Ngày theo dõi tiếp phải từ ngày ghi trở đi."), field="follow_up_on")


@records_actor
@transaction.atomic
def event_record(
    *, actor: User | None, household: Household, kind: str, occurred_on: date, **fields: Any
) -> LiaisonEvent:
    """A member logs what happened at a household in their charge (the cell committee may log for them)."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"not event fields: {sorted(unknown)}")
    current = Assignment.objects.current().filter(household=household).select_related("member").first()
    if actor is not None and not in_charge_of(actor, household) and not may_manage_households(actor, household.cell):
        raise ChiboError(
            _("Đồng chí không phụ trách hộ này, nên không ghi nhật ký cho hộ này được."), field="household"
        )
    if current is None:
        raise ChiboError(_("Hộ này chưa được phân công đảng viên phụ trách."), field="household")
    _check_event(kind, occurred_on, fields)
    values = {name: fields.get(name) for name in EVENT_FIELDS}
    for name in ("text", "person_name", "arrived_from", "notified", "notified_contact"):
        values[name] = (values[name] or "").strip()
    return LiaisonEvent.objects.create(
        household=household, member=current.member, kind=kind, occurred_on=occurred_on, created_by=actor, **values
    )


@records_actor
@transaction.atomic
def event_mark_notified(
    *, actor: User | None, event: LiaisonEvent, notified: str, contact: str, at: datetime
) -> LiaisonEvent:
    """Record that the health station or the ward police was told about an earlier event (who, when)."""
    if (
        actor is not None
        and not in_charge_of(actor, event.household)
        and not may_manage_households(actor, event.household.cell)
    ):
        raise ChiboError(
            _("Đồng chí không phụ trách hộ này, nên không ghi nhật ký cho hộ này được."), field="household"
        )
    recorded = {name: getattr(event, name) for name in EVENT_FIELDS}
    _check_event(event.kind, event.occurred_on, recorded | {"notified": notified, "notified_at": at})
    event.notified, event.notified_contact, event.notified_at = notified, contact.strip()[:120], at
    event.save(update_fields=["notified", "notified_contact", "notified_at"])
    return event


@records_actor
@transaction.atomic
def follow_up_done(*, actor: User | None, event: LiaisonEvent) -> LiaisonEvent:
    event.follow_up_done = True
    event.save(update_fields=["follow_up_done"])
    return event


def _reminder_text(event: LiaisonEvent) -> str:
    h = event.household
    return _("Nhắc theo dõi hộ %(head)s (%(address)s): %(kind)s ngày %(day)s. %(text)s") % {
        "head": h.head_name,
        "address": h.address,
        "kind": event.get_kind_display().lower(),
        "day": f"{event.occurred_on:%d/%m/%Y}",
        "text": (event.text or event.arrived_from).strip()[:120],
    }


def follow_up_reminders_send(*, day: date | None = None) -> int:
    """Celery beat (daily): remind the member in charge of each follow-up that has come due, through the
    notices (the app's inbox, email and SMS where they have them), once per entry; the member's households
    page lists them too. Safe to run any number of times: a notice per entry and member, ever."""
    from chibo.notices.models import Notice
    from chibo.notices.services import member_recipient, topic_notices_send

    day = day or today()
    due = LiaisonEvent.objects.filter(follow_up_on__lte=day, follow_up_done=False, reminded_on__isnull=True)
    sent = 0
    for event in due.select_related("household", "member__user"):
        sent += topic_notices_send(
            kind=Notice.Kind.FOLLOW_UP,
            topic=f"liaison:{event.pk}",
            recipients=[member_recipient(event.member)],
            subject=_("Nhắc theo dõi hộ dân"),
            body=_reminder_text(event),
        )
        LiaisonEvent.objects.filter(pk=event.pk).update(reminded_on=day)
    return sent
