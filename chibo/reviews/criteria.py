"""The self-assessment forms of HD 43-HD/BTCTW (31/10/2025), annex: Mẫu 2A (a member without a leadership or
management post), 2B (with one), 2C (a member not working in the political system).

Sources: the annex's form list and 2C's purpose (thuviennhadat.vn, "Tải file word mẫu 2C Hướng dẫn 43 năm
2025"); the sections of the forms it replaces, 02A/02B of HD 25-HD/BTCTW (10/11/2023) (thuvienphapluat.vn,
"Hướng dẫn viết bản kiểm điểm đảng viên cuối năm 2023"): political thought; ethics, lifestyle, unity and
discipline; results of the duties given; the yearly commitment; remedying the shortcomings found before;
for 2B, leadership and management results and the duty to set an example. HD 43's own wording of each
criterion was not found: the labels below follow HD 25's sections and are *unconfirmed* for HD 43.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    key: str
    label: Any  # a lazy translation


GRADES = (
    ("excellent", _("Xuất sắc")),
    ("good", _("Tốt")),
    ("average", _("Trung bình")),
    ("poor", _("Kém")),
)
GRADE_KEYS = tuple(k for k, _label in GRADES)

_COMMON = (
    Criterion("politics", _("Tư tưởng chính trị")),
    Criterion("ethics", _("Phẩm chất đạo đức, lối sống; tinh thần đoàn kết, thống nhất trong nội bộ")),
    Criterion("discipline", _("Ý thức tổ chức kỷ luật")),
)
_DUTIES = Criterion("duties", _("Kết quả thực hiện chức trách, nhiệm vụ được giao"))
_COMMITMENT = Criterion("commitment", _("Thực hiện cam kết tu dưỡng, rèn luyện, phấn đấu hằng năm"))
_REMEDY = Criterion("remedy", _("Khắc phục hạn chế, khuyết điểm đã được chỉ ra ở các kỳ kiểm điểm trước"))

FORMS: dict[str, tuple[Criterion, ...]] = {
    "2A": (*_COMMON, _DUTIES, _COMMITMENT, _REMEDY),
    "2B": (
        *_COMMON,
        _DUTIES,
        Criterion("leadership", _("Năng lực lãnh đạo, quản lý; kết quả của tổ chức, đơn vị được giao phụ trách")),
        Criterion("example", _("Trách nhiệm nêu gương")),
        _COMMITMENT,
        _REMEDY,
    ),
    "2C": (
        *_COMMON,
        Criterion("duties", _("Thực hiện nhiệm vụ đảng viên do chi bộ phân công")),
        Criterion("residence", _("Giữ mối liên hệ với chi ủy, đảng ủy và nhân dân nơi cư trú; nghĩa vụ công dân")),
        _COMMITMENT,
        _REMEDY,
    ),
}

# Occupations outside the political system (state, Party, Front and mass organizations): form 2C.
OUTSIDE_OCCUPATIONS = frozenset(
    {"Hưu trí", "Nông dân", "Buôn bán nhỏ", "Kinh doanh", "Công nhân", "Nội trợ", "Lao động tự do"}
)


def form_for(*, holds_post: bool, occupation: str) -> str:
    """2B for a member holding a post in the cell (bí thư, phó bí thư, chi ủy viên), 2C for one working
    outside the political system, 2A otherwise. The cell may choose another form."""
    if holds_post:
        return "2B"
    return "2C" if occupation.strip() in OUTSIDE_OCCUPATIONS else "2A"


def criteria_for(form: str) -> tuple[Criterion, ...]:
    return FORMS.get(form, FORMS["2A"])
