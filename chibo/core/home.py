"""The home page's sections, supplied by the apps above core (C16: a home that leads).

Core draws the page; what needs the person now (today's meeting, documents to sign, tasks, warnings...)
is known by the apps that hold it. An app registers a provider in its AppConfig.ready(); the provider
takes the request's user and returns the sections to show, in order, each a template and its context.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[Any], list[Section]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def sections_for(user: Any) -> list[Section]:
    return [section for provider in _providers for section in provider(user)]
