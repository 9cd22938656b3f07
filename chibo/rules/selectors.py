import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext as _

from chibo.organizations.models import Organization
from chibo.rules.models import RULE_FIELDS, RuleSetVersion


def ruleset_for(org: Organization, on: date) -> RuleSetVersion:
    """The rule-set version in force for `org` on `on`: the nearest node up the tree (itself first) that
    has a version effective by then, else the system default. One query."""
    paths = ancestor_paths(org)
    depth_rank = Case(
        *[When(org__path=p, then=Value(org.depth - i)) for i, p in enumerate(paths)],
        default=Value(10_000),
        output_field=IntegerField(),
    )
    candidates = (
        RuleSetVersion.objects.filter(effective_from__lte=on)
        .filter(org__path__in=paths)
        .annotate(rank=depth_rank)
        .order_by("-rank", "-effective_from", "-version")
    )
    # The nearest node has the highest rank (its depth); within a node, the latest version.
    found = candidates.select_related("org").first()
    if found is not None:
        return found
    default = (
        RuleSetVersion.objects.filter(org__isnull=True, effective_from__lte=on)
        .order_by("-effective_from", "-version")
        .first()
    )
    if default is None:
        default = RuleSetVersion.objects.filter(org__isnull=True).order_by("effective_from").first()
    if default is None:
        raise RuleSetVersion.DoesNotExist("no default rule set: run migrations")
    return default


def ancestor_paths(org: Organization) -> list[str]:
    """The paths from `org` itself up to its root, nearest first."""
    return [org.path[: i * org.steplen] for i in range(org.depth, 0, -1)]


class RulesetResolver:
    """`ruleset_for` for many (node, date) pairs with two queries in all: the month view, the generation
    of a year of meetings and re-pointing planned meetings call it once per cell and date."""

    def __init__(self, orgs: Iterable[Organization]) -> None:
        paths = {p for org in orgs for p in ancestor_paths(org)}
        by_path: dict[str, list[RuleSetVersion]] = {}
        for version in RuleSetVersion.objects.filter(org__path__in=paths).select_related("org"):
            assert version.org is not None
            by_path.setdefault(version.org.path, []).append(version)
        self._by_path = {p: _latest_first(vs) for p, vs in by_path.items()}
        self._defaults = _latest_first(list(RuleSetVersion.objects.filter(org__isnull=True)))
        if not self._defaults:
            raise RuleSetVersion.DoesNotExist("no default rule set: run migrations")

    def for_org(self, org: Organization, on: date) -> RuleSetVersion:
        for path in ancestor_paths(org):
            found = _first_in_force(self._by_path.get(path, []), on)
            if found is not None:
                return found
        return _first_in_force(self._defaults, on) or self._defaults[-1]


def _latest_first(versions: list[RuleSetVersion]) -> list[RuleSetVersion]:
    return sorted(versions, key=lambda v: (v.effective_from, v.version), reverse=True)


def _first_in_force(versions: list[RuleSetVersion], on: date) -> RuleSetVersion | None:
    return next((v for v in versions if v.effective_from <= on), None)


def meeting_day_for(org: Organization, rules: RuleSetVersion) -> int:
    """The day of the month a cell meets: its own fixed day when it has one, else the rule set's."""
    return org.meeting_day or rules.meeting_day


@dataclass
class RuleLevel:
    """One level of inheritance: a node up the tree (None: the system default) and its version in force."""

    org: Organization | None
    version: RuleSetVersion | None


@dataclass
class RuleValue:
    field: str
    label: str
    value: object
    display: str
    source: RuleLevel
    # True when the value comes from the node itself rather than from above.
    own: bool
    # National, local practice or unconfirmed, and the text it comes from (RuleSetVersion.basis).
    basis_kind: str = ""
    basis_source: str = ""

    @property
    def basis_label(self) -> str:
        from chibo.rules.catalogue import BASIS_KINDS

        return _(BASIS_KINDS[self.basis_kind]) if self.basis_kind in BASIS_KINDS else ""


