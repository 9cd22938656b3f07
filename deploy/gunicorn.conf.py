"""gunicorn for Chi bộ số (docs/deployment.md): `gunicorn --config deploy/gunicorn.conf.py chibo.wsgi:application`.

GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_WORKER_CONNECTIONS, GUNICORN_BACKLOG and
GUNICORN_TIMEOUT override the defaults below.
"""

import multiprocessing
import os

# nginx talks to gunicorn through a local socket only: that is what lets Django trust X-Forwarded-Proto.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/chibo/gunicorn.sock")
umask = 0o007  # the socket is for the chibo group (nginx's user is a member)
# gthread workers (issue 13, docs/deployment.md §1.8): 2 processes per core + 1, each with a few threads.
# The app itself refuses reads beyond CHIBO_MAX_IN_FLIGHT at once per process (chibo.core.overload), so the
# threads above that number answer 503 + Retry-After in microseconds instead of letting a burst queue.
# Every thread may hold a database connection (CONN_MAX_AGE=60): count workers × threads for pgbouncer.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "6"))
# Bounded queues: at most this many connections held per worker (gthread), and a short listen backlog, so
# a burst beyond them is refused by the kernel at once rather than waiting a minute.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "64"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "256"))
keepalive = 5
# A member import under CHIBO_IMPORT_BACKGROUND_ROWS rows is checked inside the request: the longest
# request the app makes. nginx's proxy_read_timeout matches it for /imports/ only (deploy/nginx).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then: a slow leak never grows for weeks.
max_requests = 5000
max_requests_jitter = 500
# Nothing personal in logs (C19): the path without its query string, which carries searched names.
accesslog = "-"
# %(M)s: the time gunicorn took to answer, in ms (the live-hour load test's server-side figures).
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# gunicorn 27's control socket would go to $HOME, which systemd's ProtectHome hides; systemctl does its work.
control_socket_disable = True
