"""The demo organization of the source article, built through the services, step by step.

Hậu Giang province → thị xã Long Mỹ → its nine wards and communes, Bình Thạnh ward with its 11 cells
(one of them the An Hòa area cell of the article), as they stood in 2021; then the 1/7/2025 reform is
applied as recorded events: the district level ends, Long Mỹ's wards and communes merge into three new
wards under the Cần Thơ city committee, and Hậu Giang's committee merges into Cần Thơ's. So the tree on
05/04/2021 (the article's meeting) and the tree today differ, and history answers for both.

Then a year of meetings of the Bình Thạnh cells around April 2021 and An Hòa's meetings of this month and
the next (chibo.demo.meetings), the tasks, reviews, criticism and commitments of C8-C10 (chibo.demo.follow_up),
and the minutes and resolutions, signed.

The build is a list of plain step functions sharing one `Demo`: later issues add steps (supervision...)
by appending to `STEPS`. Everything runs in one transaction, and from one seeded random
generator, so the demo is the same every time. Dates that must be recent (members admitted within the
year, hence probationary) are offsets from the day it runs; all others are fixed.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from auditlog.context import disable_auditlog
from django.conf import settings
from django.db import transaction
from vietnam_provinces import Province, Ward

from chibo.accounts.models import Role, RoleGrant, User
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.demo.names import NameGenerator
from chibo.members import services as member_services
from chibo.members.models import Exemption, Member, Position
from chibo.organizations import services as org_services
from chibo.organizations.models import AdministrativeUnit, Organization
from chibo.organizations.reference import province_code, ward_code

Kind = Organization.Kind
Level = AdministrativeUnit.Level

PASSWORD = "chibo-demo"  # noqa: S105 - the demo's published password; refused unless CHIBO_DEMO_ACCOUNTS
URL = "http://127.0.0.1:8000/"
SEED = 20211203  # the article's date

ARTICLE_DAY = date(2021, 4, 5)  # An Hòa's April 2021 meeting, pictured in the article
REFORM_DAY = date(2025, 7, 1)  # no district level from this day; new wards and the new Cần Thơ city
# org_merge() needs its target to exist before the merge date, so the new ward committees are founded
# the day before (their founding decisions were signed before the reform took effect).
NEW_WARDS_FOUNDED = REFORM_DAY - timedelta(days=1)
CONGRESS_DAY = date(2020, 4, 20)  # cell congresses of the 2020–2022 term elected the cell committees
FOUNDED = {"province": date(2004, 1, 1), "town": date(2015, 5, 15)}

PROVINCE_CODE = "HG"  # the demo's root; its presence means the demo is loaded
CITY_CODE = "CT"


@dataclass(frozen=True)
class CellSpec:
    key: str
    name: str
    area: str | None  # the khu vực / ấp the cell serves; None for an agency cell
    size: int | None = None  # members today; drawn when None
    meeting_day: int = 5


@dataclass(frozen=True)
class UnitSpec:
    """A ward or commune of thị xã Long Mỹ before 2025 and its party committee."""

    key: str
    unit_name: str  # "Phường Bình Thạnh"
    code: str
    areas: tuple[str, ...]
    cells: tuple[CellSpec, ...]

    @property
    def committee_name(self) -> str:
        return f"Đảng bộ {self.unit_name[0].lower()}{self.unit_name[1:]}"


def _area_cells(prefix: str, areas: tuple[str, ...], word: str = "khu vực") -> tuple[CellSpec, ...]:
    return tuple(CellSpec(f"{prefix}_{i}", f"Chi bộ {word} {a}", a) for i, a in enumerate(areas, 1))


BINH_THANH_AREAS = ("An Hòa", "Bình Thạnh A", "Bình Thạnh B", "Bình Thạnh C", "Bình An")
# Đảng ủy phường Bình Thạnh "có 11 chi bộ trực thuộc" (the article): five area cells and six agency cells.
BINH_THANH_CELLS = (
    CellSpec("anhoa", "Chi bộ khu vực An Hòa", "An Hòa", size=27),
    CellSpec("bt_a", "Chi bộ khu vực Bình Thạnh A", "Bình Thạnh A", size=31),
    CellSpec("bt_b", "Chi bộ khu vực Bình Thạnh B", "Bình Thạnh B"),
    CellSpec("bt_c", "Chi bộ khu vực Bình Thạnh C", "Bình Thạnh C"),
    CellSpec("bt_an", "Chi bộ khu vực Bình An", "Bình An"),
    CellSpec("bt_dang", "Chi bộ Cơ quan Đảng – Đoàn thể", None, meeting_day=1),
    CellSpec("bt_ubnd", "Chi bộ Ủy ban nhân dân phường", None, meeting_day=1),
    CellSpec("bt_ca", "Chi bộ Công an phường", None, meeting_day=1),
    CellSpec("bt_qs", "Chi bộ Quân sự phường", None, size=14, meeting_day=1),
    CellSpec("bt_th", "Chi bộ Trường Tiểu học Bình Thạnh", None, meeting_day=3),
    CellSpec("bt_yt", "Chi bộ Trạm Y tế phường", None, size=13, meeting_day=3),
)

# The nine units of thị xã Long Mỹ (4 wards, 5 communes) until 30/6/2025. Besides Bình Thạnh, each gets
# two or three cells with plausible names (Vĩnh Tường's three areas are its real ones).
UNITS = (
    UnitSpec("binh_thanh", "Phường Bình Thạnh", "OLD-937-BTH", BINH_THANH_AREAS, BINH_THANH_CELLS),
    UnitSpec("thuan_an", "Phường Thuận An", "OLD-937-TAN", ("1", "2", "3"), _area_cells("ta", ("1", "2"))),
    UnitSpec("tra_long", "Phường Trà Lồng", "OLD-937-TLG", ("1", "2"), _area_cells("tl", ("1", "2"))),
    UnitSpec(
        "vinh_tuong",
        "Phường Vĩnh Tường",
        "OLD-937-VTG",
        ("Bình Tân", "Bình Hòa", "Bình Hiếu"),
        _area_cells("vt", ("Bình Tân", "Bình Hòa", "Bình Hiếu")),
    ),
    UnitSpec("long_binh", "Xã Long Bình", "OLD-937-LBH", ("1", "2"), _area_cells("lb", ("1", "2"), "ấp")),
    UnitSpec("long_tri", "Xã Long Trị", "OLD-937-LTR", ("1", "2"), _area_cells("ltr", ("1", "2"), "ấp")),
    UnitSpec("long_tri_a", "Xã Long Trị A", "OLD-937-LTA", ("1", "2"), _area_cells("lta", ("1", "2"), "ấp")),
    UnitSpec("long_phu", "Xã Long Phú", "OLD-937-LPH", ("1", "2"), _area_cells("lp", ("1", "2"), "ấp")),
    UnitSpec("tan_phu", "Xã Tân Phú", "OLD-937-TPH", ("1", "2"), _area_cells("tp", ("1", "2"), "ấp")),
)

# The 2025 reform of thị xã Long Mỹ, after the Hậu Giang Department of Home Affairs' plan (April 2025):
# Long Bình ← Bình Thạnh, Vĩnh Tường, xã Long Bình; Long Mỹ ← Thuận An, Long Trị, Long Trị A;
# Long Phú 1 ← the rest. Each new ward keeps the statistics code of its first constituent.
NEW_WARDS = (
    ("long_binh_new", "Đảng bộ phường Long Bình", 31473, ("binh_thanh", "vinh_tuong", "long_binh")),
    ("long_my_new", "Đảng bộ phường Long Mỹ", 31471, ("thuan_an", "long_tri", "long_tri_a")),
    ("long_phu_1", "Đảng bộ phường Long Phú 1", 31480, ("tra_long", "long_phu", "tan_phu")),
)

STREETS = ("đường Trần Hưng Đạo", "đường 3 Tháng 2", "đường Nguyễn Trung Trực", "Quốc lộ 61B", "đường Lê Lợi")
AREA_JOBS = {"Nông dân": 5, "Buôn bán nhỏ": 3, "Kinh doanh": 2, "Công nhân": 2, "Giáo viên": 1, "Nội trợ": 1}
AGENCY_JOBS = {
    "bt_dang": "Công chức",
    "bt_ubnd": "Công chức",
    "bt_ca": "Công an",
    "bt_qs": "Cán bộ quân sự",
    "bt_th": "Giáo viên",
    "bt_yt": "Nhân viên y tế",
}
STRENGTHS = (
    "Vận động quần chúng, nắm tình hình dân cư",
    "Am hiểu pháp luật, hòa giải ở cơ sở",
    "Tin học, soạn thảo văn bản",
    "Kinh nghiệm trồng lúa, nuôi cá",
    "Tuyên truyền, văn nghệ",
    "Công tác thanh niên, phong trào",
    "Chăm sóc sức khỏe cộng đồng",
    "Quản lý tài chính, quỹ",
)
ASPIRATIONS = (
    "Mong được tập huấn thêm về chuyển đổi số.",
    "Xin được phân công phụ trách các hộ gần nhà.",
    "Sức khỏe giảm, xin bớt nhiệm vụ phải đi lại xa.",
    "Mong chi bộ giới thiệu vay vốn phát triển kinh tế gia đình.",
    "Muốn được học lớp lý luận chính trị trung cấp.",
    "Con đi học xa, mong được sắp xếp lịch sinh hoạt buổi tối.",
)


class DemoRefused(Exception):
    """The demo cannot be loaded here (its accounts have a published password)."""


@dataclass
class Demo:
    """What the steps build and later steps use: nodes, cells and members by key, the accounts."""

    gen: NameGenerator
    units: dict[str, AdministrativeUnit] = field(default_factory=dict)
    orgs: dict[str, Organization] = field(default_factory=dict)
    cells: dict[str, Organization] = field(default_factory=dict)
    members: dict[str, list[Member]] = field(default_factory=dict)  # by cell key
    secretaries: dict[str, Member] = field(default_factory=dict)  # by cell key
    users: dict[str, User] = field(default_factory=dict)

    def org(self, key: str) -> Organization:
        """The node as it is in the database now (restructuring moves paths under stale instances)."""
        return Organization.objects.get(pk=self.orgs[key].pk)


Step = Callable[[Demo], None]


# --- Step 1: administrative units ------------------------------------------------------------------


def _current_unit(
    code: str, name: str, division_type: str, level: str, parent: AdministrativeUnit | None = None
) -> AdministrativeUnit:
    unit, _created = AdministrativeUnit.objects.get_or_create(
        code=code, defaults={"name": name, "division_type": division_type, "level": level, "parent": parent}
    )
    return unit


def add_admin_units(demo: Demo) -> None:
    """Today's units the demo uses (from the reference list, so load_admin_units may run before or
    after) and the abolished ones of 2021 (is_current=False), with their legacy hierarchy."""
    can_tho = next(p for p in Province.iter_all() if p.code.value == 92)
    demo.units["can_tho"] = _current_unit(province_code(92), can_tho.name, can_tho.division_type.value, Level.PROVINCE)
    for key, _name, code, _sources in NEW_WARDS:
        ward = next(w for w in Ward.iter_all() if w.code.value == code)
        demo.units[key] = _current_unit(
            ward_code(code), ward.name, ward.division_type.value, Level.WARD, demo.units["can_tho"]
        )
    legacy = {"is_current": False}
    demo.units["hau_giang"] = AdministrativeUnit.objects.create(
        code="OLD-P93", name="Tỉnh Hậu Giang", division_type="tỉnh", level=Level.PROVINCE, **legacy
    )
    demo.units["town"] = AdministrativeUnit.objects.create(
        code="OLD-D937",
        name="Thị xã Long Mỹ",
        division_type="thị xã",
        level=Level.DISTRICT,
        parent=demo.units["hau_giang"],
        **legacy,
    )
    for spec in UNITS:
        demo.units[spec.key] = AdministrativeUnit.objects.create(
            code=spec.code,
            name=spec.unit_name,
            division_type=spec.unit_name.split()[0].lower(),
            level=Level.WARD,
            parent=demo.units["town"],
            **legacy,
        )


# --- Step 2: the tree as it stood in 2021 ----------------------------------------------------------


def _create(demo: Demo, key: str, **fields) -> Organization:  # type: ignore[no-untyped-def]
    org = org_services.org_create(actor=None, **fields)
    demo.orgs[key] = org
    return org


def add_tree_2021(demo: Demo) -> None:
    province = _create(
        demo,
        "hau_giang",
        kind=Kind.PROVINCE_COMMITTEE,
        name="Đảng bộ tỉnh Hậu Giang",
        code=PROVINCE_CODE,
        parent=None,
        established_on=FOUNDED["province"],
        admin_unit=demo.units["hau_giang"],
    )
    _create(
        demo,
        "can_tho",
        kind=Kind.PROVINCE_COMMITTEE,
        name="Đảng bộ thành phố Cần Thơ",
        code=CITY_CODE,
        parent=None,
        established_on=FOUNDED["province"],
        admin_unit=demo.units["can_tho"],
    )
    town = _create(
        demo,
        "town",
        kind=Kind.DISTRICT_COMMITTEE,
        name="Đảng bộ thị xã Long Mỹ",
        code="HG.LM",
        parent=province,
        established_on=FOUNDED["town"],
        admin_unit=demo.units["town"],
    )
    for u, spec in enumerate(UNITS, 1):
        committee = _create(
            demo,
            spec.key,
            kind=Kind.GRASSROOTS_COMMITTEE,
            name=spec.committee_name,
            code=f"HG.LM.{u:02d}",
            parent=town,
            established_on=FOUNDED["town"],
            admin_unit=demo.units[spec.key],
        )
        for c, cell in enumerate(spec.cells, 1):
            demo.cells[cell.key] = _create(
                demo,
                cell.key,
                kind=Kind.CELL,
                name=cell.name,
                code=f"HG.LM.{u:02d}.{c:02d}",
                parent=committee,
                established_on=FOUNDED["town"],
                admin_unit=demo.units[spec.key],
                meeting_day=cell.meeting_day,
            )


# --- Step 3: members, positions, exemptions ---------------------------------------------------------


@dataclass
class _Draft:
    """One member before creation: dates decided for the whole cell first, so the counts hold."""

    birth: date
    joined: date
    official: date | None


def _years_after(day: date, years: int) -> date:
    return (
        day.replace(year=day.year + years) if not (day.month == 2 and day.day == 29) else date(day.year + years, 3, 1)
    )


def _draft_dates(demo: Demo, size: int, agency: bool, run_day: date) -> list[_Draft]:
    """Birth, admission and official dates for one cell of `size` members today.

    About one in ten were admitted in the year before today (probationary now) and about one in ten in
    the year before 05/04/2021 (probationary then); up to two joined between the two dates. The rest
    joined long before, so the cell has at least 12 members on its 2021 roll.
    """
    gen, rng = demo.gen, demo.gen.rng
    recent = max(1, round(size / 10))
    long_ago = date(1995, 1, 1) if agency else date(1975, 1, 1)
    between = max(0, min(rng.randint(0, 2), size - recent - 12))
    before_article = size - recent - between
    young_2021 = max(1, round(before_article / 10))
    windows = (
        [(run_day - timedelta(days=330), run_day - timedelta(days=20), False)] * recent
        + [(date(2021, 6, 1), date(2024, 6, 30), True)] * between
        + [(ARTICLE_DAY - timedelta(days=330), ARTICLE_DAY - timedelta(days=20), True)] * young_2021
        + [(long_ago, ARTICLE_DAY - timedelta(days=400), True)] * (before_article - young_2021)
    )
    drafts = []
    for start, end, becomes_official in windows:
        joined = gen.day_between(start, end)
        # Admitted between 19 and 45 (agency staff younger); a member of an area cell may be 90 today.
        oldest, youngest = (45, 19) if not agency else (30, 19)
        birth = gen.day_between(_years_after(joined, -oldest), _years_after(joined, -youngest))
        if birth < date(1936, 1, 1):
            birth = gen.day_between(date(1936, 1, 1), date(1945, 12, 31))
            joined = max(joined, _years_after(birth, 19))
        official = joined + timedelta(days=365) if becomes_official else None
        drafts.append(_Draft(birth=birth, joined=joined, official=official))
    return drafts


def _address(demo: Demo, spec: UnitSpec, area: str | None) -> str:
    rng = demo.gen.rng
    area = area or rng.choice(spec.areas)
    place = f"khu vực {area}" if spec.unit_name.startswith("Phường") else f"ấp {area}"
    unit = spec.unit_name[0].lower() + spec.unit_name[1:]
    return f"Số {rng.randint(1, 250)}, {rng.choice(STREETS)}, {place}, {unit}, thị xã Long Mỹ, tỉnh Hậu Giang"


def _occupation(demo: Demo, cell: CellSpec, birth: date) -> str:
    if cell.key in AGENCY_JOBS:
        return AGENCY_JOBS[cell.key]
    if birth.year <= 1963:
        return "Hưu trí"
    jobs = list(AREA_JOBS)
    return demo.gen.rng.choices(jobs, [AREA_JOBS[j] for j in jobs])[0]


def _create_cell_members(demo: Demo, spec: UnitSpec, cell: CellSpec, card_numbers: list[int], run_day: date) -> None:
    gen, rng = demo.gen, demo.gen.rng
    org = demo.cells[cell.key]
    agency = cell.area is None
    size = cell.size or rng.randint(16, 38)
    members = []
    for draft in sorted(_draft_dates(demo, size, agency, run_day), key=lambda d: d.joined):
        person = gen.person(gender="male" if cell.key in ("bt_ca", "bt_qs") and rng.random() < 0.9 else None)
        card_numbers[0] += 1
        has_notes = rng.random() < 0.4
        member = member_services.member_create(
            actor=None,
            full_name=person.full_name,
            org=org,
            roll_started_on=max(draft.joined, org.established_on),
            gender=person.gender,
            birth_date=draft.birth,
            joined_on=draft.joined,
            official_on=draft.official,
            card_number=f"93{card_numbers[0]:06d}",
            phone=gen.phone() if rng.random() < 0.9 else "",
            residence_address=_address(demo, spec, cell.area),
            occupation=_occupation(demo, cell, draft.birth),
            strengths=rng.choice(STRENGTHS) if has_notes else "",
            aspirations=rng.choice(ASPIRATIONS) if has_notes and rng.random() < 0.6 else "",
        )
        members.append(member)
    demo.members[cell.key] = members
    _exempt_some(demo, members, agency)
    _elect_committee(demo, cell.key, members)


def _exempt_some(demo: Demo, members: list[Member], agency: bool) -> None:
    """A few members of area cells are exempt: old age (past 75), or ill health (treatment ≥ 3 months)."""
    if agency:
        return
    rng = demo.gen.rng
    for member in members:
        if member.birth_date.year <= 1944 and rng.random() < 0.6:
            member_services.member_exempt(
                actor=None,
                member=member,
                reason=Exemption.Reason.OLD_AGE,
                started_on=max(_years_after(member.birth_date, 75), date(2015, 6, 1)),
                note="Chi bộ đồng ý theo đơn đề nghị của đồng chí.",
            )
    if rng.random() < 0.3:
        member = rng.choice([m for m in members if m.official_on and not m.exemptions.exists()])
        member_services.member_exempt(
            actor=None,
            member=member,
            reason=Exemption.Reason.ILL_HEALTH,
            started_on=demo.gen.day_between(date(2020, 6, 1), date(2021, 1, 31)),
            note="Điều trị dài ngày tại Bệnh viện Đa khoa tỉnh.",
        )


def _elect_committee(demo: Demo, cell_key: str, members: list[Member]) -> None:
    """The 2020 congress elected the chi ủy (cell committee): a cell of 9 or more official members
    elects a committee (Điều lệ Đảng, Art. 24): secretary, deputy, and one or three more members."""
    rng = demo.gen.rng
    candidates = [
        m
        for m in members
        if m.official_on and m.official_on < CONGRESS_DAY and m.birth_date.year > 1952 and not m.exemptions.exists()
    ]
    seats = 5 if len(members) >= 30 else 3
    chosen = rng.sample(candidates, seats)
    titles = [Position.Title.SECRETARY, Position.Title.DEPUTY] + [Position.Title.COMMITTEE_MEMBER] * (seats - 2)
    for member, title in zip(chosen, titles, strict=True):
        member_services.position_assign(actor=None, member=member, title=title, started_on=CONGRESS_DAY)
    demo.secretaries[cell_key] = chosen[0]


def _working_far(demo: Demo) -> None:
    """One An Hòa member worked in Bình Dương for most of 2021: a temporary exemption, now over."""
    plain = [
        m for m in demo.members["anhoa"] if m.official_on and not m.positions.exists() and not m.exemptions.exists()
    ]
    member = plain[-1]
    member_services.member_exempt(
        actor=None,
        member=member,
        reason=Exemption.Reason.WORKING_FAR,
        started_on=date(2021, 2, 15),
        ended_on=date(2021, 12, 15),
        note="Đi làm công nhân tại tỉnh Bình Dương.",
    )


def add_members(demo: Demo) -> None:
    card_numbers = [0]
    run_day = today()
    for spec in UNITS:
        for cell in spec.cells:
            _create_cell_members(demo, spec, cell, card_numbers, run_day)
    _working_far(demo)


# --- Step 4: the 1/7/2025 reform -------------------------------------------------------------------


def add_restructuring_2025(demo: Demo) -> None:
    """New wards under Cần Thơ absorb the old committees (their cells move with members and history),
    the town committee ends with the district level, and Hậu Giang's committee merges into Cần Thơ's."""
    decision = "Nghị quyết 1668/NQ-UBTVQH15 về sắp xếp đơn vị hành chính cấp xã của thành phố Cần Thơ năm 2025"
    for key, name, code, sources in NEW_WARDS:
        new = _create(
            demo,
            key,
            kind=Kind.GRASSROOTS_COMMITTEE,
            name=name,
            code=f"CT.{code}",
            parent=demo.org("can_tho"),
            established_on=NEW_WARDS_FOUNDED,
            admin_unit=demo.units[key],
            decision=decision,
        )
        org_services.org_merge(
            actor=None,
            sources=[demo.org(s) for s in sources],
            target=new,
            effective_on=REFORM_DAY,
            decision=decision,
            note="Sắp xếp đơn vị hành chính cấp xã, không tổ chức cấp huyện.",
        )
    org_services.org_dissolve(
        actor=None,
        org=demo.org("town"),
        effective_on=REFORM_DAY,
        note="Không tổ chức cấp huyện từ 01/7/2025; các đảng bộ phường, xã mới trực thuộc Thành ủy Cần Thơ.",
    )
    org_services.org_merge(
        actor=None,
        sources=[demo.org("hau_giang")],
        target=demo.org("can_tho"),
        effective_on=REFORM_DAY,
        note="Hợp nhất tỉnh Hậu Giang, tỉnh Sóc Trăng và thành phố Cần Thơ thành thành phố Cần Thơ.",
    )
    for key in demo.orgs:
        demo.orgs[key] = demo.org(key)
    demo.cells = {k: demo.orgs[k] for k in demo.cells}


# --- Step 5: the accounts ---------------------------------------------------------------------------

LOGINS = {
    "admin": "Quản trị hệ thống (superuser; quản trị tại Đảng bộ tỉnh Hậu Giang và Đảng bộ thành phố Cần Thơ)",
    "bantochuc": "Ban Tổ chức Thị ủy Long Mỹ: cán bộ tổ chức tại Đảng bộ thị xã Long Mỹ (giải thể 01/7/2025, "
    "để xem lịch sử) và, từ 01/7/2025, tại ba đảng bộ phường kế thừa địa bàn thị xã: Long Bình, Long Mỹ, Long Phú 1",
    "danguy.binhthanh": "Đảng ủy phường Bình Thạnh (11 chi bộ); từ 01/7/2025 Đảng ủy phường Long Bình",
    "bithu.anhoa": "Bí thư Chi bộ khu vực An Hòa (chi ủy + đảng viên)",
    "dangvien.anhoa": "Đảng viên Chi bộ khu vực An Hòa",
    "bithu.cellkhac": "Bí thư Chi bộ khu vực Bình Thạnh A (chi bộ khác của phường Bình Thạnh)",
    "canbo.phuongkhac": "Đảng ủy phường Thuận An; từ 01/7/2025 Đảng ủy phường Long Mỹ (phường khác)",
    "canbo.duhop": "Cán bộ dự sinh hoạt: Đảng ủy viên phường Bình Thạnh phụ trách Chi bộ khu vực An Hòa",
}
SUPERVISION_FROM = date(2020, 8, 1)  # the ward committee assigned its members to the cells after the congress


def _user(demo: Demo, username: str, *, member: Member | None = None, superuser: bool = False) -> User:
    name = member.full_name if member else demo.gen.person().full_name
    make = User.objects.create_superuser if superuser else User.objects.create_user
    user = make(username=username, password=PASSWORD, first_name=name, member=member)
    demo.users[username] = user
    return user


def _grant(user: User, role: str, org_key: str, demo: Demo, valid_from: date | None = None) -> None:
    org = demo.orgs[org_key]
    RoleGrant.objects.create(user=user, org=org, role=role, valid_from=valid_from or org.established_on)


def _plain_member(demo: Demo, cell_key: str) -> Member:
    """A member of the cell without position or exemption, official since before 2021."""
    return next(
        m
        for m in sorted(demo.members[cell_key], key=lambda m: m.name_sort_key)
        if m.official_on and m.official_on < ARTICLE_DAY and not m.positions.exists() and not m.exemptions.exists()
    )


def add_accounts(demo: Demo) -> None:
    """Eight accounts, one per persona. Grants at a node dissolved in 2025 stay open: they let the
    holder read that node's history; the grant at the node that took over gives today's scope."""
    if not settings.CHIBO_DEMO_ACCOUNTS:
        raise DemoRefused("Chỉ tạo tài khoản mẫu khi CHIBO_DEMO_ACCOUNTS=1: mật khẩu của chúng được công bố.")
    admin = _user(demo, "admin", superuser=True)
    _grant(admin, Role.ADMIN, "can_tho", demo)
    _grant(admin, Role.ADMIN, "hau_giang", demo)

    officer = _user(demo, "bantochuc")
    _grant(officer, Role.OFFICER, "town", demo)
    for key, _name, _code, _sources in NEW_WARDS:
        _grant(officer, Role.OFFICER, key, demo, REFORM_DAY)

    ward = _user(demo, "danguy.binhthanh")
    _grant(ward, Role.OFFICER, "binh_thanh", demo)
    _grant(ward, Role.OFFICER, "long_binh_new", demo, REFORM_DAY)

    secretary = _user(demo, "bithu.anhoa", member=demo.secretaries["anhoa"])
    _grant(secretary, Role.CELL_COMMITTEE, "anhoa", demo)
    _grant(secretary, Role.MEMBER, "anhoa", demo)

    member = _user(demo, "dangvien.anhoa", member=_plain_member(demo, "anhoa"))
    _grant(member, Role.MEMBER, "anhoa", demo)

    other = _user(demo, "bithu.cellkhac", member=demo.secretaries["bt_a"])
    _grant(other, Role.CELL_COMMITTEE, "bt_a", demo)
    _grant(other, Role.MEMBER, "bt_a", demo)

    outsider = _user(demo, "canbo.phuongkhac")
    _grant(outsider, Role.OFFICER, "thuan_an", demo)
    _grant(outsider, Role.OFFICER, "long_my_new", demo, REFORM_DAY)

    # The article: "Đảng ủy phường phân công các đồng chí trong Ban Thường vụ, Đảng ủy viên trực tiếp tham
    # gia sinh hoạt định kỳ ở từng chi bộ". The grant at the cell follows it into the new ward.
    supervisor = _user(demo, "canbo.duhop")
    _grant(supervisor, Role.SUPERVISOR, "anhoa", demo, SUPERVISION_FROM)


# --- The build -------------------------------------------------------------------------------------

# --- Steps 6-9: meetings (chibo.demo.meetings), issue 4's tasks, criticism and commitments (chibo.demo.follow_up),
# the minutes. Imported when run: those modules build on this one.


def add_meetings(demo: Demo) -> None:
    from chibo.demo import meetings

    meetings.add_meetings(demo)


def add_upcoming_meetings(demo: Demo) -> None:
    from chibo.demo import meetings

    meetings.add_upcoming(demo)


def add_follow_up(demo: Demo) -> None:
    """Tasks given by each resolution and reviewed at the next meeting, self-criticisms followed up, An
    Hòa's commitments: before the minutes are written, since a signed record takes no new task."""
    from chibo.demo import follow_up

    follow_up.add_follow_up(demo)


