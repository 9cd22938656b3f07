import calendar
import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

# dd/mm/yyyy first (the house format); the others forgive what people type on a phone keyboard, and
# yyyy-mm-dd is what a browser's date picker sends.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def today() -> date:
    """Today in Việt Nam's time zone (never the server's naive date)."""
    return timezone.localdate()


class BadDate(ValueError):
    """Text that is not a day on the calendar; the message (Vietnamese) says why."""


def parse_day(text: str) -> date:
    """A calendar day from dd/mm/yyyy (or dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd). Raises BadDate saying whether the
    text is not a date at all or names a day that does not exist ("31/02/2010")."""
    raw = text.strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a calendar date, no time zone)
        except ValueError:
            continue
    if m := _DAY_MONTH_YEAR.match(raw):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(raw):
        year, month, day = (int(g) for g in m.groups())
    else:
        raise BadDate(_("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."))
    if not 1 <= month <= 12:
        raise BadDate(_("Ngày %(text)s không tồn tại: không có tháng %(month)s.") % {"text": raw, "month": month})
    if year < 1:
        raise BadDate(_("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 05/04/2021."))
    days = calendar.monthrange(year, month)[1]
    return_msg = _("Ngày %(text)s không tồn tại: tháng %(month)s năm %(year)s chỉ có %(days)s ngày.")
    raise BadDate(return_msg % {"text": raw, "month": month, "year": year, "days": days})
