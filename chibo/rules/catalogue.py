"""The system's dated rule-set versions (org = NULL): which national texts were in force when, the figure
each carries, and for every figure whether it is national or a local practice and where it comes from
(DOMAIN.md "Rule versions by date"). A meeting is judged by the version in force on its day.

Plain data, read by the data migration that ships them and by `chibo.rules.services.system_version_put`,
which later versions (e.g. the review and classification rules QĐ 124, QĐ 366) go through.

Sources are public summaries of the regulations, not the official texts. A figure that could not be
confirmed says so in its basis and in the version's note; it is an editable setting like any other.
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_noop

from chibo.rules.models import classification_qd124, classification_qd132, classification_qd366

NATIONAL, LOCAL, UNCONFIRMED = "national", "local", "unconfirmed"
BASIS_KINDS = {  # labels translated where shown (gettext_noop marks them)
    NATIONAL: gettext_noop("Quy định toàn quốc"),
    LOCAL: gettext_noop("Thực tiễn địa phương (cấp ủy tự đặt)"),
    UNCONFIRMED: gettext_noop("Chưa xác nhận được văn bản gốc"),
}


def basis(kind: str, source: str) -> dict[str, str]:
    return {"kind": kind, "source": source}


_HD12 = "HD 12-HD/BTCTW (06/7/2018)"
_HD42 = "HD 42-HD/BTCTW (28/10/2025)"
_CHARTER = "Điều lệ Đảng, Điều 24; QĐ thi hành Điều lệ"

# Figures every version shares unless it says otherwise: what is local practice stays local whatever
# the national text of the day.
_LOCAL_BASIS: dict[str, dict[str, str]] = {
    "meeting_day": basis(LOCAL, "Ngày sinh hoạt cố định do cấp ủy địa phương quy định (VD: Hậu Giang, CV 747-CV/TU)"),
    "holiday_shift": basis(LOCAL, "Cấp ủy địa phương quy định"),
    "default_start_time": basis(LOCAL, "Thói quen của chi bộ (nhiều chi bộ họp buổi tối)"),
    "attendance_threshold_pct": basis(
        LOCAL, "Tiêu chí chất lượng, không phải điều kiện hợp lệ (VD: Đồng Nai 2019, > 85%); chỉ cảnh báo và chấm điểm"
    ),
    "speakers_threshold_pct": basis(LOCAL, "Mức khởi điểm của hệ thống (30% số phải dự có mặt), cấp ủy tự đặt"),
    "reminder_hours_before": basis(LOCAL, "Cài đặt của hệ thống"),
    "vote_pass_rule": basis(NATIONAL, "Điều lệ Đảng: quá nửa số đảng viên chính thức phải dự họp tán thành"),
    "scoring": basis(LOCAL, "Chấm điểm buổi sinh hoạt: thực tiễn cấp tỉnh (mặc định Phú Thọ; Bình Thuận để chọn)"),
    "excellent_quota_enabled": basis(NATIONAL, "QĐ 132-QĐ/TW (2018), HD 21-HD/BTCTW (2019): HTXSNV ≤ 20% số HTTNV"),
    "excellent_quota_pct": basis(NATIONAL, "QĐ 132-QĐ/TW (2018), HD 21-HD/BTCTW (2019)"),
    "rate_probationary": basis(UNCONFIRMED, "Không thấy quy định riêng cho đảng viên dự bị; cài đặt"),
    "task_carry_over_min_days": basis(LOCAL, "Cài đặt của hệ thống: hạn tối thiểu khi chuyển nhiệm vụ sang tháng sau"),
    "task_reminder_every_days": basis(LOCAL, "Cài đặt của hệ thống: nhắc nhiệm vụ quá hạn"),
    "notice_horizon_days": basis(LOCAL, "Cài đặt của hệ thống: khoảng thời gian lập thông báo trước"),
    "minutes_sign_within_days": basis(LOCAL, "Thực tiễn: biên bản ký trong vài ngày sau buổi họp; cài đặt"),
    "households": basis(LOCAL, "Phân công đảng viên phụ trách hộ: cấp ủy địa phương quy định"),
    "supervision_gap_days": basis(LOCAL, "Cấp trên dự sinh hoạt chi bộ: cấp ủy địa phương quy định; cài đặt"),
    "rota_max_visits_per_month": basis(LOCAL, "Lịch dự sinh hoạt của cán bộ: cài đặt"),
    "directive_reminder_days": basis(LOCAL, "Nhắc quán triệt văn bản: cài đặt"),
    "dashboard_max_months": basis(LOCAL, "Bảng theo dõi: cài đặt"),
    "warn_attendance_fall_months": basis(LOCAL, "Cảnh báo sớm: cài đặt"),
    "warn_absent_run": basis(LOCAL, "Cảnh báo sớm (VD: Đồng Nai 2019: vắng quá 3 lần liên tiếp); cài đặt"),
    "warn_silent_months": basis(LOCAL, "Cảnh báo sớm: cài đặt"),
    "warn_similarity_pct": basis(LOCAL, "Cảnh báo sớm: cài đặt"),
    "warn_overdue_days": basis(LOCAL, "Cảnh báo sớm: cài đặt"),
}


def _hd12_basis() -> dict[str, dict[str, str]]:
    return _LOCAL_BASIS | {
        "min_duration_minutes": basis(NATIONAL, f"{_HD12}, tiết 3.3: ít nhất 90 phút"),
        "min_duration_thematic_minutes": basis(NATIONAL, f"{_HD12}, tiết 3.3: ít nhất 120 phút khi kết hợp chuyên đề"),
        "notice_lead_days": basis(
            LOCAL, f"{_HD12} không quy định số ngày tối thiểu; ví dụ địa phương: 1 ngày (chưa xác nhận)"
        ),
        "thematic_per_quarter": basis(
            UNCONFIRMED, "Ít nhất mỗi quý một lần theo văn bản địa phương; lời văn của HD 12: chưa xác nhận"
        ),
    }


def _hd42_basis() -> dict[str, dict[str, str]]:
    return _LOCAL_BASIS | {
        "min_duration_minutes": basis(NATIONAL, f"CT 50-CT/TW (23/7/2025), {_HD42}: ít nhất 90 phút"),
        "min_duration_thematic_minutes": basis(NATIONAL, f"{_HD42}: ít nhất 120 phút khi kết hợp chuyên đề"),
        "notice_lead_days": basis(NATIONAL, f"{_HD42}: tài liệu đăng trên Sổ tay đảng viên ít nhất 1 ngày trước"),
        "thematic_per_quarter": basis(UNCONFIRMED, f"Tần suất sinh hoạt chuyên đề theo {_HD42}: chưa xác nhận"),
    }


_QD132 = "QĐ 132-QĐ/TW (08/3/2018), HD 21-HD/BTCTW (18/10/2019)"
_QD124 = "QĐ 124-QĐ/TW (04/10/2023), HD 25-HD/BTCTW (10/11/2023)"
_QD366 = "QĐ 366-QĐ/TW (30/8/2025), HD 43-HD/BTCTW (31/10/2025)"


def _classification_basis(text: str, detail: str) -> dict[str, dict[str, str]]:
    """The year-end classification (C15) a version carries: the four levels and their conditions are the
    text's; the 100-point weights that turn the evidence into points are ours (a local practice)."""
    return {"classification": basis(UNCONFIRMED, f"{text}: {detail}; trọng số điểm theo chứng cứ: cài đặt")}


