"""The words of the demo's meetings (October 2020 – September 2021): directives disseminated each month,
reasons for absence, thematic topics, and templates of what members said, per kind of cell.

Everything here is invented but plausible for a ward of thị xã Long Mỹ at the time: the Covid-19
epidemic (people returning from other provinces, the summer 2021 wave, the first vaccinations), the
elections of 23/5/2021, the XIIIth Party Congress, rice seasons, party dues, mobilising residents. The
directives cited are real central documents, or local plans named generically. Templates take
`str.format` fields: {area} (the cell's area or unit), {month}, {next_month}, {year}, {name} (another
member), {n}, {date} (dd/mm/yyyy), {street}.
"""

from datetime import date

# --- Directives disseminated (quán triệt văn bản cấp trên), by month ---------------------------------

DIRECTIVES: dict[tuple[int, int], tuple[str, ...]] = {
    (2020, 10): (
        "Nghị quyết Đại hội đại biểu Đảng bộ tỉnh Hậu Giang lần thứ XIV, nhiệm kỳ 2020 - 2025",
        "Công văn của Đảng ủy phường về lấy ý kiến đảng viên, nhân dân góp ý dự thảo văn kiện Đại hội XIII của Đảng",
    ),
    (2020, 11): (
        "Kế hoạch của Ủy ban MTTQ phường tổ chức Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư (18/11)",
        "Kế hoạch của Đảng ủy phường về kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm 2020",
    ),
    (2020, 12): (
        "Hướng dẫn của Đảng ủy phường về kiểm điểm, đánh giá, xếp loại đảng viên năm 2020",
        "Kế hoạch tuyển chọn và gọi công dân nhập ngũ năm 2021",
    ),
    (2021, 1): (
        "Công điện của Thủ tướng Chính phủ về tăng cường phòng, chống dịch Covid-19 dịp Tết Nguyên đán Tân Sửu",
        "Kế hoạch của Ủy ban nhân dân phường bảo đảm an ninh trật tự, an toàn giao thông dịp Tết",
    ),
    (2021, 2): (
        "Thông báo kết quả Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
        "Kế hoạch tổ chức Tết trồng cây đời đời nhớ ơn Bác Hồ xuân Tân Sửu 2021",
    ),
    (2021, 3): (
        "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
        "Kế hoạch của Ủy ban bầu cử phường về bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp "
        "nhiệm kỳ 2021 - 2026",
    ),
    (2021, 4): (
        "Chỉ thị số 45-CT/TW ngày 20/6/2020 của Bộ Chính trị về lãnh đạo cuộc bầu cử đại biểu Quốc hội khóa XV "
        "và đại biểu HĐND các cấp nhiệm kỳ 2021 - 2026",
        "Hướng dẫn số 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương về nâng cao chất lượng sinh hoạt chi bộ",
        "Kế hoạch của Ban Chỉ đạo phòng, chống dịch Covid-19 phường về quản lý người từ địa phương khác về",
    ),
    (2021, 5): (
        "Kế hoạch tổ chức ngày bầu cử 23/5/2021 tại các khu vực bỏ phiếu của phường",
        "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, "
        "đạo đức, phong cách Hồ Chí Minh",
    ),
    (2021, 6): (
        "Thông báo kết quả bầu cử đại biểu Quốc hội khóa XV và đại biểu HĐND các cấp",
        "Công điện của Ủy ban nhân dân tỉnh về tăng cường các biện pháp phòng, chống dịch Covid-19",
    ),
    (2021, 7): (
        "Chỉ thị số 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ về các biện pháp cấp bách phòng, "
        "chống dịch Covid-19",
        "Kế hoạch kỷ niệm 74 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2021)",
    ),
    (2021, 8): (
        "Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ về chính sách hỗ trợ người lao động và người sử dụng "
        "lao động gặp khó khăn do đại dịch Covid-19",
        "Kế hoạch tiêm vắc-xin phòng Covid-19 trên địa bàn phường",
    ),
    (2021, 9): (
        "Kế hoạch kỷ niệm 76 năm Cách mạng Tháng Tám và Quốc khánh 2/9",
        "Kế hoạch vận động ủng hộ Quỹ phòng, chống dịch Covid-19 của Ủy ban MTTQ phường",
    ),
}

# Months after the demo's year (the meetings planned around today) disseminate these.
LATER_DIRECTIVES = (
    "Chỉ thị số 50-CT/TW ngày 23/7/2025 của Ban Bí thư về nâng cao chất lượng sinh hoạt chi bộ",
    "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương về nâng cao chất lượng sinh hoạt chi bộ",
)


def directives_for(day: date) -> tuple[str, ...]:
    return DIRECTIVES.get((day.year, day.month), LATER_DIRECTIVES)


