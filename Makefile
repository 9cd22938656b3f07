# Chi bộ số — the two commands: `make demo` and `make test`. Everything else is a step they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
# Tests run in parallel on the machine's cores; PYTEST_ARGS narrows a run (make test PYTEST_ARGS=-k\ merge).
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE := chibo.settings

.PHONY: setup system-packages demo test test-fast lint typecheck bench bench-live messages clean

setup: $(STAMP) system-packages

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# Debian packages the project needs: gettext (translations), Chromium (browser tests).
system-packages:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-liberation"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

messages: setup
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0

# The demo runs as production does (DEBUG off: Vietnamese error pages, static files collected and served by
# whitenoise); only what plain HTTP on 127.0.0.1 needs differs: cookies without Secure, no redirect to HTTPS,
# a secret key kept in .demo-secret-key, the demo accounts switched on explicitly and officers not forced to
# enrol 2FA. chibo/demo/tests/test_demo_server.py serves a page with exactly these settings.
DEMO_ENV = DEBUG=0 CHIBO_DEMO_ACCOUNTS=1 CHIBO_SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 CHIBO_REQUIRE_OFFICER_2FA=0 \
	SECRET_KEY="$$(cat .demo-secret-key)"
demo: setup messages .demo-secret-key
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --no-input -v 0
	$(DEMO_ENV) $(BIN)/python manage.py load_admin_units
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

.demo-secret-key:
	@umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: setup messages
	$(BIN)/python -m pytest -n auto --dist loadgroup -q $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

typecheck: setup
	$(BIN)/mypy chibo

# Benchmarks run against PostgreSQL (BENCH_DATABASE_URL, default the local server's `chibo_bench` database,
# created if missing); BENCH_ARGS changes the size (make bench BENCH_ARGS=--members\ 50000). See bench/README.md.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The live-hour load test (issue 13, bench/README.md): gunicorn as deploy/ configures it on 127.0.0.1, Locust
# offering the load for a bounded time; installs the pinned `bench` extra (gunicorn, Locust) when missing.
BENCH_LIVE_ARGS ?= --meetings 1000 --run-time 180
bench-live: setup
	@test -x $(BIN)/locust -a -x $(BIN)/gunicorn || $(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/live_hour.py $(BENCH_LIVE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles media .demo-secret-key
