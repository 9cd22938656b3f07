from datetime import date

from django.utils import timezone


def today() -> date:
    """Today in Việt Nam's time zone (never the server's naive date)."""
    return timezone.localdate()