def ruleset_chain(org: Organization, on: date) -> list[RuleLevel]:
    """The default, then each node from the root down to `org`, each with its version in force on `on`."""
    nodes = {o.path: o for o in Organization.objects.filter(path__in=ancestor_paths(org))}
    resolver_versions = RuleSetVersion.objects.filter(
        Q(org__path__in=list(nodes)) | Q(org__isnull=True), effective_from__lte=on
    ).order_by("-effective_from", "-version")
    in_force: dict[int | None, RuleSetVersion] = {}
    for v in resolver_versions:
        in_force.setdefault(v.org_id, v)
    chain = [RuleLevel(org=None, version=in_force.get(None) or ruleset_for(org, on))]
    for path in reversed(ancestor_paths(org)):
        node = nodes[path]
        chain.append(RuleLevel(org=node, version=in_force.get(node.pk)))
    return chain


def rule_values(org: Organization, on: date) -> list[RuleValue]:
    """Every setting in force at `org` on `on`, and the level it comes from: the lowest level down the
    chain whose version set a value different from what it inherited."""
    chain = ruleset_chain(org, on)
    values: list[RuleValue] = []
    for name in RULE_FIELDS:
        source = chain[0]
        for level in chain[1:]:
            if level.version is not None and getattr(level.version, name) != getattr(source.version, name):
                source = level
        assert source.version is not None
        basis = (source.version.basis or {}).get(name) or {}
        values.append(
            RuleValue(
                basis_kind=basis.get("kind", ""),
                basis_source=basis.get("source", ""),
                field=name,
                label=str(RuleSetVersion._meta.get_field(name).verbose_name),  # type: ignore[union-attr]
                value=getattr(source.version, name),
                display=_display(source.version, name),
                source=source,
                own=source.org is not None and source.org.pk == org.pk,
            )
        )
    if org.meeting_day:
        # The cell's own fixed day overrides every rule set above it.
        day = next(v for v in values if v.field == "meeting_day")
        day.value, day.display = org.meeting_day, str(org.meeting_day)
        day.source, day.own = RuleLevel(org=org, version=None), True
    return values


def _display(version: RuleSetVersion, name: str) -> str:
    value = getattr(version, name)
    display = getattr(version, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if name == "scoring" and isinstance(value, dict):
        return _scoring_display(value)
    if name == "classification" and isinstance(value, dict):
        return _classification_display(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _scoring_display(scoring: dict) -> str:
    """ "Phú Thọ: Chuẩn bị 15, …; mức: Tốt ≥ 90, …" rather than raw JSON, for the officer's page."""
    try:
        groups = ", ".join(f"{g['label']} {g['points']}" for g in scoring["groups"])
        levels = scoring["levels"]
        cuts = _("Tốt ≥ %(good)s, Khá ≥ %(fair)s, Trung bình ≥ %(average)s") % levels
    except (KeyError, AttributeError, TypeError):
        return json.dumps(scoring, ensure_ascii=False)
    return _("%(name)s — %(groups)s (tổng %(total)s); mức: %(levels)s") % {
        "name": scoring.get("name", ""),
        "groups": groups,
        "total": scoring.get("total", ""),
        "levels": cuts,
    }


def _classification_display(c: dict) -> str:
    """ "HTXSNV ≥ 90, HTTNV ≥ 70, HTNV ≥ 50 (QĐ 366-QĐ/TW …)" for the officer's page."""
    try:
        cut = c["cutoffs"]
        text = _("HTXSNV ≥ %(e)s, HTTNV ≥ %(g)s, HTNV ≥ %(f)s điểm") % {
            "e": cut["excellent"],
            "g": cut["good"],
            "f": cut["fair"],
        }
    except (KeyError, TypeError):
        return json.dumps(c, ensure_ascii=False)
    return f"{text} ({c['basis']})" if c.get("basis") else text
