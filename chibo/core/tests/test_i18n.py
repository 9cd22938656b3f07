"""English, the second locale: every string of the catalogue is translated, and the pages read in English
once a user switches, with dates still dd/mm/yyyy.

The catalogue (chibo/locale/en/LC_MESSAGES/django.po) is read with polib: Django only reads the compiled
.mo, which cannot tell a missing translation from one equal to its msgid. Tests that
render in English need the compiled .mo: they are marked `compiled_messages`, and `make test` compiles the
catalogue (`make messages`) before running the suite.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from chibo.accounts.models import Role
from chibo.core.errors import ChiboError
from chibo.meetings.models import Meeting
from chibo.members.services import validate_member_fields
from chibo.testing.factories import World

PO_PATH = Path(settings.BASE_DIR) / "chibo" / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Letters only Vietnamese uses (the plain a–z are shared with English).
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*[sdif]|%%")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def read_po(path: Path) -> list[Entry]:
    """The catalogue's entries (polib), header and obsolete (#~) entries left out."""
    return [
        Entry(
            msgid=e.msgid,
            msgid_plural=e.msgid_plural,
            msgstr={int(k): v for k, v in e.msgstr_plural.items()} if e.msgid_plural else {0: e.msgstr},
            flags=set(e.flags),
            line=e.linenum,
        )
        for e in polib.pofile(str(path))
        if e.msgid and not e.obsolete
    ]


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return read_po(PO_PATH)


def test_every_string_of_the_catalogue_has_an_english_translation(catalogue):
    assert len(catalogue) > 1000
    untranslated = [
        f"line {e.line}: {e.msgid}" for e in catalogue if not e.msgstr or not all(s.strip() for s in e.msgstr.values())
    ]
    assert not untranslated, "run makemessages and translate:\n" + "\n".join(untranslated)


def test_no_translation_is_left_fuzzy(catalogue):
    fuzzy = [f"line {e.line}: {e.msgid}" for e in catalogue if "fuzzy" in e.flags]
    assert not fuzzy, "\n".join(fuzzy)


def test_plural_strings_have_both_english_forms(catalogue):
    plurals = [e for e in catalogue if e.msgid_plural]
    assert plurals
    for entry in plurals:
        assert set(entry.msgstr) == {0, 1}, entry.msgid


def test_translations_keep_every_placeholder_of_the_vietnamese(catalogue):
    broken = []
    for entry in catalogue:
        for index, text in entry.msgstr.items():
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                broken.append(f"line {entry.line}: {source!r} → {text!r}")
    assert not broken, "\n".join(broken)


def test_translations_are_english_not_copies_of_the_vietnamese(catalogue):
    # Vietnamese letters may stay only where the English quotes a Vietnamese word on purpose
    # (an Excel column heading, a place name in an example, the product's own name in brackets).
    copied = [f"line {e.line}: {e.msgid}" for e in catalogue if any(s == e.msgid for s in e.msgstr.values())]
    copied = [c for c in copied if VIETNAMESE.search(c)]
    assert not copied, "\n".join(copied)


# --- Rendering in English (needs the compiled .mo) -------------------------------------------------------

NAV = re.compile(r'<nav class="mainnav">(.*?)</nav>', re.DOTALL)
WHOAMI = re.compile(r'<span class="whoami">.*?</span>', re.DOTALL)
FOOTER = re.compile(r'<footer class="footer">(.*?)</footer>', re.DOTALL)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def _nav_text(html: str) -> str:
    match = NAV.search(html)
    assert match, "the page has no main navigation"
    return _text(WHOAMI.sub("", match.group(1)))  # the user's own name is data, not a label


@pytest.fixture
def keep_language():
    """LocaleMiddleware activates the cookie's language in this thread; later tests expect Vietnamese."""
    before = translation.get_language()
    yield
    translation.activate(before or settings.LANGUAGE_CODE)


@pytest.mark.compiled_messages
def test_strings_models_and_service_refusals_read_in_english_under_override():
    with translation.override("en"):
        assert translation.gettext("Đảng viên") == "Party members"
        assert str(Role.MEMBER.label) == "Party member"  # the same words as a role: "role" context
        assert str(Meeting.Kind.REGULAR.label) == "Regular meeting"
        assert str(Meeting._meta.get_field("scheduled_date").verbose_name) == "meeting date"
        with pytest.raises(ChiboError, match="cannot be in the future"):
            validate_member_fields({"birth_date": date(2999, 1, 1)})
    with pytest.raises(ChiboError, match="không được ở tương lai"):
        validate_member_fields({"birth_date": date(2999, 1, 1)})


@pytest.mark.compiled_messages
def test_dates_stay_day_month_year_in_english():
    day = date(2021, 4, 5)
    with translation.override("en"):
        assert formats.date_format(day) == "05/04/2021"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/04/2021"
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
        assert formats.number_format(1234.5, decimal_pos=1, use_l10n=True, force_grouping=True) == "1,234.5"
    with translation.override("vi"):
        assert formats.date_format(day) == "05/04/2021"


@pytest.mark.compiled_messages
def test_a_member_switches_to_english_and_the_key_pages_follow(world: World, keep_language):
    client = Client()
    client.force_login(world.anhoa_secretary)
    assert "Tổ chức" in _nav_text(client.get(reverse("core:home")).content.decode())

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})

    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    pages = {
        reverse("core:home"): ["Hello, anhoa_secretary", "Your roles", "Cell committee (edits its own cell)"],
        reverse("organizations:tree"): ["Organization tree", "View as of date", "Subordinate party cell"],
        reverse("members:list"): ["<h1>Party members", "Add a party member", "2 party members", "17/05/1970"],
        reverse("scheduling:month"): ["Meeting calendar for", "Create this month's regular meetings", "Warnings"],
    }
    for url, expected in pages.items():
        html = client.get(url).content.decode()
        assert '<html lang="en">' in html, url
        for text in expected:
            assert text in html, f"{url}: {text!r} missing"
        nav = _nav_text(html)
        for label in ("Organizations", "Party members", "Meeting calendar", "Meetings", "Notices", "Tasks"):
            assert label in nav, f"{url}: nav lacks {label!r}"
        assert "Sign out" in nav and "VI" in nav
        assert not VIETNAMESE.search(nav), f"{url}: Vietnamese left in the menu: {nav}"
        footer = FOOTER.search(html)
        assert footer and not VIETNAMESE.search(footer.group(1)), url

    client.post(reverse("set_language"), {"language": "vi", "next": reverse("core:home")})
    html = client.get(reverse("core:home")).content.decode()
    assert '<html lang="vi">' in html and "Đăng xuất" in _nav_text(html)
