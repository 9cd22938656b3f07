from hypothesis import given
from hypothesis import strategies as st

from chibo.core.vietnamese import name_sort_key, normalize_name, search_text, split_full_name, unaccent


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Út Nhỏ", "Nguyễn Văn An", "Lê Thị Bé", "Võ Văn Trường"]
    assert sorted(names, key=name_sort_key) == ["Nguyễn Văn An", "Lê Thị Bé", "Trần Văn Út Nhỏ", "Võ Văn Trường"]


def test_letters_follow_the_vietnamese_alphabet():
    # a < ă < â, d < đ, o < ô < ơ, u < ư: a plain byte or English sort gets these wrong.
    names = ["Lê Văn Ân", "Lê Văn Ăn", "Lê Văn An", "Lê Văn Đông", "Lê Văn Dũng", "Lê Văn Ơn", "Lê Văn Ôn", "Lê Văn On"]
    assert sorted(names, key=name_sort_key) == [
        "Lê Văn An",
        "Lê Văn Ăn",
        "Lê Văn Ân",
        "Lê Văn Dũng",
        "Lê Văn Đông",
        "Lê Văn On",
        "Lê Văn Ôn",
        "Lê Văn Ơn",
    ]


def test_tones_only_break_ties_after_the_letters():
    # "Anh" comes after "Án" although á carries a tone: letters first, tones after.
    assert sorted(["Lê Anh", "Lê Án", "Lê An"], key=name_sort_key) == ["Lê An", "Lê Án", "Lê Anh"]


def test_the_rest_of_the_name_as_written_breaks_ties_on_the_given_name():
    # DOMAIN.md: family name, then middle names, as written: "Hồ Văn Thành" before "Trần Quốc Thành".
    assert sorted(["Trần Quốc Thành", "Hồ Văn Thành"], key=name_sort_key) == ["Hồ Văn Thành", "Trần Quốc Thành"]
    names = ["Trần Văn Nam", "Nguyễn Văn Nam", "Lê Thị Nam", "Nguyễn Nam"]
    assert sorted(names, key=name_sort_key) == ["Lê Thị Nam", "Nguyễn Nam", "Nguyễn Văn Nam", "Trần Văn Nam"]


def test_tones_of_the_given_name_come_before_the_family_name_as_in_a_collated_column():
    # ICU compares the given-name column whole (letters, then tones) before the family name.
    assert sorted(["An Văn Án", "Bùi Văn An"], key=name_sort_key) == ["Bùi Văn An", "An Văn Án"]


def test_split_full_name():
    assert split_full_name("Trần Văn Út Nhỏ") == ("Trần", "Văn Út", "Nhỏ")
    assert split_full_name("Nhỏ") == ("", "", "Nhỏ")


def test_normalize_name_capitalises_and_folds_spaces():
    assert normalize_name("  trần   văn  út nhỏ ") == "Trần Văn Út Nhỏ"


def test_search_text_has_no_diacritics():
    assert unaccent("Võ Văn Trường") == "vo van truong"
    assert unaccent("ĐẶNG Thị Đào") == "dang thi dao"
    assert search_text("Trường", None, "0909") == "truong 0909"


@given(
    st.lists(
        st.sampled_from(["Trần", "Văn", "Út", "Nhỏ", "An", "Ân", "Đức", "Dũng", "Ơn", "Anh"]), min_size=1, max_size=4
    )
)
def test_sort_key_is_deterministic_and_ascii(words):
    name = " ".join(words)
    key = name_sort_key(name)
    assert key == name_sort_key(name.lower())
    assert key.isascii()
