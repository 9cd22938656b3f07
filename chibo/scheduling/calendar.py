"""Working days in Việt Nam and the fixed meeting day's shift (C4, C20).

Public holidays, the lunar ones included (Tết Nguyên đán, Giỗ Tổ Hùng Vương), come from the `holidays`
library; Saturday and Sunday are days off. The rule set says whether a meeting falling on a day off moves
to the next working day, to the previous one, or stays.
"""

import calendar
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion
from chibo.rules.selectors import meeting_day_for

Shift = RuleSetVersion.HolidayShift


@lru_cache(maxsize=128)
def public_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year))


@lru_cache(maxsize=128)
def _holiday_names(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language="vi" if language == "vi" else "en_US"))


def holiday_name(day: date) -> str | None:
    return public_holidays(day.year).get(day)


def is_day_off(day: date) -> bool:
    return day.weekday() >= 5 or day in public_holidays(day.year)


def shift_to_working_day(day: date, shift: str) -> date:
    if shift == Shift.KEEP:
        return day
    step = timedelta(days=-1 if shift == Shift.PREVIOUS_WORKING_DAY else 1)
    while is_day_off(day):
        day += step
    return day


def regular_meeting_date(org: Organization, rules: RuleSetVersion, period: date) -> date:
    """The day the regular meeting of `period`'s month falls on: the fixed day, shifted off days off.
    It may land in the next (or previous) month; the meeting still belongs to `period`."""
    return shift_to_working_day(fixed_day_of(org, rules, period), rules.holiday_shift)


def fixed_day_of(org: Organization, rules: RuleSetVersion, period: date) -> date:
    """The cell's fixed meeting day in `period`'s month, before any shift (the 31st is the month's last day)."""
    last = calendar.monthrange(period.year, period.month)[1]
    return period.replace(day=min(meeting_day_for(org, rules), last))


def holiday_shift_note(
    *, org: Organization, rules: RuleSetVersion, period: date | None, scheduled: date, regular: bool
) -> str:
    """Why a regular meeting is not on its fixed day when a day off moved it ("Dời từ thứ Hai 02/09/2024 vì
    Quốc khánh"), for the calendar page and the calendar feed; "" when it is on its day or was moved by hand."""
    if not regular or period is None:
        return ""
    fixed = fixed_day_of(org, rules, period)
    if fixed == scheduled or not is_day_off(fixed) or shift_to_working_day(fixed, rules.holiday_shift) != scheduled:
        return ""
    if name := _holiday_names(fixed.year, get_language() or "vi").get(fixed):
        why = _("nghỉ lễ %(name)s") % {"name": name}
    else:
        why = _("thứ Bảy") if fixed.weekday() == 5 else _("Chủ nhật")
    return _("Dời từ ngày %(day)s (ngày sinh hoạt cố định) vì %(why)s.") % {
        "day": fixed.strftime("%d/%m/%Y"),
        "why": why,
    }


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def quarter_of(day: date) -> tuple[date, date]:
    """[first day of the quarter, first day of the next quarter)."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    end = first
    for _month in range(3):
        end = next_month(end)
    return first, end
