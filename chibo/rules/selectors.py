from datetime import date

from django.db.models import Case, IntegerField, Value, When

from chibo.organizations.models import Organization
from chibo.rules.models import RuleSetVersion


def ruleset_for(org: Organization, on: date) -> RuleSetVersion:
    """The rule-set version in force for `org` on `on`: the nearest node up the tree (itself first) that
    has a version effective by then, else the system default. One query."""
    paths = [org.path[: i * org.steplen] for i in range(org.depth, 0, -1)]
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