# --- Absences --------------------------------------------------------------------------------------

AREA_REASONS = (
    "Ốm, đang điều trị tại nhà",
    "Nằm viện tại Bệnh viện Đa khoa thị xã Long Mỹ",
    "Đi làm ăn xa, có báo cáo chi ủy",
    "Bận việc gia đình (đám giỗ)",
    "Bận việc gia đình, đã xin phép bí thư chi bộ",
    "Chăm người nhà nằm viện",
    "Đi thăm con ở Thành phố Hồ Chí Minh",
    "Thu hoạch lúa, đã xin phép chi ủy",
)
AGENCY_REASONS = (
    "Đi công tác",
    "Trực cơ quan",
    "Đi học lớp trung cấp lý luận chính trị",
    "Ốm, có giấy của cơ sở y tế",
    "Bận việc gia đình",
    "Nghỉ phép năm",
)
# Summer 2021: the epidemic kept some members away.
COVID_REASONS = (
    "Cách ly y tế tại nhà theo quy định",
    "Tham gia chốt kiểm soát dịch Covid-19",
    "Tham gia tổ hỗ trợ tiêm vắc-xin Covid-19",
)
AWAY_REASON = "Đi làm ăn xa (tỉnh Bình Dương), có báo cáo chi ủy"


# --- Places ----------------------------------------------------------------------------------------

AGENCY_PLACES = {
    "bt_dang": "Hội trường Đảng ủy phường Bình Thạnh",
    "bt_ubnd": "Phòng họp Ủy ban nhân dân phường Bình Thạnh",
    "bt_ca": "Trụ sở Công an phường Bình Thạnh",
    "bt_qs": "Ban Chỉ huy Quân sự phường Bình Thạnh",
    "bt_th": "Phòng họp Trường Tiểu học Bình Thạnh",
    "bt_yt": "Trạm Y tế phường Bình Thạnh",
}


def place_for(cell_key: str, area: str | None) -> str:
    return AGENCY_PLACES.get(cell_key) or f"Nhà văn hóa khu vực {area}"


# The ward committee member who follows An Hòa (the demo account canbo.duhop), as the minutes name him.
SUPERVISOR_ROLE = "Đảng ủy viên phường Bình Thạnh, phụ trách Chi bộ khu vực An Hòa"


# --- Thematic topics (chuyên đề), one per quarter ------------------------------------------------

AREA_TOPICS = (
    "Vận động nhân dân tham gia bảo đảm an ninh trật tự ở khu dân cư",
    "Phát triển kinh tế hộ gia đình, giảm nghèo bền vững trên địa bàn khu vực",
    "Vai trò của đảng viên trong phòng, chống dịch Covid-19 ở khu dân cư",
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tinh thần đoàn kết, gần dân",
    "Thực hiện quy chế dân chủ ở cơ sở, xây dựng khu dân cư văn minh",
)
AGENCY_TOPICS = {
    "bt_dang": (
        "Nâng cao chất lượng công tác dân vận của cơ quan Đảng, đoàn thể",
        "Trách nhiệm nêu gương của cán bộ, đảng viên theo Quy định số 08-QĐi/TW",
    ),
    "bt_ubnd": (
        "Nâng cao tinh thần trách nhiệm của cán bộ, công chức trong giải quyết thủ tục hành chính",
        "Cải cách hành chính, thực hiện cơ chế một cửa tại phường",
    ),
    "bt_ca": (
        "Xây dựng lực lượng Công an phường trong sạch, vững mạnh, chính quy",
        "Học tập và làm theo Sáu điều Bác Hồ dạy Công an nhân dân",
    ),
    "bt_qs": (
        "Nâng cao chất lượng huấn luyện dân quân tự vệ",
        "Xây dựng nền quốc phòng toàn dân gắn với thế trận an ninh nhân dân ở phường",
    ),
    "bt_th": (
        "Đổi mới phương pháp dạy học, nâng cao chất lượng giáo dục toàn diện",
        "Nêu gương của đảng viên là nhà giáo trong dạy học trực tuyến mùa dịch",
    ),
    "bt_yt": (
        "Nâng cao y đức, tinh thần phục vụ nhân dân của đảng viên ngành y tế",
        "Vai trò của đảng viên Trạm Y tế trong tiêm chủng và phòng, chống dịch Covid-19",
    ),
}


# --- What members say ------------------------------------------------------------------------------

