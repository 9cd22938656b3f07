from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_pragmas(sender, connection, **kwargs) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers go on while one writer commits: the embedded default must serve a few users at once.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA synchronous=NORMAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")


class CoreConfig(AppConfig):
    name = "chibo.core"
    label = "core"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas, dispatch_uid="chibo_sqlite_pragmas")
