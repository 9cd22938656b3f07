"""Every dashboard view as an Excel workbook: the months, the children (or the cell's meetings) and the
warnings, the same figures as the page."""

from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from chibo.core.workbooks import data_row
from chibo.dashboards.selectors import Dashboard, Figures
from chibo.dashboards.warnings import Warning


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 4)


def _figure_row(f: Figures) -> list[Any]:
    return [
        f.planned,
        f.held,
        f.held_on_day,
        f.thematic_held,
        f.required,
        f.present,
        _pct(f.attendance_pct),
        f.speakers,
        _pct(f.speakers_pct),
        f.tasks_due,
        f.tasks_done,
        f.tasks_overdue,
        f.scored,
        f.score_good,
        f.score_fair,
        f.score_average,
        f.score_poor,
        f.score_confirmed,
        f.supervised,
        f.directives_due,
        f.directives_on_time,
        f.directives_late,
        f.directives_overdue,
    ]


def _node_row(f: Figures) -> list[Any]:
    """What a child (or the whole node) adds to a month: its cells, those visited, the classification."""
    return [f.cells, f.cells_visited, f.reviewed, f.review_not_rated, *(n for _l, _s, n, _p in f.review_levels)]


def _figure_headings() -> list[str]:
    return [
        _("Buổi đã lên lịch"),
        _("Buổi đã họp"),
        _("Họp đúng ngày"),
        _("Buổi có chuyên đề"),
        _("Lượt phải dự"),
        _("Lượt có mặt"),
        _("Tỷ lệ dự họp"),
        _("Lượt phát biểu (người)"),
        _("Tỷ lệ phát biểu"),
        _("Phần việc đến hạn"),
        _("Đã hoàn thành"),
        _("Quá hạn"),
        _("Buổi đã chấm điểm"),
        _("Tốt"),
        _("Khá"),
        _("Trung bình"),
        _("Kém"),
        _("Được cấp trên xác nhận"),
        _("Buổi có cấp trên dự"),
        _("Văn bản đến hạn quán triệt"),
        _("Quán triệt đúng hạn"),
        _("Quán triệt trễ hạn"),
        _("Quá hạn chưa quán triệt"),
    ]


def _node_headings() -> list[str]:
    return [
        _("Chi bộ"),
        _("Chi bộ được cấp trên dự"),
        _("Đảng viên kiểm điểm"),
        _("Không xếp loại"),
        "HTXSNV",
        "HTTNV",
        "HTNV",
        "KHTNV",
    ]


def _append(ws: Any, values: list[Any]) -> None:
    """As data, never as formulas (chibo.core.workbooks): names and notes are people's own input."""
    ws.append(data_row(ws, values, date_format="DD/MM/YYYY"))


def _percent_format(ws: Any, columns: list[int]) -> None:
    for row in ws.iter_rows(min_row=2):
        for i in columns:
            row[i].number_format = "0.0%"


def dashboard_workbook(dash: Dashboard, warnings: list[Warning]) -> bytes:
    wb = Workbook()
    months = wb.active
    months.title = _("Theo tháng")
    _append(months, [_("Tháng"), *_figure_headings()])
    for month, figures in dash.monthly:
        _append(months, [month.strftime("%m/%Y"), *_figure_row(figures)])
    _append(months, [_("Cả kỳ"), *_figure_row(dash.totals)])
    _percent_format(months, [7, 9])
    if dash.is_cell:
        ws = wb.create_sheet(_("Buổi sinh hoạt"))
        _append(ws, [_("Ngày"), _("Loại"), _("Trạng thái"), _("Tiêu đề")])
        for m in dash.meetings:
            _append(ws, [m.scheduled_date, m.get_kind_display(), m.get_status_display(), str(m)])
    else:
        ws = wb.create_sheet(_("Đơn vị trực thuộc"))
        _append(ws, [_("Đơn vị"), *_figure_headings(), *_node_headings()])
        for child in dash.children:
            _append(ws, [child.name, *_figure_row(child.figures), *_node_row(child.figures)])
        _percent_format(ws, [7, 9])
    ws = wb.create_sheet(_("Cả kỳ"))
    _append(ws, [_("Đơn vị"), *_figure_headings(), *_node_headings(), _("Năm xếp loại")])
    _append(ws, [dash.version.name, *_figure_row(dash.totals), *_node_row(dash.totals), dash.review_year])
    _percent_format(ws, [7, 9])
    ws = wb.create_sheet(_("Cảnh báo"))
    _append(ws, [_("Chi bộ"), _("Loại cảnh báo"), _("Nội dung"), _("Căn cứ"), _("Ngưỡng"), _("Đã ghi nhận")])
    for w in warnings:
        _append(
            ws, [w.cell.name, w.label, w.text, "; ".join(w.evidence), w.threshold, w.acks[0].note if w.acks else ""]
        )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
