"""Forms of the organization pages.

Forms only validate input; the services in `chibo.organizations.services` decide and write.
"""

import time
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chibo.core.forms import DateField, ServiceForm
from chibo.core.vietnamese import unaccent
from chibo.members.models import Member
from chibo.organizations.models import AdministrativeUnit, Organization
from chibo.organizations.services import ALLOWED_PARENTS, SplitPart

Kind = Organization.Kind


def _decision_field() -> forms.CharField:
    return forms.CharField(label=_("Quyết định số"), max_length=100, required=False, help_text=_("Ví dụ: 125-QĐ/ĐU"))


def _note_field() -> forms.CharField:
    return forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- Choosing nodes -------------------------------------------------------------------------------


def with_parent_name(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate each node with its parent's name in the same query: many cells share a name
    ("Chi bộ khu vực 1"), a select only tells them apart by the committee above."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("name")[:1]
    return qs.annotate(parent_name=Subquery(parent)).order_by("path")


class OrgChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("— Chọn —"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        parent_name = getattr(obj, "parent_name", None)
        return f"{obj.name} — {parent_name}" if parent_name else obj.name


class OrgMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Organization) -> str:  # type: ignore[override]
        return obj.name


def child_kinds(parent: Organization) -> list[tuple[str, str]]:
    """The kinds that may sit directly under `parent` (none under a cell)."""
    return [(k.value, str(k.label)) for k in Kind if parent.kind in ALLOWED_PARENTS[k]]


# --- The administrative unit picker ---------------------------------------------------------------


@dataclass(frozen=True)
class UnitEntry:
    pk: int
    name: str
    province: str
    words: tuple[str, ...]  # the unit's name without diacritics, word by word
    province_words: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name} — {self.province}" if self.province else self.name


# (fingerprint of the table, entries): ~3,400 current units fit in memory; one small aggregate per search
# tells whether `load_admin_units` added or retired units since they were read, and the list is read again
# at least hourly for renames, which the fingerprint does not see.
_unit_cache: tuple[tuple[int, int | None, int], list[UnitEntry]] | None = None
_UNIT_CACHE_SECONDS = 3600


def forget_units() -> None:
    global _unit_cache
    _unit_cache = None


def _province_words(name: str) -> tuple[str, ...]:
    """The words that tell a province apart: "Thành phố Cần Thơ" → ("can", "tho"); "thanh" must not match
    every city's "Thành phố"."""
    text = unaccent(name)
    for prefix in ("thanh pho ", "tinh "):
        text = text.removeprefix(prefix)
    return tuple(text.split())