def add_quality(demo: Demo) -> None:
    from chibo.demo import quality

    quality.add_quality(demo)


def add_reviews(demo: Demo) -> None:
    """The year 2021 reviewed in December 2021, past levels 2016–2020 imported (chibo.demo.reviews)."""
    from chibo.demo import reviews

    reviews.add_reviews(demo)


def add_supervision(demo: Demo) -> None:
    """Cadres assigned to follow the cells (C11): before the meetings, whose visitors they are."""
    from chibo.demo import supervision

    supervision.add_assignments(demo)


def add_directives(demo: Demo) -> None:
    """The remarks' answers and the directives disseminated (C11, C12): before the minutes are signed."""
    from chibo.demo import supervision

    supervision.add_answers_and_disseminations(demo)


def add_households(demo: Demo) -> None:
    """An Hòa's households, the members in charge, the liaison log (C13): before the meetings, whose
    agendas take residents' opinions from it."""
    from chibo.demo import households

    households.add_households(demo)


def add_minutes(demo: Demo) -> None:
    from chibo.demo import meetings

    meetings.add_minutes(demo)


def add_recent_history(demo: Demo) -> None:
    """Every cell of the 2025 wards meets monthly up to today (C16's dashboards and warnings)."""
    from chibo.demo import recent

    recent.add_recent(demo)


