"""Excel for the year-end review: the summary sent up (C15 point 7) and the import of past years' levels
(point 5). Upload checks and cell reading are the member import's (chibo.members.imports, .excel)."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from chibo.accounts.models import User
from chibo.accounts.scope import Perm, members_with, orgs_with
from chibo.core.dates import today
from chibo.core.errors import ChiboError
from chibo.core.vietnamese import search_text
from chibo.core.workbooks import data_row, open_workbook, reading
from chibo.members.excel import cell_text
from chibo.members.models import Member, Membership
from chibo.organizations.models import Organization
from chibo.reviews.models import SHORT, CellReview, Level, MemberReview, OrgRating, Source
from chibo.reviews.selectors import LevelCounts

MEMBER_SHEET = "Đảng viên"
ORG_SHEET = "Tổ chức"
MEMBER_COLUMNS = ("Số thẻ đảng viên", "Họ và tên", "Năm", "Mức xếp loại")
ORG_COLUMNS = ("Mã tổ chức", "Tên tổ chức", "Năm", "Mức xếp loại")
BOLD = Font(bold=True)


def write_summary(
    out: IO[bytes], *, org: Organization, year: int, cells: list[LevelCounts], total: LevelCounts
) -> None:
    """One sheet: per cell and in all, the count and share of each level, the members not rated."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tổng hợp"
    ws.append([f"TỔNG HỢP XẾP LOẠI ĐẢNG VIÊN NĂM {year}"])
    ws.append(data_row(ws, [org.name]))
    ws.append([])
    header = ["Tổ chức", "Tổng số", "Không xếp loại"]
    for short in SHORT.values():
        header += [short, f"{short} (%)"]
    header += ["Xếp loại tổ chức", "Số năm liền HTXSNV"]
    ws.append(header)
    for cell in ws[4]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for row in [*cells, total]:
        values: list[Any] = [row.label, row.total, row.not_rated]
        for _lvl, _short, n, _share in row.rows:
            values += [n, round(n * 100 / row.rated, 1) if row.rated else None]
        values += [SHORT.get(row.org_level, ""), row.top_years]
        ws.append(data_row(ws, values))
    for cell in ws[ws.max_row]:
        cell.font = BOLD
    ws.column_dimensions["A"].width = 42
    for i in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 12
    wb.save(out)


def write_template(out: IO[bytes]) -> None:
    wb = Workbook()
    members = wb.active
    assert members is not None
    members.title = MEMBER_SHEET
    members.append(list(MEMBER_COLUMNS))
    members.append(["93000001", "Nguyễn Văn A", 2020, "HTTNV"])
    orgs = wb.create_sheet(ORG_SHEET)
    orgs.append(list(ORG_COLUMNS))
    orgs.append(["HG.LM.01.01", "Chi bộ khu vực An Hòa", 2020, "HTXSNV"])
    notes = wb.create_sheet("Hướng dẫn")
    for line in (
        "Mỗi dòng: một năm đã xếp loại trước khi dùng hệ thống (đảng viên theo số thẻ, tổ chức theo mã).",
        "Mức xếp loại: HTXSNV, HTTNV, HTNV, KHTNV (hoặc ghi đầy đủ, ví dụ 'Hoàn thành tốt nhiệm vụ').",
        "Họ và tên, tên tổ chức: để đối chiếu; phải khớp với hệ thống.",
        "Chạy thử trước: tệp có lỗi thì không nhập dòng nào.",
    ):
        notes.append([line])
    for ws in (members, orgs):
        for cell in ws[1]:
            cell.font = BOLD
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 20, 36
    wb.save(out)


_LEVEL_WORDS = {search_text(str(label)): value for value, label in Level.choices} | {
    search_text(short): value for value, short in SHORT.items()
}


def read_level(value: object) -> str | None:
    text = search_text(cell_text(value))
    return _LEVEL_WORDS.get(re.sub(r"\s+", " ", text).strip())


@dataclass
class LevelImport:
    errors: list[dict] = field(default_factory=list)
    member_rows: list[tuple[Member, int, str]] = field(default_factory=list)
    org_rows: list[tuple[Organization, int, str]] = field(default_factory=list)

    def error(self, sheet: str, row: int, column: int, message: str) -> None:
        self.errors.append(
            {
                "sheet": sheet,
                "row": row,
                "column": (MEMBER_COLUMNS if sheet == MEMBER_SHEET else ORG_COLUMNS)[column],
                "letter": get_column_letter(column + 1),
                "message": message,
            }
        )


def _year(report: LevelImport, sheet: str, number: int, value: object) -> int | None:
    text = cell_text(value)
    if not text.isdigit() or not 1990 <= int(text) < today().year:
        report.error(sheet, number, 2, _("Năm phải là một năm đã qua, từ 1990 (ô: “%(v)s”).") % {"v": text})
        return None
    return int(text)


def _level(report: LevelImport, sheet: str, number: int, value: object) -> str | None:
    level = read_level(value)
    if level is None:
        report.error(
            sheet,
            number,
            3,
            _("Mức xếp loại “%(v)s” không có; dùng HTXSNV, HTTNV, HTNV, KHTNV.") % {"v": cell_text(value)},
        )
    return level


def _rows(wb: Any, sheet: str) -> list[tuple[int, tuple]]:
    if sheet not in wb.sheetnames:
        return []
    rows = list(wb[sheet].iter_rows(values_only=True))
    return [(i, r) for i, r in enumerate(rows[1:], start=2) if any(cell_text(v) for v in r)]