# Thinking of members, review of last month, residents' views and next month's tasks: area cells.
AREA_OPINIONS = (
    "Thống nhất với báo cáo của chi ủy; tháng qua đảng viên trong tổ chấp hành tốt chủ trương, nghị quyết, "
    "không có biểu hiện dao động tư tưởng.",
    "Các hộ đảng viên phụ trách ở {area} chấp hành tốt các biện pháp phòng, chống dịch Covid-19; trong tháng có "
    "{n} trường hợp từ tỉnh khác về, đã báo Trạm Y tế phường theo dõi.",
    "Thu đảng phí tháng {month} đạt 100%; đề nghị các đồng chí nộp đúng kỳ sinh hoạt.",
    "Giá lúa vụ này khá, bà con phấn khởi; đề nghị chi bộ phối hợp Hội Nông dân hướng dẫn bà con xuống giống "
    "đúng lịch thời vụ.",
    "Tình hình an ninh trật tự ở {area} ổn định; có {n} vụ mất trộm vặt, đã phối hợp Công an phường xác minh.",
    "Phong trào Ngày Chủ nhật xanh ở {area} được bà con hưởng ứng; đề nghị duy trì hằng tháng.",
    "Đề nghị chi ủy tiếp tục phân công mỗi đảng viên phụ trách các hộ gần nhà, nắm người đi, người về.",
    "Việc vận động đóng góp Quỹ Vì người nghèo đạt kế hoạch; còn {n} hộ khó khăn cần chi bộ quan tâm.",
    "Nhân dân phản ánh đoạn đường {street} xuống cấp, ngập nước khi mưa lớn.",
    "Thống nhất dự thảo nghị quyết; đề nghị ghi rõ tên đảng viên phụ trách từng việc và thời hạn hoàn thành.",
)
AREA_PROPOSALS = (
    "Kiến nghị Ủy ban nhân dân phường sửa chữa đoạn đường {street} bị hư hỏng, đi lại khó khăn.",
    "Đề xuất chi bộ giới thiệu {n} hộ cận nghèo vay vốn Ngân hàng Chính sách xã hội để chăn nuôi.",
    "Đề nghị lắp thêm đèn chiếu sáng tuyến đường {street} thuộc {area}.",
    "Đề xuất tổ chức thăm, tặng quà gia đình chính sách nhân dịp lễ, Tết.",
    "Đề nghị phường hướng dẫn bà con khai báo y tế trực tuyến, nhiều người lớn tuổi chưa biết dùng điện thoại.",
)
AGENCY_OPINIONS = {
    "bt_dang": (
        "Các đoàn thể đã hoàn thành kế hoạch tháng {month}; đề nghị tăng cường nắm tình hình tư tưởng đoàn viên, "
        "hội viên.",
        "Công tác dân vận khéo ở các khu vực có chuyển biến; đề nghị nhân rộng mô hình tổ tự quản.",
        "Đề nghị rà soát, cập nhật kịp thời hồ sơ đảng viên chuyển sinh hoạt đến, đi.",
    ),
    "bt_ubnd": (
        "Tháng {month} bộ phận một cửa tiếp nhận {n} hồ sơ, giải quyết đúng hạn 100%.",
        "Đề nghị đẩy mạnh dịch vụ công trực tuyến, hướng dẫn người dân nộp hồ sơ qua mạng.",
        "Công tác thu ngân sách đạt tiến độ; cần đôn đốc các hộ kinh doanh nộp thuế đúng hạn.",
    ),
    "bt_ca": (
        "Tình hình an ninh trật tự tháng {month} ổn định; xử lý {n} trường hợp vi phạm an toàn giao thông.",
        "Đề nghị tăng cường tuần tra ban đêm ở tuyến {street} và khu vực chợ.",
        "Phối hợp các khu vực quản lý chặt người từ địa phương khác về, không để lây lan dịch bệnh.",
    ),
    "bt_qs": (
        "Hoàn thành kế hoạch huấn luyện dân quân tháng {month}, quân số tham gia đạt trên 95%.",
        "Đề nghị phối hợp các khu vực rà soát thanh niên trong độ tuổi nhập ngũ.",
        "Lực lượng dân quân tham gia chốt kiểm soát dịch nghiêm túc, đúng quy định.",
    ),
    "bt_th": (
        "Tỷ lệ học sinh đi học chuyên cần tháng {month} đạt trên 98%; đề nghị quan tâm học sinh hoàn cảnh khó khăn.",
        "Giáo viên chuẩn bị tốt phương án dạy học trực tuyến khi phải tạm dừng đến trường.",
        "Đề nghị phối hợp Hội Cha mẹ học sinh vận động tặng sách vở cho học sinh nghèo.",
    ),
    "bt_yt": (
        "Tháng {month} Trạm khám, điều trị cho {n} lượt người; không để xảy ra sai sót chuyên môn.",
        "Đề nghị các khu vực thông báo kịp thời người từ tỉnh khác về để Trạm lấy mẫu xét nghiệm.",
        "Công tác tiêm chủng mở rộng đạt kế hoạch; cần vận động thêm các hộ ở xa.",
    ),
}
AGENCY_PROPOSALS = (
    "Đề xuất cử đảng viên trẻ đi bồi dưỡng kỹ năng ứng dụng công nghệ thông tin.",
    "Đề nghị chi ủy phân công đảng viên kèm cặp quần chúng ưu tú, tạo nguồn phát triển đảng viên.",
    "Kiến nghị Đảng ủy phường bổ sung kinh phí mua sắm trang thiết bị phục vụ công tác.",
)