def _unit_entries() -> list[UnitEntry]:
    global _unit_cache
    current = AdministrativeUnit.objects.filter(is_current=True)
    stamp = current.aggregate(n=Count("pk"), top=Max("pk"))
    fingerprint = (stamp["n"], stamp["top"], int(time.monotonic() // _UNIT_CACHE_SECONDS))
    if _unit_cache is None or _unit_cache[0] != fingerprint:
        entries = [
            UnitEntry(
                pk=u.pk,
                name=u.name,
                province=u.parent.name if u.parent else "",
                words=tuple(unaccent(u.name).split()),
                province_words=_province_words(u.parent.name) if u.parent else (),
            )
            for u in current.select_related("parent").only("pk", "name", "parent__name").order_by("code")
        ]
        _unit_cache = (fingerprint, entries)
    return _unit_cache[1]


def _matches(query: list[str], words: tuple[str, ...]) -> bool:
    return all(any(w.startswith(q) for w in words) for q in query)


def search_units(text: str, limit: int = 15) -> list[UnitEntry]:
    """Current units whose name (or name and province) has a word starting with each word typed,
    with or without diacritics: "binh thanh" finds "Phường Bình Thạnh"; "tan an can tho" narrows by province.

    Units matched on their own name come first, shorter names before longer ones.
    """
    query = unaccent(text).split()
    if not query:
        return []
    found: list[tuple[tuple[int, int, str], UnitEntry]] = []
    for entry in _unit_entries():
        if _matches(query, entry.words):
            found.append(((0, len(entry.words), entry.name), entry))
        elif _matches(query, entry.words + entry.province_words):
            found.append(((1, len(entry.words), entry.name), entry))
    found.sort(key=lambda pair: pair[0])
    return [entry for _, entry in found[:limit]]


def unit_entry(pk: str | int) -> UnitEntry | None:
    try:
        unit = AdministrativeUnit.objects.select_related("parent").get(pk=pk)
    except (AdministrativeUnit.DoesNotExist, ValueError, TypeError):
        return None
    province = unit.parent.name if unit.parent else ""
    return UnitEntry(pk=unit.pk, name=unit.name, province=province, words=(), province_words=())


class AdminUnitPicker(forms.Widget):
    """A search box (htmx) that lists matching units as radio buttons named like the field."""

    template_name = "organizations/widgets/admin_unit_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["selected"] = unit_entry(value) if value not in (None, "") else None
        context["widget"]["search_url"] = reverse("organizations:admin_units")
        return context


def admin_unit_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Đơn vị hành chính"),
        queryset=AdministrativeUnit.objects.filter(is_current=True),
        required=False,
        widget=AdminUnitPicker,
        help_text=_("Gõ tên xã, phường (có hoặc không dấu) rồi chọn."),
    )


def meeting_day_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Ngày sinh hoạt cố định"),
        min_value=1,
        max_value=28,
        required=False,
        help_text=_("Ngày trong tháng (1–28); để trống để theo quy định của cấp trên."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


# --- The restructuring forms ----------------------------------------------------------------------


class ChildOrgForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Loại tổ chức"))
    name = forms.CharField(label=_("Tên"), max_length=200)
    code = forms.CharField(label=_("Mã"), max_length=32)
    admin_unit = admin_unit_field()
    meeting_day = meeting_day_field()
    established_on = DateField(label=_("Ngày thành lập"))
    decision = _decision_field()

    def __init__(self, *args: Any, parent: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = child_kinds(parent)  # type: ignore[attr-defined]


class RenameForm(ServiceForm):
    name = forms.CharField(label=_("Tên mới"), max_length=200)
    effective_on = DateField(label=_("Ngày hiệu lực"))
    decision = _decision_field()
    note = _note_field()


class MoveForm(ServiceForm):
    parent = OrgChoiceField(label=_("Trực thuộc tổ chức mới"), queryset=Organization.objects.none())
    kind = forms.ChoiceField(
        label=_("Loại tổ chức sau khi chuyển"),
        required=False,
        help_text=_("Để trống nếu không đổi. Ví dụ: chi bộ chuyển lên trực thuộc tỉnh thành chi bộ cơ sở."),
    )
    effective_on = DateField(label=_("Ngày hiệu lực"))
    decision = _decision_field()
    note = _note_field()

    def __init__(self, *args: Any, parents: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", _("— Giữ nguyên —")), *Kind.choices]  # type: ignore[attr-defined]


class MergeForm(ServiceForm):
    target = OrgChoiceField(label=_("Sáp nhập vào"), queryset=Organization.objects.none())
    sources = OrgMultipleChoiceField(
        label=_("Cùng sáp nhập thêm"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Các tổ chức cùng cấp khác được sáp nhập cùng lúc vào tổ chức trên."),
    )
    effective_on = DateField(label=_("Ngày hiệu lực"))
    decision = _decision_field()
    note = _note_field()

    def __init__(self, *args: Any, siblings: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = siblings  # type: ignore[attr-defined]
        self.fields["sources"].queryset = siblings  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target, sources = data.get("target"), data.get("sources") or []
        if target is not None and target in sources:
            self.add_error("sources", _("Tổ chức nhận sáp nhập không thể đồng thời bị sáp nhập."))
        return data


class DissolveForm(ServiceForm):
    effective_on = DateField(label=_("Ngày hiệu lực"))
    decision = _decision_field()
    note = _note_field()


class SplitForm(ServiceForm):
    """Name each new cell and put every active member in exactly one of them (one select per member)."""

    MIN_PARTS = 2
    MAX_PARTS = 6

    effective_on = DateField(label=_("Ngày hiệu lực"))
    decision = _decision_field()
    note = _note_field()

    def __init__(self, *args: Any, members: list[Member], parts: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.part_count = parts
        self.fields["parts"] = forms.IntegerField(widget=forms.HiddenInput, initial=parts)
        for i in range(1, parts + 1):
            self.fields[f"part_{i}_name"] = forms.CharField(label=_("Tên"), max_length=200)
            self.fields[f"part_{i}_code"] = forms.CharField(label=_("Mã"), max_length=32)
            self.fields[f"part_{i}_meeting_day"] = meeting_day_field()
        choices = [("", _("— Chọn —")), *((str(i), _("Chi bộ mới %(n)s") % {"n": i}) for i in range(1, parts + 1))]
        for member in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(label=member.full_name, choices=choices)

    @classmethod
    def clamp(cls, raw: str | None) -> int:
        try:
            return min(max(int(raw or cls.MIN_PARTS), cls.MIN_PARTS), cls.MAX_PARTS)
        except ValueError:
            return cls.MIN_PARTS

    def part_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": i,
                "name": self[f"part_{i}_name"],
                "code": self[f"part_{i}_code"],
                "meeting_day": self[f"part_{i}_meeting_day"],
            }
            for i in range(1, self.part_count + 1)
        ]

    def member_rows(self) -> list[tuple[Member, forms.BoundField]]:
        return [(m, self[f"member_{m.pk}"]) for m in self.members]

    def split_parts(self) -> list[SplitPart]:
        data = self.cleaned_data
        return [
            SplitPart(
                name=data[f"part_{i}_name"],
                code=data[f"part_{i}_code"],
                meeting_day=data[f"part_{i}_meeting_day"],
                member_ids=[m.pk for m in self.members if data[f"member_{m.pk}"] == str(i)],
            )
            for i in range(1, self.part_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = [data.get(f"part_{i}_code") for i in range(1, self.part_count + 1)]
        for i, code in enumerate(codes, start=1):
            if code and codes.index(code) != i - 1:
                self.add_error(f"part_{i}_code", _("Mã này trùng với chi bộ mới khác."))
        return data