def check_levels(source: Any, *, actor: User) -> LevelImport:
    """Read and check every row (members in the importer's scope, existing levels, past years, nothing twice);
    a few queries per sheet, whatever the number of rows."""
    wb = open_workbook(source)
    report = LevelImport()
    with reading():  # a part that breaks while rows are read is a clear refusal, never a 500
        member_rows = _rows(wb, MEMBER_SHEET)
        org_rows = _rows(wb, ORG_SHEET)
    if not member_rows and not org_rows:
        raise ChiboError(
            _("Tệp không có dòng nào trong trang “%(a)s” hay “%(b)s”.") % {"a": MEMBER_SHEET, "b": ORG_SHEET},
            field="file",
        )
    cards = {cell_text(r[0]) for _n, r in member_rows if r}
    members = {m.card_number: m for m in members_with(actor, Perm.EDIT_MEMBERS).filter(card_number__in=cards)}
    existing = set(
        MemberReview.objects.filter(member__in=members.values()).values_list("member_id", "cell_review__year")
    )
    seen: set[tuple[int, int]] = set()
    for number, r in member_rows:
        r = (tuple(r) + (None,) * 4)[:4]
        member = members.get(cell_text(r[0]))
        if member is None:
            report.error(
                MEMBER_SHEET,
                number,
                0,
                _("Không có đảng viên số thẻ “%(v)s” trong phạm vi được nhập.") % {"v": cell_text(r[0])},
            )
            continue
        name = cell_text(r[1])
        if name and search_text(name) != search_text(member.full_name):
            report.error(
                MEMBER_SHEET, number, 1, _("Họ tên không khớp số thẻ (hệ thống: %(n)s).") % {"n": member.full_name}
            )
        year, level = _year(report, MEMBER_SHEET, number, r[2]), _level(report, MEMBER_SHEET, number, r[3])
        if year is None or level is None:
            continue
        if (member.pk, year) in existing or (member.pk, year) in seen:
            report.error(MEMBER_SHEET, number, 2, _("Đảng viên đã có xếp loại năm %(y)s.") % {"y": year})
            continue
        seen.add((member.pk, year))
        report.member_rows.append((member, year, level))

    codes = {cell_text(r[0]) for _n, r in org_rows if r}
    orgs = {o.code: o for o in orgs_with(actor, Perm.EDIT_ORG).filter(code__in=codes)}
    rated = set(OrgRating.objects.filter(org__in=orgs.values()).exclude(level="").values_list("org_id", "year"))
    seen_orgs: set[tuple[int, int]] = set()
    for number, r in org_rows:
        r = (tuple(r) + (None,) * 4)[:4]
        org = orgs.get(cell_text(r[0]))
        if org is None:
            report.error(
                ORG_SHEET, number, 0, _("Không có tổ chức mã “%(v)s” trong phạm vi được nhập.") % {"v": cell_text(r[0])}
            )
            continue
        year, level = _year(report, ORG_SHEET, number, r[2]), _level(report, ORG_SHEET, number, r[3])
        if year is None or level is None:
            continue
        if (org.pk, year) in rated or (org.pk, year) in seen_orgs:
            report.error(ORG_SHEET, number, 2, _("Tổ chức đã có xếp loại năm %(y)s.") % {"y": year})
            continue
        seen_orgs.add((org.pk, year))
        report.org_rows.append((org, year, level))
    return report


def _cell_at(member: Member, year: int, rolls: dict[int, list[Membership]]) -> int:
    """The cell whose roll the member was on at the end of `year` (their cell today if none then)."""
    end = date(year, 12, 31)
    for m in rolls.get(member.pk, []):
        if m.started_on <= end and (m.ended_on is None or m.ended_on > end):
            return m.org_id
    return member.org_id


@transaction.atomic
def import_levels(*, actor: User, source: Any, dry_run: bool) -> LevelImport:
    """All or nothing: a file with any error imports no row."""
    report = check_levels(source, actor=actor)
    if report.errors or dry_run:
        return report
    rolls: dict[int, list[Membership]] = {}
    ids = [m.pk for m, _y, _l in report.member_rows]
    for roll in Membership.objects.filter(member_id__in=ids, kind=Membership.Kind.OFFICIAL):
        rolls.setdefault(roll.member_id, []).append(roll)
    keys = {(_cell_at(m, y, rolls), y) for m, y, _l in report.member_rows}
    wanted = Q(pk__in=[])
    for org_id, year in keys:
        wanted |= Q(org_id=org_id, year=year)
    years = {(c.org_id, c.year): c for c in CellReview.objects.filter(wanted)}
    for key in keys - set(years):
        years[key] = CellReview.objects.create(
            org_id=key[0], year=key[1], source=Source.IMPORTED, status=CellReview.Status.LOCKED, created_by=actor
        )
    MemberReview.objects.bulk_create(
        [
            MemberReview(
                cell_review=years[(_cell_at(m, y, rolls), y)],
                member=m,
                cell_level=level,
                decided_level=level,
                decided_by=actor,
            )
            for m, y, level in report.member_rows
        ]
    )
    for org, year, level in report.org_rows:
        OrgRating.objects.update_or_create(
            org=org, year=year, defaults={"level": level, "source": Source.IMPORTED, "decided_by": actor}
        )
    return report
