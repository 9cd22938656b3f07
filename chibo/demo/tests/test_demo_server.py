"""`make demo` serves plain HTTP on 127.0.0.1 with production settings: the environment the Makefile gives it
must not redirect to HTTPS nor mark cookies Secure (a browser would get no page and no session), while the
production defaults (the same settings without the demo's overrides) still do both."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
response = Client().get("/healthz", HTTP_HOST="127.0.0.1:8000")  # reads no table and no static file
print(json.dumps({
    "status": response.status_code,
    "location": response.headers.get("Location", ""),
    "secure_cookies": settings.SESSION_COOKIE_SECURE or settings.CSRF_COOKIE_SECURE,
    "debug": settings.DEBUG,
}))
"""


def _demo_env() -> dict[str, str]:
    """The variables `DEMO_ENV` sets in the Makefile (the secret key aside: it is read from a file)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    block = re.search(r"^DEMO_ENV = (.*?)\n(?=\S)", text, re.S | re.M)
    assert block, "the Makefile defines DEMO_ENV"
    pairs = dict(re.findall(r"([A-Z_0-9]+)=([^\s\\]+)", block.group(1)))
    pairs.pop("SECRET_KEY")
    return pairs


def _serve(extra: dict[str, str]) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="chibo.settings", SECRET_KEY="x" * 50, **extra)
    out = subprocess.run(  # noqa: S603 - our own interpreter and our own probe
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_demo_answers_plain_http_with_production_settings_and_production_redirects_to_https() -> None:
    demo = _serve(_demo_env())
    assert demo["debug"] is False
    assert demo["status"] == 200 and demo["location"] == ""
    assert demo["secure_cookies"] is False

    production = _serve({"DEBUG": "0"})
    assert production["status"] == 301 and str(production["location"]).startswith("https://")
    assert production["secure_cookies"] is True
