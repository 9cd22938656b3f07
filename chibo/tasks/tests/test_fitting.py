"""Fitting tasks to people (C9): strengths against the task's words, diacritics-insensitive, with pairs of
syllables; then the load; exempt members and members off the roll are never proposed."""

from datetime import date

from django.urls import reverse

from chibo.tasks import services
from chibo.tasks.fitting import rank_members, terms
from chibo.tasks.tests.conftest import Cell, hold, months_ago


def test_terms_drop_stop_words_on_the_accented_word_and_keep_pairs_within_a_phrase() -> None:
    t = terms("Vận động các hộ nuôi cá, tham gia bảo hiểm y tế")
    assert set(t.words) == {"van", "dong", "ho", "nuoi", "ca", "bao", "hiem", "y", "te"}  # "các" dropped, "cá" kept
    # No pair across "các", the comma or the stop phrase "tham gia".
    assert set(t.pairs) == {"van dong", "ho nuoi", "nuoi ca", "bao hiem", "hiem y", "y te"}
    assert t.words["ca"] == {"cá"}


def test_text_without_diacritics_matches_the_same_words() -> None:
    assert terms("van dong quan chung").pairs.keys() == terms("Vận động quần chúng").pairs.keys()
    assert "cac" not in terms("van dong cac ho").words  # the plain form of a stop word is a stop word


def test_the_cell_is_ranked_by_matching_strengths_then_load_and_says_why(cell: Cell) -> None:
    fits = rank_members(org=cell.org, text="Vận động quần chúng tham gia hòa giải ở cơ sở", day=date(2025, 5, 5))
    names = [f.member.full_name for f in fits]
    # Exempt (Lý Văn Già), off the roll (Mai Văn Đi) and Bình Hòa's member (Tô Văn Khác) are never proposed.
    assert {"Lý Văn Già", "Mai Văn Đi", "Tô Văn Khác"}.isdisjoint(names)
    assert len(fits) == 7
    # "vận động quần chúng": 3 pairs (vận động, động quần, quần chúng) × 2 + 4 syllables = 10 points.
    # "hòa giải ở cơ sở": 2 pairs (ở is a stop word) × 2 + 4 syllables = 8. "vận động" alone: 2 + 2 = 4.
    # "van" typed without diacritics (văn bản) matches "vận": 1 point; the others share no word: 0.
    assert [(f.member.full_name, f.score, f.matched) for f in fits] == [
        ("Lê Văn Vận", 10, ["vận động quần chúng"]),
        ("Phạm Thị Luật", 8, ["hòa giải", "cơ sở"]),
        ("Huỳnh Thị Y", 4, ["vận động"]),
        ("Đỗ Thị Tin", 1, ["van"]),
        ("Võ Văn Nông", 0, []),
        ("Trần Văn Bí Thư", 0, []),
        ("Nguyễn Thị Thường", 0, []),
    ]


def test_strengths_typed_without_diacritics_match_a_task_written_with_them(cell: Cell) -> None:
    fits = rank_members(org=cell.org, text="Soạn thảo văn bản báo cáo tin học hóa", day=date(2025, 5, 5))
    assert (fits[0].member, fits[0].score) == (cell.typist, 14)  # 4 pairs × 2 + 6 syllables
    assert fits[0].matched == ["tin hoc", "soan thao van ban"]


def test_at_equal_fit_the_member_with_fewer_open_tasks_comes_first(cell: Cell) -> None:
    m = hold(cell.org, months_ago(1))
    for text in ("Việc một", "Việc hai"):
        services.task_create(
            actor=None, meeting=m, description=text, assignees=[cell.mobiliser], due_on=m.scheduled_date
        )
    done = services.task_create(
        actor=None, meeting=m, description="Việc ba", assignees=[cell.lawyer], due_on=m.scheduled_date
    )
    services.progress_report(actor=None, assignment=done.assignments.get(), status="done", done_on=m.scheduled_date)
    fits = rank_members(org=cell.org, text="Hòa giải, vận động", day=m.scheduled_date)
    assert [(f.member.full_name, f.score, f.open_tasks) for f in fits[:3]] == [
        ("Phạm Thị Luật", 4, 0),  # her task is reported done: not a load
        ("Huỳnh Thị Y", 4, 0),  # same score and load: name order (Luật before Y)
        ("Lê Văn Vận", 4, 2),
    ]


def test_ranking_costs_one_query_whatever_the_size_of_the_cell(cell: Cell, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from chibo.testing.factories import MemberFactory

    with django_assert_num_queries(1):
        small = rank_members(org=cell.org, text="vận động", day=date(2025, 5, 5))
    for _ in range(12):
        MemberFactory(org=cell.org, strengths="Vận động thanh niên")
    with django_assert_num_queries(1):
        large = rank_members(org=cell.org, text="vận động", day=date(2025, 5, 5))
    assert (len(small), len(large)) == (7, 19)


def test_the_suggestions_show_the_secretary_who_fits_and_why(cell: Cell, client) -> None:  # type: ignore[no-untyped-def]
    m = hold(cell.org, months_ago(1))
    client.force_login(cell.world.anhoa_secretary)
    response = client.get(reverse("tasks:suggest", args=[m.pk]), {"description": "van dong quan chung"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Lê Văn Vận") < body.index("Huỳnh Thị Y")
    assert "khớp: vận động quần chúng" in body and "đang làm 0 nhiệm vụ" in body
    assert "Lý Văn Già" not in body
