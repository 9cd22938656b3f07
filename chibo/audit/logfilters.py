"""Nothing personal in logs (C19): filters used by settings.LOGGING."""

import logging
import re

_QUERY = re.compile(r"\?[^\s\"]*")


class DropQueryStrings(logging.Filter):
    """Request lines lose their query string: a search carries a member's name, card number or phone.

    The development server logs '"GET /members/?q=Nguyễn HTTP/1.1" 200 512' at INFO; the path is enough to
    follow what happened.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args:
            record.args = tuple(_QUERY.sub("", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str) and not record.args:
            record.msg = _QUERY.sub("", record.msg)
        return True