_QD132_BASIS = _classification_basis(
    _QD132,
    "HTXSNV cần nhiệm vụ chính trị xuất sắc (đo bằng 100% nhiệm vụ đúng hạn), bị kỷ luật trong năm là KHTNV; "
    "điều kiện HTTNV, HTNV chưa xác nhận",
)
_QD124_BASIS = _classification_basis(
    _QD124, "KHTNV khi có tiêu chí Kém hoặc bị kỷ luật trong năm (trừ khi tự phát hiện, khắc phục); tỷ lệ chưa xác nhận"
)
_QD366_BASIS = _classification_basis(
    _QD366,
    "thang 100 điểm, HTXSNV ≥ 90 và 100% đúng hạn, ≥ 30% vượt yêu cầu; HTTNV ≥ 70 và 100% đúng hạn; "
    "HTNV ≥ 50 và hoàn thành 100%; KHTNV < 50 (suy ra)",
)


def system_versions() -> list[dict[str, Any]]:
    """The shipped system versions, oldest first. Every figure not named takes the model's default."""
    return [
        {
            "effective_from": date(2000, 1, 1),
            "note": (
                "Trước 06/7/2018: HD 09-HD/BTCTW (02/3/2012) về nâng cao chất lượng sinh hoạt chi bộ. "
                "Chưa xác nhận được các con số của HD 09; hệ thống dùng các con số của HD 12 (2018) cho thời kỳ này."
            ),
            "basis": _hd12_basis()
            | {
                "min_duration_minutes": basis(
                    UNCONFIRMED, "HD 09-HD/BTCTW (2012): chưa xác nhận; dùng con số của HD 12"
                ),
                "min_duration_thematic_minutes": basis(
                    UNCONFIRMED, "HD 09-HD/BTCTW (2012): chưa xác nhận; dùng con số của HD 12"
                ),
            }
            | _classification_basis(_QD132, "quy định xếp loại trước năm 2018 chưa xác nhận; hệ thống dùng QĐ 132"),
            "values": {"classification": classification_qd132()},
        },
        {
            "effective_from": date(2018, 7, 6),
            "note": (
                f"{_HD12} về một số vấn đề nâng cao chất lượng sinh hoạt chi bộ; xếp loại theo QĐ 132-QĐ/TW "
                "(08/3/2018), HD 21-HD/BTCTW (18/10/2019). Tần suất chuyên đề và số ngày gửi tài liệu: chưa xác nhận "
                "trong văn bản gốc (theo thực tiễn địa phương)."
            ),
            "basis": _hd12_basis() | _QD132_BASIS,
            "values": {"classification": classification_qd132()},
        },
        {
            "effective_from": date(2023, 10, 4),
            "note": (
                f"{_HD12} (tiếp tục); xếp loại theo {_QD124}: bốn mức, KHTNV khi có tiêu chí Kém hoặc bị kỷ luật "
                "trong năm, trừ khi tự phát hiện và khắc phục. Tỷ lệ HTXSNV: chưa xác nhận (giữ 20% số HTTNV)."
            ),
            "basis": _hd12_basis() | _QD124_BASIS,
            "values": {"classification": classification_qd124()},
        },
        {
            "effective_from": date(2025, 8, 30),
            "note": (
                f"{_HD12} (tiếp tục đến 28/10/2025); xếp loại theo {_QD366}: thang 100 điểm, HTXSNV ≥ 90, "
                "HTTNV ≥ 70, HTNV ≥ 50. Tỷ lệ HTXSNV: chưa xác nhận (giữ 20% số HTTNV)."
            ),
            "basis": _hd12_basis() | _QD366_BASIS,
            "values": {"classification": classification_qd366()},
        },
        {
            "effective_from": date(2025, 10, 28),
            "note": (
                f"CT 50-CT/TW (23/7/2025), {_HD42}; xếp loại theo QĐ 366-QĐ/TW (30/8/2025), HD 43-HD/BTCTW "
                "(31/10/2025). Tần suất chuyên đề: chưa xác nhận."
            ),
            "basis": _hd42_basis() | _QD366_BASIS,
            "values": {"classification": classification_qd366()},
        },
    ]
