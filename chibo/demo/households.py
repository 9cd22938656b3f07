"""The demo's households (C13): An Hòa's area in phường Bình Thạnh (Long Mỹ, Hậu Giang, around 9.68 N
105.57 E), about 400 fictional households in six tổ, each member's home, the assignment the cell adopted in
January 2021, a few residents back from other provinces in early 2021 whom the members reported to the ward
health station, and residents' opinions of March 2021 that the April 2021 meeting heard (its agenda point
"ý kiến, kiến nghị của nhân dân" is filled from them, so its minutes list them).

Every household and person is invented (names from the demo's generator); coordinates are plausible for
the ward, not anyone's house. Runs before the meetings step, so the agendas find the opinions.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from chibo.core.dates import today
from chibo.demo.builder import STREETS, Demo
from chibo.demo.names import NameGenerator
from chibo.households import services
from chibo.households.models import Household
from chibo.members.services import member_set_home

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CENTRE = (9.6800, 105.5700)
# Tổ dân phố of khu vực An Hòa and where each lies from the centre (degrees; 0.001° ≈ 110 m).
GROUPS = {
    "Tổ 1": (0.0035, -0.0040),
    "Tổ 2": (0.0040, 0.0015),
    "Tổ 3": (0.0005, 0.0045),
    "Tổ 4": (-0.0030, 0.0030),
    "Tổ 5": (-0.0040, -0.0020),
    "Tổ 6": (-0.0002, -0.0048),
}
HOUSEHOLDS = 400
ASSIGNED_ON = date(2021, 1, 4)  # the cell's January 2021 meeting adopted the assignment
ORIGINS = ("TP. Hồ Chí Minh", "Bình Dương", "Đồng Nai", "Long An", "Hà Nội", "Cần Thơ")
OPINIONS_MARCH_2021 = (
    (date(2021, 3, 8), "Đề nghị sửa đoạn đường đất bị sạt lở gần cầu kênh Ba Ngàn trước mùa mưa."),
    (date(2021, 3, 12), "Bà con mong được hướng dẫn đăng ký tiêm vắc-xin phòng COVID-19 khi có đợt tiêm."),
    (date(2021, 3, 17), "Đề nghị lắp thêm đèn chiếu sáng tuyến hẻm ra Quốc lộ 61B."),
    (date(2021, 3, 23), "Hộ nghèo xin hỗ trợ giống lúa vụ hè thu và vay vốn chăn nuôi."),
    (date(2021, 3, 29), "Cử tri muốn biết danh sách người ứng cử và nơi bỏ phiếu ngày 23/5/2021."),
)
OPINIONS_RECENT = (
    "Đề nghị nạo vét kênh thủy lợi nội đồng trước mùa mưa.",
    "Bà con phản ánh rác thải sinh hoạt chưa được thu gom đúng lịch.",
    "Mong phường tổ chức lớp dạy nghề ngắn hạn cho thanh niên.",
)


# A generator of its own, so that the steps after this one draw exactly what they drew before it existed.
SEED = 20210405


def _point(gen: NameGenerator, group: str, spread: float) -> tuple[Decimal, Decimal]:
    dy, dx = GROUPS[group]
    lat = CENTRE[0] + dy + gen.rng.gauss(0, spread)
    lon = CENTRE[1] + dx + gen.rng.gauss(0, spread)
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


def add_households(demo: Demo) -> None:
    cell = demo.cells["anhoa"]
    gen = NameGenerator(random.Random(SEED))  # noqa: S311 - reproducible data, not secrets
    rng = gen.rng
    area = services.area_set(
        actor=None,
        cell=cell,
        ward="Phường Bình Thạnh",
        hamlets=list(GROUPS),
        centre_lat=Decimal(str(CENTRE[0])),
        centre_lon=Decimal(str(CENTRE[1])),
        radius_m=1500,
    )
    groups = list(GROUPS)
    for member in demo.members["anhoa"]:
        group = rng.choice(groups)
        lat, lon = _point(gen, group, 0.0010)
        member_set_home(actor=None, member=member, hamlet=group, lat=lat, lon=lon)
    households = []
    for i in range(HOUSEHOLDS):
        group = groups[i % len(groups)]
        lat, lon = _point(gen, group, 0.0011)
        street = f"số {rng.randint(1, 180)}, {rng.choice(STREETS)}"
        households.append(
            services.build_household(
                cell=cell,
                area=area,
                head_name=gen.person().full_name,
                street=street,
                hamlet=group,
                ward=area.ward,
                people=rng.choice((2, 3, 3, 4, 4, 4, 5, 5, 6, 7)),
                phone=gen.phone() if rng.random() < 0.7 else "",
                lat=lat,
                lon=lon,
                notes="",
            )
        )
    # Two households share a head's name and address only by chance; keep the first.
    unique = list({h.dedup_key: h for h in households}.values())
    services.households_insert(households=unique)
    mean = len(unique) / max(1, len(demo.members["anhoa"]))
    plan = services.plan_propose(
        actor=None, cell=cell, min_load=max(0, int(mean) - 6), max_load=int(mean) + 6, day=ASSIGNED_ON
    )
    services.plan_apply(actor=None, plan=plan, day=ASSIGNED_ON)
    _log_2021(gen, cell)
    _log_recent(demo, gen, cell)


def _households(cell, n: int, gen: NameGenerator) -> list[Household]:  # type: ignore[no-untyped-def]
    pool = list(Household.objects.filter(cell=cell).order_by("id"))
    return gen.rng.sample(pool, n)


def _log_2021(gen: NameGenerator, cell) -> None:  # type: ignore[no-untyped-def]
    rng = gen.rng
    arrivals = _households(cell, 6, gen)
    for i, household in enumerate(arrivals):
        arrived = date(2021, 1, 18) + timedelta(days=14 * i + rng.randint(0, 5))
        told = datetime.combine(arrived, time(rng.randint(7, 19), rng.choice((0, 15, 30, 45))), tzinfo=VN)
        services.event_record(
            actor=None,
            household=household,
            kind="arrival",
            occurred_on=arrived,
            person_name=gen.person().full_name,
            arrived_from=rng.choice(ORIGINS),
            arrived_on=arrived,
            notified="health_station",
            notified_contact="Trạm Y tế phường Bình Thạnh (trực)",
            notified_at=told,
            text="Hướng dẫn tự theo dõi sức khỏe 14 ngày, khai báo y tế.",
        )
    for (day, text), household in zip(
        OPINIONS_MARCH_2021, _households(cell, len(OPINIONS_MARCH_2021), gen), strict=True
    ):
        services.event_record(actor=None, household=household, kind="opinion", occurred_on=day, text=text)
    hardship = _households(cell, 1, gen)[0]
    services.event_record(
        actor=None,
        household=hardship,
        kind="hardship",
        occurred_on=date(2021, 2, 3),
        text="Chủ hộ bị tai nạn lao động, gia đình thiếu ăn dịp Tết; chi bộ vận động hỗ trợ.",
    )


def _log_recent(demo: Demo, gen: NameGenerator, cell) -> None:  # type: ignore[no-untyped-def]
    """Opinions of the last weeks (the next meeting's agenda shows them) and a follow-up coming due."""
    run_day = today()
    for i, (text, household) in enumerate(zip(OPINIONS_RECENT, _households(cell, 3, gen), strict=True)):
        services.event_record(
            actor=None, household=household, kind="opinion", occurred_on=run_day - timedelta(days=4 + 6 * i), text=text
        )
    demo_member = demo.users["dangvien.anhoa"].member if "dangvien.anhoa" in demo.users else None
    mine = Household.objects.filter(
        cell=cell, assignments__member=demo_member, assignments__valid_to__isnull=True
    ).first()
    if mine is not None:
        services.event_record(
            actor=None,
            household=mine,
            kind="follow_up",
            occurred_on=run_day - timedelta(days=2),
            text="Cụ bà trong hộ ốm, đã đưa đi khám; hẹn ghé lại hỏi thăm.",
            follow_up_on=run_day,
        )
