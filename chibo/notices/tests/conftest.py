import pytest

from chibo.celery import app


@pytest.fixture(autouse=True)
def _celery_inline(request):  # type: ignore[no-untyped-def]
    """Tasks run inline in these tests even when REDIS_URL is set; the redis-marked ones use a real worker."""
    if "redis" in request.keywords:
        yield
        return
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = old
