"""SMS delivery through a pluggable sender: settings.CHIBO_SMS_SENDER is the dotted path of a class with
`send(*, phone, text)`. The default only logs, and logs nothing personal: a masked number and a length."""

import logging
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("chibo.notices.sms")


class SmsSender(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


def mask_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    return "*" * max(len(digits) - 3, 0) + digits[-3:]


class LoggingSmsSender:
    """For development and the demo: records that a message would have gone out."""

    def send(self, *, phone: str, text: str) -> None:
        logger.info("SMS to %s (%d characters)", mask_phone(phone), len(text))


@lru_cache(maxsize=4)
def _sender_class(path: str) -> type:
    return import_string(path)


def get_sms_sender() -> SmsSender | None:
    path = getattr(settings, "CHIBO_SMS_SENDER", "")
    if not path:
        return None
    return _sender_class(path)()  # type: ignore[no-any-return]
