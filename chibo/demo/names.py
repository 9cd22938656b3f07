"""Realistic Vietnamese people for the demo and the scale seed, from a seeded random generator.

Family names follow their real frequency (southern forms first: the demo is in the Mekong delta, where
Huỳnh and Võ stand for the northern Hoàng and Vũ). Middle names are gendered (Văn/Thị, with the
common alternatives); a few people carry a two-word middle name, as southerners often do.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

# Approximate shares (%) of the commonest family names in Việt Nam.
FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 38.0,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Huỳnh": 4.0,
    "Hoàng": 1.1,
    "Phan": 4.5,
    "Võ": 3.2,
    "Vũ": 0.7,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Trương": 1.2,
    "Đinh": 0.6,
    "Lâm": 0.6,
    "Châu": 0.4,
    "Tô": 0.3,
    "Mai": 0.3,
    "Thái": 0.3,
    "Cao": 0.3,
    "Lưu": 0.3,
    "Quách": 0.2,
    "Danh": 0.2,
    "Thạch": 0.2,
}

MIDDLE_NAMES = {
    "male": {"Văn": 55, "Minh": 9, "Thanh": 7, "Hoàng": 5, "Quốc": 5, "Hữu": 5, "Công": 4, "Tấn": 4, "Đức": 3},
    "female": {"Thị": 62, "Ngọc": 10, "Thanh": 6, "Kim": 6, "Thu": 4, "Mỹ": 4, "Hồng": 3, "Bích": 3, "Diệu": 2},
}

# A second middle word ("Nguyễn Thị Ngọc Hân", "Lê Văn Út Em"), drawn for about one name in ten.
SECOND_MIDDLE = {
    "male": ["Út", "Hoài", "Thanh", "Minh", "Phước", "Tuấn"],
    "female": ["Ngọc", "Kim", "Thanh", "Mỹ", "Út", "Tuyết"],
}

GIVEN_NAMES = {
    "male": [
        "An", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Đông", "Em", "Giang", "Hải", "Hậu", "Hiếu",
        "Hòa", "Hùng", "Hưng", "Khang", "Khánh", "Kiệt", "Lâm", "Lộc", "Lợi", "Long", "Luân", "Minh", "Nam",
        "Nghĩa", "Nhân", "Phong", "Phúc", "Phước", "Quang", "Sang", "Sơn", "Tài", "Tâm", "Tân", "Thắng",
        "Thành", "Thiện", "Thịnh", "Thuận", "Tín", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Vinh", "Vũ",
    ],
    "female": [
        "Anh", "Cúc", "Diễm", "Dung", "Duyên", "Đào", "Giang", "Hà", "Hạnh", "Hằng", "Hân", "Hiền", "Hoa",
        "Hồng", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Nguyệt", "Nhi", "Nhung",
        "Oanh", "Phượng", "Quyên", "Tâm", "Thảo", "Thu", "Thủy", "Thư", "Trang", "Trinh", "Tuyết", "Vân",
        "Xuân", "Yến",
    ],
}  # fmt: skip

# Real people named in the source article and in public pages about Long Mỹ: never generated.
REAL_PEOPLE = frozenset(
    {
        "Võ Văn Trường",
        "Trần Văn Út Nhỏ",
        "Lê Văn Nết",
        "Võ Văn Trung",
        "Nguyễn Tiến Danh",
        "Trần Văn Thiệu",
    }
)

MOBILE_PREFIXES = tuple(
    "090 091 093 094 096 097 098 032 033 034 035 036 037 038 039 070 076 077 078 079 081 082 083 084 085 088".split()
)


@dataclass(frozen=True)
class Person:
    full_name: str
    gender: str  # "male" | "female", the values of Member.Gender


class NameGenerator:
    """Draws names from one `random.Random`, so the same seed gives the same people in the same order."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._families = list(FAMILY_NAMES)
        self._family_weights = list(FAMILY_NAMES.values())
        self._middles = {g: (list(m), list(m.values())) for g, m in MIDDLE_NAMES.items()}

    def person(self, gender: str | None = None) -> Person:
        rng = self.rng
        gender = gender or ("female" if rng.random() < 0.35 else "male")
        while True:
            family = rng.choices(self._families, self._family_weights)[0]
            names, weights = self._middles[gender]
            middle = rng.choices(names, weights)[0]
            if rng.random() < 0.1:
                second = rng.choice(SECOND_MIDDLE[gender])
                if second != middle:
                    middle = f"{middle} {second}"
            full_name = f"{family} {middle} {rng.choice(GIVEN_NAMES[gender])}"
            if full_name not in REAL_PEOPLE:
                return Person(full_name=full_name, gender=gender)

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def day_between(self, start: date, end: date) -> date:
        """A day in [start, end]."""
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))
