"""gunicorn for Chi bộ số (docs/deployment.md): `gunicorn --config deploy/gunicorn.conf.py chibo.wsgi:application`.

GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS and GUNICORN_TIMEOUT override the defaults below.
"""

import multiprocessing
import os

# nginx talks to gunicorn through a local socket only: that is what lets Django trust X-Forwarded-Proto.
bind = os.environ.get("GUNICORN_BIND", "unix:/run/chibo/gunicorn.sock")
umask = 0o007  # the socket is for the chibo group (nginx's user is a member)
# Sync workers: each request holds one process; 2 per core + 1 keeps the cores busy while others wait on
# PostgreSQL. Every worker holds a database connection (CONN_MAX_AGE=60): count them for pgbouncer.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A member import under CHIBO_IMPORT_BACKGROUND_ROWS rows is checked inside the request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then: a slow leak never grows for weeks.
max_requests = 5000
max_requests_jitter = 500
# Nothing personal in logs (C19): the path without its query string, which carries searched names.
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# gunicorn 27's control socket would go to $HOME, which systemd's ProtectHome hides; systemctl does its work.
control_socket_disable = True
