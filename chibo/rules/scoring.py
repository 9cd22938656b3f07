"""Meeting scoring schemes (C14) as data of a rule set: groups of criteria with their points, the check that
measures each criterion from the record (chibo.quality), the levels, and what makes a quarter or a year
"Tốt". Scoring a meeting is a provincial practice (DOMAIN.md "Scoring a meeting"), so the schemes are
settings: Phú Thọ's is the default, Bình Thuận's a second one to choose.

The checks are named here and measured in chibo.quality.checks; a scheme may use each at most once.
"""

from copy import deepcopy
from typing import Any

from django.utils.translation import gettext as _

# Every check the quality app knows how to measure, with what it reads.
CHECKS: tuple[str, ...] = (
    "committee_prepared",  # the cell committee met before the meeting (Preparation)
    "documents_ready",  # draft resolution and documents ready by the notice deadline
    "notices_sent",  # members and the upper-level committee member notified
    "attendance_rate",  # present / required ≥ the rule set's threshold
    "no_unexcused",  # no unexcused absence
    "duration",  # held at least the rule set's minimum
    "speakers",  # distinct speakers' share ≥ the rule set's threshold
    "criticism",  # self-criticism and criticism held
    "tasks_reviewed",  # last month's tasks reviewed one by one
    "directives",  # directives from above disseminated
    "tasks_assigned",  # next month's tasks assigned to named members
    "resolution_voted",  # the resolution voted and passed
    "minutes_signed",  # minutes signed within the rule set's days
)
LEVEL_KEYS = ("good", "fair", "average")


def _criterion(key: str, label: str, points: int) -> dict[str, Any]:
    return {"key": key, "label": label, "points": points, "check": key}


def _group(key: str, label: str, *criteria: dict[str, Any]) -> dict[str, Any]:
    """A group of criteria; its points are theirs added up."""
    return {"key": key, "label": label, "points": sum(c["points"] for c in criteria), "criteria": list(criteria)}


def phu_tho_scheme() -> dict[str, Any]:
    """Phú Thọ: preparation 15, attendance 20, conduct 45, closing 20 (DOMAIN.md); the split of each group
    into criteria is ours (local practice, editable)."""
    return {
        "scheme": "phu_tho",
        "name": "Phú Thọ",
        "source": "Thực tiễn chấm điểm của tỉnh Phú Thọ (địa phương); chia điểm từng tiêu chí: mặc định của hệ thống",
        "total": 100,
        "groups": [
            _group(
                "preparation",
                "Chuẩn bị",
                _criterion("committee_prepared", "Chi ủy (bí thư) họp chuẩn bị nội dung", 5),
                _criterion("documents_ready", "Dự thảo nghị quyết, tài liệu sẵn sàng trước hạn", 5),
                _criterion("notices_sent", "Thông báo đến đảng viên và cấp ủy viên phụ trách", 5),
            ),
            _group(
                "attendance",
                "Dự họp",
                _criterion("attendance_rate", "Tỷ lệ đảng viên dự họp đạt yêu cầu", 15),
                _criterion("no_unexcused", "Không có đảng viên vắng không lý do", 5),
            ),
            _group(
                "conduct",
                "Tiến hành",
                _criterion("duration", "Thời lượng đạt tối thiểu", 10),
                _criterion("speakers", "Số đảng viên phát biểu đạt yêu cầu", 10),
                _criterion("criticism", "Có tự phê bình và phê bình", 5),
                _criterion("tasks_reviewed", "Kiểm điểm nhiệm vụ tháng trước", 10),
                _criterion("directives", "Quán triệt văn bản, chỉ đạo cấp trên", 5),
                _criterion("tasks_assigned", "Phân công nhiệm vụ cho đảng viên cụ thể", 5),
            ),
            _group(
                "closing",
                "Kết thúc",
                _criterion("resolution_voted", "Biểu quyết thông qua nghị quyết", 10),
                _criterion("minutes_signed", "Biên bản đầy đủ, ký đúng hạn", 10),
            ),
        ],
        "levels": {"good": 90, "fair": 70, "average": 50},
        # Tốt needs full marks on attendance, duration, members' opinions and minutes.
        "good_requires_full": ["attendance_rate", "duration", "speakers", "minutes_signed"],
        "good_year": {"min_good_meetings": 7, "min_level_each": "fair", "min_average": None, "every_month_held": False},
    }


def binh_thuan_scheme() -> dict[str, Any]:
    """Bình Thuận: the same levels and full-marks condition; a year is Tốt with an average ≥ 90, every meeting
    held, ≥ 10 months Tốt and none Trung bình or Kém (DOMAIN.md). Its points per group are unconfirmed."""
    scheme = phu_tho_scheme()
    scheme.update(
        scheme="binh_thuan",
        name="Bình Thuận",
        source="Thực tiễn chấm điểm của tỉnh Bình Thuận (địa phương); điểm từng nhóm: chưa xác nhận, có thể sửa",
    )
    prep, _att, conduct, _closing = scheme["groups"]
    prep["points"] = 20
    prep["criteria"][0]["points"] = 10
    conduct["points"] = 40
    conduct["criteria"][3]["points"] = 5  # tasks_reviewed
    scheme["good_year"] = {
        "min_good_meetings": 10,
        "min_level_each": "fair",
        "min_average": 90,
        "every_month_held": True,
    }
    return scheme


SCHEMES = {"phu_tho": phu_tho_scheme, "binh_thuan": binh_thuan_scheme}