STEPS: list[Step] = [
    add_admin_units,
    add_tree_2021,
    add_members,
    add_restructuring_2025,
    add_accounts,
    add_supervision,
    add_households,
    add_meetings,
    add_upcoming_meetings,
    add_follow_up,
    add_directives,
    add_quality,
    add_minutes,
    add_reviews,
    add_recent_history,
]


def demo_exists() -> bool:
    return Organization.objects.filter(code=PROVINCE_CODE).exists()


@transaction.atomic
def build_demo(*, steps: list[Step] | None = None, seed: int = SEED) -> Demo:
    """Build the demo in one transaction: all of it, or nothing (a refused step undoes the others)."""
    if not settings.CHIBO_DEMO_ACCOUNTS:
        raise DemoRefused("Chỉ nạp dữ liệu mẫu khi CHIBO_DEMO_ACCOUNTS=1: các tài khoản mẫu có mật khẩu được công bố.")
    if demo_exists():
        raise DemoRefused("Dữ liệu mẫu đã có.")
    demo = Demo(gen=NameGenerator(random.Random(seed)))  # noqa: S311 - reproducible data, not secrets
    try:
        # Reference data loaded by a command, not anyone's change: an audit trail would only name the
        # loader, and writing it doubles the time the demo takes.
        with disable_auditlog():
            for step in steps if steps is not None else STEPS:
                step(demo)
    except ChiboError as err:  # a service refused: a bug in the demo, not in the user's input
        raise RuntimeError(f"Demo step refused by a service: {err.message}") from err
    return demo


ARTICLE_MEETING_HINT = (
    "Buổi sinh hoạt tháng 4/2021 của Chi bộ khu vực An Hòa (biên bản đã ký, khóa): đăng nhập bithu.anhoa, "
    "mở /meetings/ và chọn buổi ngày 05/04/2021; lịch của phường: /calendar/?month=2021-04"
)


def describe_logins() -> list[tuple[str, str]]:
    """(username, what the account is) for the demo accounts present, in the order of LOGINS."""
    users = {u.username: u for u in User.objects.filter(username__in=LOGINS).select_related("member")}
    return [
        (name, f"{note} — {users[name].member}" if users[name].member else note)
        for name, note in LOGINS.items()
        if name in users
    ]
