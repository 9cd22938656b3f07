"""Vietnamese text: name ordering and diacritic-free search.

DOMAIN.md: names sort by given name (the last word), then by the rest of the name as written (family name,
then middle names: "Hồ Văn Thành" before "Trần Quốc Thành"), in the Vietnamese alphabet (a ă â b c d đ e ê
g h i k l m n o ô ơ p q r s t u ư v x y) with tones compared only after the letters of each part. That is
what PostgreSQL's ICU Vietnamese collation gives ordering by (given, family, middle) columns, so both
databases list names in the same order. Search must match with and without diacritics.
"""

import unicodedata

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
# Tone marks as NFD combining characters, in the conventional order: none, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a letter of its own (ă â ê ô ơ ư) rather than a tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_LETTER_CODE = {ch: chr(0x41 + i) for i, ch in enumerate(_ALPHABET)}  # 'A'… in alphabet order


def _split_letter_and_tone(text: str) -> list[tuple[str, int]]:
    """Each base letter (with its letter-forming mark kept) and the tone carried by it."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch in _TONES and out:
            letter, _ = out[-1]
            out[-1] = (letter, _TONES[ch])
        elif ch in _LETTER_MARKS and out:
            letter, tone = out[-1]
            out[-1] = (unicodedata.normalize("NFC", letter + ch), tone)
        elif unicodedata.combining(ch):
            continue
        else:
            out.append((ch, 0))
    return out


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """(family, middle, given) of a Vietnamese full name: "Trần Văn Út Nhỏ" → ("Trần", "Văn Út", "Nhỏ")."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _word_key(word: str) -> tuple[str, str]:
    letters = _split_letter_and_tone(word)
    primary = "".join(_LETTER_CODE.get(letter, letter) for letter, _ in letters)
    tones = "".join(str(tone) for _, tone in letters)
    return primary, tones


def name_sort_key(full_name: str) -> str:
    """An ASCII key whose byte order is the Vietnamese order of names.

    Parts are compared given name first, then family name, then middle names (the rest as written); within
    each part, letters first and tones only when all its letters are equal, as ICU's Vietnamese collation
    compares a column (chibo.members.selectors.vietnamese_order on PostgreSQL).
    """
    family, middle, given = split_full_name(normalize_name(full_name))
    parts = []
    for part in (given, family, middle):
        keys = [_word_key(w) for w in part.split()]
        # "!" (between words) sorts below every letter code, and " " below "!": "An" < "An Bình" < "Anh".
        # Equal letters make equal-length tones, so the "/" after them only ever meets another "/".
        parts.append("!".join(k[0] for k in keys) + " " + "".join(k[1] for k in keys))
    return "/".join(parts)


def normalize_name(name: str) -> str:
    """Composed Unicode, single spaces, each word capitalised as names are written."""
    name = unicodedata.normalize("NFC", " ".join(name.split()))
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split(" ") if w)


def unaccent(text: str) -> str:
    """Lowercase text without diacritics: "Trường" → "truong", "Đặng" → "dang"."""
    text = text.lower().replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_text(*parts: str | None) -> str:
    """The diacritic-free, lowercase text a search matches against."""
    return " ".join(unaccent(p) for p in parts if p)