def default_scheme() -> dict[str, Any]:
    return phu_tho_scheme()


def scheme_named(name: str) -> dict[str, Any]:
    """A fresh copy of a shipped scheme, to choose it in a version."""
    if name not in SCHEMES:
        raise KeyError(name)
    return deepcopy(SCHEMES[name]())


def criteria_of(scheme: dict[str, Any]) -> list[dict[str, Any]]:
    """Every criterion of a scheme with its group's key, in order."""
    return [{**c, "group": g["key"]} for g in scheme.get("groups", []) for c in g.get("criteria", [])]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def validate_scheme(scheme: Any) -> list[tuple[str, str]]:
    """What is wrong with a scheme, as (message, field) pairs; empty when it is sound. Points must add up:
    the criteria to their group, the groups to the total."""

    def bad(message: str) -> list[tuple[str, str]]:
        return [(message, "scoring")]

    if not isinstance(scheme, dict):
        return bad(_("Cách chấm điểm phải là một đối tượng JSON."))
    total = scheme.get("total")
    groups = scheme.get("groups")
    if not isinstance(total, int) or isinstance(total, bool) or not 1 <= total <= 1000:
        return bad(_("Tổng điểm (total) phải là số nguyên dương."))
    if not isinstance(groups, list) or not groups:
        return bad(_("Cách chấm điểm phải có các nhóm tiêu chí (groups)."))
    seen: set[str] = set()
    group_sum = 0
    for group in groups:
        if not isinstance(group, dict) or not _is_int(group.get("points")) or group["points"] < 0:
            return bad(_("Mỗi nhóm tiêu chí phải có số điểm (points) là số nguyên không âm."))
        criteria = group.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            return bad(_("Nhóm %(g)s chưa có tiêu chí nào.") % {"g": group.get("label") or group.get("key")})
        points = 0
        for c in criteria:
            if not isinstance(c, dict) or not _is_int(c.get("points")) or c["points"] < 0:
                return bad(_("Mỗi tiêu chí phải có số điểm là số nguyên không âm."))
            if c.get("check") not in CHECKS:
                return bad(
                    _("Tiêu chí “%(c)s” dùng cách đo không có: %(k)s.") % {"c": c.get("label"), "k": c.get("check")}
                )
            if c.get("key") in seen:
                return bad(_("Tiêu chí “%(c)s” bị lặp.") % {"c": c.get("key")})
            seen.add(c["key"])
            points += c["points"]
        if points != group["points"]:
            return bad(
                _("Điểm các tiêu chí của nhóm %(g)s cộng lại là %(s)s, khác điểm của nhóm (%(p)s).")
                % {"g": group.get("label") or group.get("key"), "s": points, "p": group["points"]}
            )
        group_sum += group["points"]
    if group_sum != total:
        return bad(
            _("Điểm các nhóm tiêu chí cộng lại là %(s)s, khác tổng điểm (%(t)s).") % {"s": group_sum, "t": total}
        )
    levels = scheme.get("levels")
    if not isinstance(levels, dict) or set(levels) != set(LEVEL_KEYS):
        return bad(_("Mức xếp loại (levels) phải có đủ good, fair, average."))
    cuts = [levels[k] for k in LEVEL_KEYS]
    if any(not _is_int(c) or not 0 < c <= total for c in cuts):
        return bad(_("Điểm của mỗi mức xếp loại phải từ 1 đến tổng điểm."))
    if not cuts[0] > cuts[1] > cuts[2]:
        return bad(_("Mức Tốt phải cao hơn mức Khá, mức Khá cao hơn mức Trung bình."))
    if any(k not in seen for k in scheme.get("good_requires_full", [])):
        return bad(_("Điều kiện mức Tốt (good_requires_full) nêu tiêu chí không có trong cách chấm."))
    good_year = scheme.get("good_year", {})
    if not isinstance(good_year, dict):
        return bad(_("Điều kiện năm tốt (good_year) phải là một đối tượng JSON."))
    min_good = good_year.get("min_good_meetings", 0)
    if not _is_int(min_good) or not 0 <= min_good <= 12:
        return bad(_("Số buổi đạt mức Tốt trong năm phải từ 0 đến 12."))
    if good_year.get("min_level_each", "fair") not in LEVEL_KEYS:
        return bad(_("Mức tối thiểu của mỗi buổi phải là good, fair hoặc average."))
    return []


def scheme_from_weights(old: dict[str, Any]) -> dict[str, Any]:
    """The scheme for a version saved before schemes had criteria ({"weights", "levels", "good_year"}):
    Phú Thọ's criteria, each group's points set to the old weight and shared among its criteria in the
    default proportions (the remainder to the group's first criterion)."""
    scheme = default_scheme()
    weights = old.get("weights") or {}
    for group in scheme["groups"]:
        want = weights.get(group["key"])
        if not _is_int(want):
            continue
        base = group["points"]
        for c in group["criteria"]:
            c["points"] = c["points"] * want // base if base else 0
        group["criteria"][0]["points"] += want - sum(c["points"] for c in group["criteria"])
        group["points"] = want
    scheme["total"] = sum(g["points"] for g in scheme["groups"])
    if isinstance(old.get("levels"), dict):
        scheme["levels"] = dict(old["levels"])
    if isinstance(old.get("good_year"), dict):
        scheme["good_year"] = scheme["good_year"] | old["good_year"]
    return scheme