# Explanation of a task not done (kiểm điểm nhiệm vụ tháng trước).
EXPLANATIONS = (
    "Giải trình việc chưa hoàn thành vận động {n} hộ đóng góp quỹ: do bận thu hoạch lúa; hứa hoàn thành trước "
    "ngày {date}.",
    "Giải trình chưa đến thăm đủ các hộ được phân công do ốm mấy ngày; sẽ hoàn thành trong tháng {next_month}.",
    "Giải trình việc nộp báo cáo chậm: do chưa tổng hợp kịp số liệu; đã khắc phục.",
)
SELF_CRITICISMS = (
    "Tự phê bình: tháng qua có một lần vắng sinh hoạt không báo trước; hứa tham gia đầy đủ các kỳ sinh hoạt.",
    "Tự phê bình: chưa nắm kịp thời tình hình các hộ được phân công phụ trách; hứa đến từng hộ trong tháng "
    "{next_month}.",
    "Tự phê bình: nộp đảng phí chưa đúng kỳ; hứa khắc phục ngay trong tháng này.",
    "Tự phê bình: phát biểu ý kiến trong sinh hoạt còn ít, chưa mạnh dạn đóng góp; hứa khắc phục.",
)
CRITICISMS = (
    "Góp ý đồng chí {name} cần chủ động hơn trong nắm tình hình các hộ được phân công, báo cáo kịp thời cho chi ủy.",
    "Phê bình trên tinh thần xây dựng: đồng chí {name} còn đến sinh hoạt muộn; đề nghị khắc phục.",
    "Góp ý đồng chí {name} cần nêu gương hơn trong vận động gia đình chấp hành quy định phòng, chống dịch.",
)
THEMATIC_OPINIONS = (
    "Thống nhất với nội dung đề dẫn; liên hệ bản thân, sẽ {pledge}.",
    "Đề dẫn nêu đúng thực tế ở {area}; đề nghị bổ sung giải pháp cụ thể, giao cho từng đảng viên.",
    "Qua chuyên đề, đề nghị chi bộ xây dựng mô hình điểm để nhân rộng.",
)
PLEDGES = (
    "gương mẫu thực hiện và vận động gia đình cùng làm",
    "dành thời gian đến các hộ được phân công nhiều hơn",
    "học tập nâng cao trình độ để làm tốt nhiệm vụ",
)
HCM_OPINIONS = (
    "Đăng ký làm theo Bác: tiết kiệm, giúp đỡ {n} hộ khó khăn gần nhà; tháng qua đã thực hiện đạt.",
    "Học và làm theo Bác bằng việc cụ thể: gương mẫu chấp hành quy định phòng, chống dịch, vận động bà con "
    "cùng thực hiện.",
)

# Quick notes of the chair for the agenda points of every regular meeting.
REVIEW_NOTE = (
    "Chi ủy báo cáo kết quả thực hiện nghị quyết tháng {prev}: các chỉ tiêu cơ bản đạt; kiểm điểm từng phần việc "
    "đã giao."
)
NEXT_TASKS_NOTE = "Dự thảo nhiệm vụ tháng {next_month} và phân công đảng viên thực hiện (theo dự thảo nghị quyết)."


# --- The resolution (dự thảo nghị quyết) ---------------------------------------------------------

AREA_RESOLUTION = (
    "Tiếp tục thực hiện nghiêm các biện pháp phòng, chống dịch Covid-19; mỗi đảng viên nắm chắc các hộ được "
    "phân công, báo ngay cho Trạm Y tế phường người từ địa phương khác về.",
    "Thu đảng phí tháng {next_month} đạt 100%.",
    "Vận động nhân dân giữ gìn vệ sinh môi trường, duy trì Ngày Chủ nhật xanh ở {area}.",
    "Phối hợp Công an phường giữ vững an ninh trật tự trên địa bàn.",
)
AGENCY_RESOLUTION = (
    "Hoàn thành nhiệm vụ chuyên môn tháng {next_month} của cơ quan, đơn vị.",
    "Thu đảng phí tháng {next_month} đạt 100%.",
    "Thực hiện nghiêm quy định phòng, chống dịch Covid-19 tại cơ quan, đơn vị.",
)
