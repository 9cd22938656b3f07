"""The near-identical resolution detector: copies with new dates are caught, honest rewrites are not."""

from chibo.dashboards.similarity import similarity_pct

TEXT_2021 = (
    "1. Tiếp tục quán triệt, thực hiện Chỉ thị 05-CT/TW về học tập và làm theo tư tưởng, đạo đức, phong cách "
    "Hồ Chí Minh; mỗi đảng viên đăng ký ít nhất một việc làm cụ thể trong tháng 4 năm 2021.\n"
    "2. Vận động 100% hộ dân khu vực An Hòa tham gia bảo hiểm y tế, giữ gìn vệ sinh môi trường tuyến đường "
    "Trần Hưng Đạo; phân công đảng viên phụ trách hộ.\n"
    "3. Chuẩn bị tốt công tác bầu cử đại biểu Quốc hội và Hội đồng nhân dân các cấp ngày 23/5/2021.\n"
    "4. Chi ủy theo dõi, đôn đốc, kiểm điểm việc thực hiện tại kỳ sinh hoạt tháng 5/2021."
)


def test_a_copy_with_new_months_and_dates_is_identical():
    copy = TEXT_2021.replace("tháng 4 năm 2021", "tháng 12 năm 2026").replace("5/2021", "1/2027")
    assert similarity_pct(TEXT_2021, copy) == 100.0


def test_a_copy_with_a_clause_added_and_a_word_changed_is_still_above_80():
    copy = TEXT_2021.replace("Trần Hưng Đạo", "Lê Lợi") + "\n5. Tham gia hiến máu nhân đạo đợt cuối năm."
    assert similarity_pct(TEXT_2021, copy) >= 80


def test_an_honest_rewrite_on_the_same_subjects_is_far_below_the_threshold():
    rewrite = (
        "1. Tổ chức cho đảng viên thảo luận chuyên đề năm 2026 về làm theo gương Bác, gắn với việc giữ "
        "đường làng sạch đẹp; chi ủy chọn ba việc làm tiêu biểu để biểu dương.\n"
        "2. Khu vực còn 12 hộ chưa có thẻ bảo hiểm y tế: các đồng chí phụ trách hộ gặp từng gia đình trước Tết.\n"
        "3. Rà soát danh sách hộ nghèo, cận nghèo; đề xuất hỗ trợ sửa nhà cho hộ bà Năm.\n"
        "4. Kiểm điểm kết quả vào kỳ họp tháng 1/2027."
    )
    assert similarity_pct(TEXT_2021, rewrite) < 20


def test_empty_texts_are_never_similar():
    assert similarity_pct("", TEXT_2021) == 0.0
