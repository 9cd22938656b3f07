"""Celery application. With no broker configured, tasks run inline (CELERY_TASK_ALWAYS_EAGER).

Each app keeps its Celery tasks in `jobs.py` (not `tasks.py`: `chibo.tasks` is the app of the Party's tasks).
Task names stay explicit (`@shared_task(name="chibo.<app>.<job>")`) so the beat schedule does not depend on
where a function lives.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")

app = Celery("chibo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
